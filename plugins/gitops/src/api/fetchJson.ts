import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** What a client of a backend plugin needs to call it. */
export interface BackendDeps {
  discoveryApi: DiscoveryApi;
  /** Signs requests with the user's Backstage token. */
  fetchApi: FetchApi;
}

/**
 * GETs a JSON answer from a backend plugin; a failed answer rejects with
 * a `ResponseError` carrying the backend's status and serialized error.
 */
export async function fetchJson<T>(
  deps: BackendDeps,
  pluginId: string,
  path: string,
): Promise<T> {
  const baseUrl = await deps.discoveryApi.getBaseUrl(pluginId);
  const response = await deps.fetchApi.fetch(`${baseUrl}${path}`);
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return (await response.json()) as T;
}

/** A query string of the set values, `?a=1&b=2`, or nothing. */
export function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      query.set(key, String(value));
    }
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
