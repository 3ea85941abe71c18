import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import type { Account, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { IssuerAccount, ISSUER_ACCOUNTS } from './oidcAccounts';
import { memoryAdapter } from './oidcMemoryAdapter';

/**
 * A real OpenID Connect issuer on 127.0.0.1, built with the `oidc-provider`
 * package and laid out like a Keycloak realm: issuer
 * `<origin>/realms/portal`, Keycloak's endpoint paths, its claims
 * (`preferred_username`, `email`, `email_verified`, `groups` as group
 * paths), a username/password login form, no consent screen for the
 * portal's client, and refresh tokens on every code exchange. No Keycloak can
 * run on a test machine; this is what the portal talks to in its place.
 */
export interface OidcIssuer {
  /** `http://127.0.0.1:<port>/realms/portal` */
  issuer: string;
  /** The realm's discovery document, as `auth.providers.keycloak.*.metadataUrl`. */
  metadataUrl: string;
  clientId: string;
  clientSecret: string;
  /** Usernames that have signed in successfully, in order. */
  logins: string[];
  close(): Promise<void>;
}

/**
 * The portal's one name for its Keycloak sign-in: `auth.providers.keycloak`,
 * routes under `/api/auth/keycloak`. Written out here rather than imported,
 * because the redirect URI registered in Keycloak depends on it: a change
 * must break these tests, not follow along.
 */
export const KEYCLOAK_PROVIDER_ID = 'keycloak';

/** Where Keycloak sends the sign-in popup back to: the client's redirect URI. */
export function keycloakRedirectUri(backendBaseUrl: string): string {
  return `${backendBaseUrl}/api/auth/${KEYCLOAK_PROVIDER_ID}/handler/frame`;
}

const REALM_PATH = '/realms/portal';
const LOGIN_PATH = `${REALM_PATH}/login-actions`;

const accounts: IssuerAccount[] = Object.values(ISSUER_ACCOUNTS);

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}

/** Keycloak's login page, reduced to the ids and labels its theme uses. */
function loginPage(action: string, error?: string): string {
  return `<!doctype html>
<html><head><title>Sign in to portal</title></head>
<body>
  <h1 id="kc-page-title">Sign in to your account</h1>
  ${
    error ? `<div id="input-error" role="alert">${escapeHtml(error)}</div>` : ''
  }
  <form id="kc-form-login" method="post" action="${escapeHtml(action)}">
    <label for="username">Username or email</label>
    <input id="username" name="username" type="text" autocomplete="off" autofocus>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="off">
    <input id="kc-login" type="submit" value="Sign In">
  </form>
</body></html>`;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) {
      throw new Error('login form too large');
    }
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function findAccount(login: string): IssuerAccount | undefined {
  const wanted = login.trim().toLowerCase();
  return accounts.find(
    a => a.username === wanted || a.email.toLowerCase() === wanted,
  );
}

async function handleLogin(
  provider: Provider,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  logins: string[],
) {
  const details = await provider.interactionDetails(req, res);
  const action = `${LOGIN_PATH}/${details.uid}`;
  if (details.prompt.name !== 'login') {
    // The portal's grant is created in loadExistingGrant, as Keycloak skips
    // consent for a client with "Consent required" off.
    res.writeHead(501).end(`unexpected prompt ${details.prompt.name}`);
    return;
  }
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(action));
    return;
  }
  const form = await readForm(req);
  const account = findAccount(form.get('username') ?? '');
  const password = form.get('password') ?? '';
  const ok =
    account !== undefined &&
    password.length === account.password.length &&
    crypto.timingSafeEqual(
      Buffer.from(password),
      Buffer.from(account.password),
    );
  if (!ok) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(action, 'Invalid username or password.'));
    return;
  }
  logins.push(account.username);
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.sub } },
    { mergeWithLastSubmission: false },
  );
}

export interface OidcIssuerOptions {
  /** Where the portal's backend receives the code, keycloakRedirectUri(<backend>). */
  redirectUris: string[];
  /** Defaults to a free port. */
  port?: number;
  /**
   * The origin the portal and browsers reach it at, when a proxy stands in
   * front of it (startFaultProxy); defaults to its own.
   */
  origin?: string;
  clientId?: string;
  clientSecret?: string;
}

export async function startOidcIssuer(
  options: OidcIssuerOptions,
): Promise<OidcIssuer> {
  // oidc-provider is ESM-only; the stand-ins are loaded as CommonJS.
  const { default: ProviderClass } = await import('oidc-provider');
  const clientId = options.clientId ?? 'developer-portal';
  const clientSecret =
    options.clientSecret ?? crypto.randomBytes(24).toString('base64url');
  const logins: string[] = [];

  // Made once the port (and so the issuer URL) is known; the server's
  // handler reads it from then on.
  // eslint-disable-next-line prefer-const
  let provider: Provider | undefined;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const fail = (error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
      }
      res.end(String(error));
    };
    if (!provider || !url.startsWith(`${REALM_PATH}/`)) {
      res.writeHead(404).end();
      return;
    }
    if (url.startsWith(`${LOGIN_PATH}/`)) {
      handleLogin(provider, req, res, logins).catch(fail);
      return;
    }
    // Mounted like express would: the provider sees paths below the realm.
    (req as http.IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(REALM_PATH.length);
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `${options.origin ?? `http://127.0.0.1:${port}`}${REALM_PATH}`;

  const { privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: crypto.randomUUID(),
    alg: 'RS256',
    use: 'sig',
  };

  const configuration: Configuration = {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      userinfo: '/protocol/openid-connect/userinfo',
      jwks: '/protocol/openid-connect/certs',
      end_session: '/protocol/openid-connect/logout',
      revocation: '/protocol/openid-connect/revoke',
    },
    // Keycloak's group membership mapper adds `groups` whatever the scopes.
    claims: {
      openid: ['sub', 'groups'],
      profile: ['preferred_username', 'name'],
      email: ['email', 'email_verified'],
    },
    // Keycloak's defaults: 5-minute access tokens, 30-minute idle sessions.
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 300,
      Interaction: 1800,
      RefreshToken: 1800,
      Grant: 36000,
      Session: 36000,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
    },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction) =>
        `${LOGIN_PATH}/${interaction.uid}`,
    },
    // Keycloak hands out a refresh token on every code exchange; the portal
    // needs one to restore a session after a page load.
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed('refresh_token'),
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const grantId =
        oidc.result?.consent?.grantId ??
        oidc.session!.grantIdFor(oidc.client!.clientId);
      if (grantId) {
        return oidc.provider.Grant.find(grantId);
      }
      const grant = new oidc.provider.Grant({
        clientId: oidc.client!.clientId,
        accountId: oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid profile email offline_access');
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub): Promise<Account | undefined> {
      const account = accounts.find(a => a.sub === sub);
      if (!account) {
        return undefined;
      }
      return {
        accountId: account.sub,
        async claims() {
          return {
            sub: account.sub,
            preferred_username: account.username,
            name: account.name,
            email: account.email,
            email_verified: account.emailVerified,
            groups: account.groups,
          };
        },
      };
    },
  };
  provider = new ProviderClass(issuer, configuration);

  return {
    issuer,
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    logins,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `auth.providers.keycloak.<environment>` pointing at the issuer, as
 * app-config.production.yaml does with the real realm.
 */
export function keycloakProviderConfig(
  issuer: OidcIssuer,
  environment = 'development',
) {
  return {
    [environment]: {
      metadataUrl: issuer.metadataUrl,
      clientId: issuer.clientId,
      clientSecret: issuer.clientSecret,
      prompt: 'auto',
    },
  };
}
