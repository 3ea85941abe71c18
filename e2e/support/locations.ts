import { waitFor } from '@internal/test-harness';

/**
 * A guest token that carries the guest's platform-team membership: one
 * issued before catalog/org.yaml is ingested has no groups, and the policy
 * grants by group.
 */
export async function adminGuestToken(baseUrl: string): Promise<string> {
  let token = '';
  await waitFor('the guest to be in platform-team', async () => {
    const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const { backstageIdentity } = await res.json();
    token = backstageIdentity.token;
    return backstageIdentity.identity.ownershipEntityRefs.includes(
      'group:default/platform-team',
    );
  });
  return token;
}

/** POST /api/catalog/locations, as the catalog's import page does. */
export async function registerLocation(
  baseUrl: string,
  token: string,
  target: string,
  options: { dryRun?: boolean } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(
    `${baseUrl}/api/catalog/locations${options.dryRun ? '?dryRun=true' : ''}`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ type: 'url', target }),
    },
  );
  return { status: res.status, body: await res.json() };
}

/** Waits (bounded) until the catalog has the entity and returns it. */
export async function waitForEntity(
  baseUrl: string,
  token: string,
  ref: { kind: string; name: string },
  ready: (entity: any) => boolean = () => true,
): Promise<any> {
  let entity: any;
  await waitFor(`${ref.kind}:default/${ref.name} in the catalog`, async () => {
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${ref.kind}/default/${ref.name}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    entity = res.status === 200 ? await res.json() : undefined;
    return entity !== undefined && ready(entity);
  });
  return entity;
}

/** One server-sent event of the TechDocs sync endpoint. */
export interface SyncEvent {
  type: string;
  data: unknown;
}

/**
 * GET /api/techdocs/sync/default/<kind>/<name>, as the TechDocs reader
 * page does before showing a page: builds the docs and streams the build
 * log, then `finish` or `error`.
 */
export async function syncTechDocs(
  baseUrl: string,
  token: string,
  entity: `${string}/${string}`,
): Promise<{ events: SyncEvent[]; text: string }> {
  const res = await fetch(`${baseUrl}/api/techdocs/sync/default/${entity}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .filter(block => block.startsWith('event: '))
    .map(block => {
      const [event, data] = block.split('\n');
      return {
        type: event.slice('event: '.length),
        data: JSON.parse(data.slice('data: '.length)),
      };
    });
  return { events, text };
}
