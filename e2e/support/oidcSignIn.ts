import { Browser, BrowserContext } from '@playwright/test';
import {
  ISSUER_ACCOUNTS,
  IssuerUsername,
  KEYCLOAK_PROVIDER_ID,
} from '@internal/stand-ins';

/** What the backend's Keycloak frame handler posts back to the app window. */
export interface AuthorizationResponse {
  type: 'authorization_response';
  response?: {
    profile: { email?: string; displayName?: string };
    backstageIdentity: {
      token: string;
      identity: { userEntityRef: string; ownershipEntityRefs: string[] };
    };
  };
  error?: { name: string; message: string };
}

/**
 * Plays the app: a page on the backend's origin opens the sign-in popup, the
 * person types their Keycloak credentials into the loopback issuer, and the
 * backend's frame handler posts the result back to the opener, as it does
 * for the real app. The caller closes the returned context.
 */
export async function popupSignIn(
  browser: Browser,
  baseUrl: string,
  username: IssuerUsername,
  env: 'development' | 'production',
): Promise<{ message: AuthorizationResponse; context: BrowserContext }> {
  const account = ISSUER_ACCOUNTS[username];
  const context = await browser.newContext();
  const app = await context.newPage();
  await app.goto(`${baseUrl}/.backstage/health/v1/liveness`);
  const start = `${baseUrl}/api/auth/${KEYCLOAK_PROVIDER_ID}/start?${new URLSearchParams(
    {
      scope: 'openid profile email',
      origin: baseUrl,
      flow: 'popup',
      env,
    },
  )}`;
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    app.evaluate(url => {
      window.addEventListener('message', event => {
        if (event.data?.type === 'authorization_response') {
          (window as any).authorizationResponse = event.data;
        }
      });
      window.open(url, 'keycloak-sign-in', 'width=500,height=700');
    }, start),
  ]);
  await popup.locator('#username').fill(account.username);
  await popup.locator('#password').fill(account.password);
  await popup.locator('#kc-login').click();
  await app.waitForFunction(() => (window as any).authorizationResponse, null, {
    timeout: 60_000,
  });
  const message = await app.evaluate(
    () => (window as any).authorizationResponse as AuthorizationResponse,
  );
  return { message, context };
}
