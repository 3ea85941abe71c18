/**
 * Query parameters whose values never go into a span: OAuth and OIDC
 * codes, states and tokens of the sign-in flow, and the signatures and keys
 * of signed URLs (the HTTP instrumentation's own list).
 */
export const REDACTED_QUERY_PARAMS: readonly string[] = [
  'code',
  'state',
  'session_state',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'client_secret',
  'password',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
];

const REDACTED = 'REDACTED';

/** A query string (`?a=b`, or empty) with the values of those parameters replaced. */
export function redactQuery(search: string): string {
  if (!search || search === '?') return search;
  const params = new URLSearchParams(search);
  for (const name of REDACTED_QUERY_PARAMS) {
    if (params.has(name)) params.set(name, REDACTED);
  }
  return `?${params}`;
}

/** A URL without user info and with {@link redactQuery} applied. */
export function redactUrl(url: URL): string {
  const copy = new URL(url);
  if (copy.username || copy.password) {
    copy.username = REDACTED;
    copy.password = REDACTED;
  }
  copy.search = redactQuery(copy.search);
  return copy.toString();
}
