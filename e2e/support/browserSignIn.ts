import { expect, Page } from '@playwright/test';
import { ISSUER_ACCOUNTS, IssuerUsername } from '@internal/stand-ins';

/** Signs in with the local guest sign-in of app-config.yaml (a platform admin). */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await expect(page.getByText('Developer Portal').first()).toBeVisible();
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
}

/**
 * Signs in through the sign-in page's Keycloak button and the loopback
 * issuer's login form, as a person would.
 */
export async function signInWithKeycloak(page: Page, username: IssuerUsername) {
  const account = ISSUER_ACCOUNTS[username];
  await page.goto('/');
  await expect(
    page.getByText('Sign in with your company account'),
  ).toBeVisible();
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const popup = await popupOpened;
  await popup.locator('#username').fill(account.username);
  await popup.locator('#password').fill(account.password);
  await popup.locator('#kc-login').click();
}
