import {
  ISSUER_ACCOUNTS,
  IssuerUsername,
  KEYCLOAK_PROVIDER_ID,
} from '@internal/stand-ins';

/**
 * Signs a person in through the loopback OIDC issuer the way the app's
 * popup does, with plain HTTP instead of a browser: start, the issuer's
 * login form, the backend's frame handler. Returns the Backstage token the
 * handler posts back to the app. Both servers are on 127.0.0.1, and cookies
 * do not tell ports apart, so one jar by name serves both.
 */
export async function oidcSignIn(
  baseUrl: string,
  username: IssuerUsername,
): Promise<string> {
  const jar = new Map<string, string>();
  const request = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  };
  /** Follows redirects (bounded) and returns the last page and its URL. */
  const follow = async (first: string, init?: RequestInit) => {
    let url = first;
    let res = await request(url, init);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      if (hops > 10) throw new Error(`too many redirects from ${first}`);
      url = new URL(res.headers.get('location')!, url).toString();
      res = await request(url);
    }
    return { url, res, text: await res.text() };
  };
  const start = `${baseUrl}/api/auth/${KEYCLOAK_PROVIDER_ID}/start?${new URLSearchParams(
    {
      scope: 'openid profile email',
      origin: baseUrl,
      flow: 'popup',
      env: 'development',
    },
  )}`;
  const login = await follow(start);
  const action = /action="([^"]+)"/.exec(login.text)?.[1];
  if (!action) {
    throw new Error(
      `no login form at ${login.url}: ${login.text.slice(0, 300)}`,
    );
  }
  const account = ISSUER_ACCOUNTS[username];
  const done = await follow(
    new URL(action.replace(/&amp;/g, '&'), login.url).toString(),
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        username: account.username,
        password: account.password,
      }).toString(),
    },
  );
  // The frame handler's page carries its message URI-encoded in a script.
  const encoded = /authResponse = decodeURIComponent\('([^']+)'\)/.exec(
    done.text,
  )?.[1];
  const message = encoded ? JSON.parse(decodeURIComponent(encoded)) : undefined;
  const token = message?.response?.backstageIdentity?.token;
  if (message?.error) {
    throw new Error(`sign-in of ${username}: ${message.error.message}`);
  }
  if (!token) {
    throw new Error(
      `sign-in of ${username} ended without a token at ${
        done.url
      }: ${done.text.slice(0, 500)}`,
    );
  }
  return token;
}
