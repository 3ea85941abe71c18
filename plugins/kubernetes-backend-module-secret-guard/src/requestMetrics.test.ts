import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import {
  KubernetesObjectsByEntity,
  KubernetesObjectsProvider,
} from '@backstage/plugin-kubernetes-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { recordMetrics } from '@internal/stand-ins';
import { KubernetesRequestMetrics } from './requestMetrics';
import { SecretGuardObjectsProvider } from './SecretGuardObjectsProvider';

const CLUSTER = { name: 'c1' };

/** An objects provider answering each read with the next answer. */
function provider(answers: Array<ObjectsByEntityResponse | Error>) {
  const next = async () => {
    const answer = answers.shift()!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return {
    getKubernetesObjectsByEntity: next,
    getCustomResourcesByEntity: next,
  } as unknown as KubernetesObjectsProvider;
}

const failed = (message: string): ObjectsByEntityResponse => ({
  items: [
    {
      cluster: CLUSTER,
      resources: [],
      podMetrics: [],
      errors: [{ errorType: 'FETCH_ERROR', message }],
    },
  ],
});

describe('KubernetesRequestMetrics', () => {
  it('counts and times reads from the clusters by outcome, cluster errors included', async () => {
    const recorder = recordMetrics();
    const guard = new SecretGuardObjectsProvider(
      provider([
        { items: [] },
        failed(
          'request to https://api.c1:6443/api/v1/pods failed, reason: connect ETIMEDOUT',
        ),
        failed(
          'request to https://api.c1:6443/api/v1/pods failed, reason: connect ECONNREFUSED',
        ),
        new Error('cluster locator failed'),
      ]),
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.DENY })),
      }),
      new KubernetesRequestMetrics(recorder.meter),
    );
    const request = {
      entity: { apiVersion: 'v1', kind: 'Component', metadata: { name: 'a' } },
      auth: {},
    } as unknown as KubernetesObjectsByEntity;
    const options = { credentials: mockCredentials.user() };
    await guard.getKubernetesObjectsByEntity(request, options);
    await guard.getKubernetesObjectsByEntity(request, options);
    await guard.getCustomResourcesByEntity(
      {
        ...request,
        customResources: [
          { group: 'apps', apiVersion: 'v1', plural: 'deployments' },
        ],
      },
      options,
    );
    await expect(
      guard.getKubernetesObjectsByEntity(request, options),
    ).rejects.toThrow('cluster locator failed');
    // Refused before any cluster is asked: not a read.
    await expect(
      guard.getCustomResourcesByEntity(
        {
          ...request,
          customResources: [{ group: '', apiVersion: 'v1', plural: 'secrets' }],
        },
        options,
      ),
    ).rejects.toThrow('kubernetes.secrets.read');

    expect(await recorder.points('portal.kubernetes.requests')).toEqual(
      expect.arrayContaining([
        { attributes: { outcome: 'ok' }, value: 1 },
        { attributes: { outcome: 'timeout' }, value: 1 },
        { attributes: { outcome: 'error' }, value: 2 },
      ]),
    );
    const durations = await recorder.points(
      'portal.kubernetes.request.duration',
    );
    expect(durations.reduce((n, p) => n + p.value, 0)).toBe(4);
    expect(
      await recorder.descriptor('portal.kubernetes.request.duration'),
    ).toMatchObject({ type: 'HISTOGRAM', unit: 'ms' });
  });
});
