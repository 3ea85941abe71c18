import { Browser, expect } from '@playwright/test';
import { IssuerUsername } from '@internal/stand-ins';
import { popupSignIn } from './oidcSignIn';

/**
 * Signs people in through the loopback OIDC issuer, as the app does, and
 * returns their Backstage tokens by username.
 */
export async function signInPeople<U extends IssuerUsername>(
  browser: Browser,
  baseUrl: string,
  usernames: readonly U[],
): Promise<Record<U, string>> {
  const tokens = {} as Record<U, string>;
  for (const username of usernames) {
    const { message, context } = await popupSignIn(
      browser,
      baseUrl,
      username,
      'development',
    );
    await context.close();
    expect(message.error, username).toBeUndefined();
    tokens[username] = message.response!.backstageIdentity.token;
  }
  return tokens;
}
