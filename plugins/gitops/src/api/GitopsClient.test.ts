import { ResponseError } from '@backstage/errors';
import { ArgoCdStatusClient } from './ArgoCdStatusClient';
import { GitopsClient } from './GitopsClient';

const BASE = 'http://portal.test/api';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** A backend error as Backstage's error handler writes it. */
function backendError(status: number, name: string, message: string) {
  return json(status, {
    error: { name, message },
    request: { method: 'GET', url: '/x' },
    response: { statusCode: status },
  });
}

function setup(answer: () => Promise<Response> | Response) {
  const fetch = jest.fn(async (_url: string) => answer());
  const deps = {
    discoveryApi: {
      getBaseUrl: async (pluginId: string) => `${BASE}/${pluginId}`,
    },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  };
  return { fetch, deps };
}

describe('GitopsClient', () => {
  it('lists with only the parameters that are set, encoded', async () => {
    const { fetch, deps } = setup(() =>
      json(200, { items: [], totalCount: 0 }),
    );
    const client = new GitopsClient(deps);
    await client.listChangeRequests({ scope: 'team', limit: 25, offset: 50 });
    await client.listChangeRequests({
      scope: 'all',
      state: 'open',
      entityRef: 'component:default/a&scope=mine',
    });
    await client.listChangeRequests({});
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/gitops/change-requests?scope=team&limit=25&offset=50`,
      `${BASE}/gitops/change-requests?scope=all&state=open&entityRef=component%3Adefault%2Fa%26scope%3Dmine`,
      `${BASE}/gitops/change-requests`,
    ]);
  });

  it('keeps an id inside its path segment', async () => {
    const { fetch, deps } = setup(() => json(200, {}));
    const client = new GitopsClient(deps);
    await client.getChangeRequest('../../catalog/entities');
    await client.getChangeRequestFiles('a/b?c');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/gitops/change-requests/..%2F..%2Fcatalog%2Fentities`,
      `${BASE}/gitops/change-requests/a%2Fb%3Fc/files`,
    ]);
  });

  it('rejects with the backend error, status and message kept', async () => {
    const { deps } = setup(() =>
      backendError(404, 'NotFoundError', 'No change request x'),
    );
    const error = await new GitopsClient(deps)
      .getChangeRequest('x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe('No change request x');
  });

  it('reads a 404 entity summary as "no folder", other failures as errors', async () => {
    let answer = backendError(404, 'NotFoundError', 'no folder');
    const { fetch, deps } = setup(() => answer);
    const client = new GitopsClient(deps);
    await expect(
      client.getEntitySummary('component:default/payments-api'),
    ).resolves.toBeUndefined();
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/gitops/entity-summary?entityRef=component%3Adefault%2Fpayments-api`,
    );
    answer = backendError(403, 'NotAllowedError', 'no');
    const error = await client
      .getEntitySummary('group:default/x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });
});

describe('ArgoCdStatusClient', () => {
  const ref = 'component:default/payments-api';

  it('asks the argocd plugin once per entity', async () => {
    const applications = [
      {
        instance: 'main',
        name: 'team-payments.payments-api.dev',
        environment: 'dev',
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
      },
    ];
    const { fetch, deps } = setup(() =>
      json(200, { entityRef: ref, applications }),
    );
    await expect(
      new ArgoCdStatusClient(deps).getEntityStatus(ref),
    ).resolves.toEqual({ kind: 'ok', applications });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toBe(
      `${BASE}/argocd/entity-status?entityRef=component%3Adefault%2Fpayments-api`,
    );
  });

  it.each([
    [
      backendError(503, 'ServiceUnavailableError', 'Argo CD is not configured'),
      { kind: 'not-configured' },
    ],
    [
      backendError(
        502,
        'ArgoCdUnavailableError',
        'Argo CD "main" is unreachable',
      ),
      { kind: 'unavailable', message: 'Argo CD "main" is unreachable' },
    ],
    [
      backendError(504, 'ArgoCdUnavailableError', 'Argo CD "main" timed out'),
      { kind: 'unavailable', message: 'Argo CD "main" timed out' },
    ],
    [
      backendError(403, 'NotAllowedError', 'You may not read'),
      { kind: 'forbidden', message: 'You may not read' },
    ],
    [
      new Response('<html>Bad gateway</html>', { status: 503 }),
      {
        kind: 'unavailable',
        message: expect.stringContaining('503'),
      },
    ],
  ])('turns a failure into an answer (%#)', async (response, expected) => {
    const { deps } = setup(() => response);
    await expect(
      new ArgoCdStatusClient(deps).getEntityStatus(ref),
    ).resolves.toEqual(expected);
  });

  it('answers "unavailable" when the request does not get through', async () => {
    const { deps } = setup(() =>
      Promise.reject(new TypeError('Failed to fetch')),
    );
    await expect(
      new ArgoCdStatusClient(deps).getEntityStatus(ref),
    ).resolves.toEqual({
      kind: 'unavailable',
      message: 'Argo CD status could not be fetched: Failed to fetch',
    });
  });
});
