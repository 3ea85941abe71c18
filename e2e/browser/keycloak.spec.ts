import { expect, Page, test } from '@playwright/test';
import { signInWithKeycloak } from '../support/browserSignIn';

/**
 * Keycloak sign-in through the sign-in page. globalSetup points
 * `auth.providers.keycloak.development` at a loopback OIDC issuer laid out like
 * the Keycloak realm (packages/stand-ins/src/oidcIssuer.ts) and offers both sign-in
 * methods.
 */

test('signs alice in with Keycloak and shows her profile', async ({ page }) => {
  await signInWithKeycloak(page, 'alice');
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();

  // A full page load: the session comes back from the refresh cookie.
  await page.goto('/settings');
  await expect(page.getByText('Alice Keycloak').first()).toBeVisible();
  await expect(page.getByText('alice@example.com').first()).toBeVisible();
  // The Backstage Identity card (links may show catalog display names).
  await expect(
    page.getByRole('heading', { name: /^User Entity:\s*alice$/i }),
  ).toBeVisible();
  const ownership = page.getByRole('heading', { name: /^Ownership Entities:/ });
  // From catalog/org.yaml, and from the Keycloak token's groups claim.
  await expect(ownership).toContainText(/platform-team|Platform Team/);
  await expect(ownership).toContainText(/team-payments|Payments Team/);
});

test('keeps dave, who has no User entity, on the sign-in page', async ({
  page,
}) => {
  await signInWithKeycloak(page, 'dave');
  await expect(
    page.getByText(/Keycloak user 'dave' has no User entity in the catalog/),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Catalog' })).toHaveCount(0);
});

/** The entity page's context menu item, which the app enables by permission. */
async function unregisterItem(page: Page) {
  await page.goto('/catalog/default/component/portal-backend');
  await expect(
    page.getByRole('heading', { name: 'portal-backend' }).first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'More actions' }).click();
  return page.getByRole('menuitem', { name: /Unregister entity/ });
}

test('shows bob, a developer, only what his role allows', async ({ page }) => {
  await signInWithKeycloak(page, 'bob');
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
  await page.goto('/catalog');
  await expect(
    page.getByRole('link', { name: 'portal-backend' }),
  ).toBeVisible();
  // portal-backend belongs to platform-team, not to bob's team-payments.
  await expect(await unregisterItem(page)).toBeDisabled();
  // Tenant onboarding is tagged platform-team-only: hidden from developers.
  await page.goto('/create');
  await expect(
    page.getByRole('heading', { name: 'Deploy a container service' }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'Onboard a team' }),
  ).toHaveCount(0);
});

test('shows alice, a platform admin, what bob may not do', async ({ page }) => {
  await signInWithKeycloak(page, 'alice');
  await expect(await unregisterItem(page)).toBeEnabled();
  await page.goto('/create');
  await expect(
    page.getByRole('heading', { name: 'Onboard a team' }),
  ).toBeVisible();
});
