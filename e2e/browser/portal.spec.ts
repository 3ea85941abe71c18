import { expect, test } from '@playwright/test';
import { signInAsGuest } from '../support/browserSignIn';

test('signs in locally and lists the portal catalog', async ({ page }) => {
  await signInAsGuest(page);
  // The home page is at /; the catalog has its own address.
  await page.goto('/catalog');
  await expect(page.getByRole('link', { name: 'portal-app' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'portal-backend' }),
  ).toBeVisible();
  await expect(page.getByText('Scaffolded Backstage App')).toHaveCount(0);
});

test('shows Argo CD and Kubernetes views of a component (loopback stand-ins)', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/portal-backend');
  await expect(
    page.getByRole('heading', { name: 'portal-backend' }).first(),
  ).toBeVisible();

  await expect(
    page.getByRole('heading', { name: 'ArgoCD overview' }),
  ).toBeVisible();
  await expect(
    // Read through the argocd backend plugin; Roadie's card names the
    // instance whenever argocd.appLocatorMethods is set.
    page.getByRole('row', {
      name: /^developer-portal stand-in Synced Healthy/,
    }),
  ).toBeVisible();

  await page.getByRole('link', { name: 'Kubernetes', exact: true }).click();
  await expect(page.getByText('stand-in-cluster')).toBeVisible();
  await expect(page.getByText('2 pods').first()).toBeVisible();
  await expect(page.getByText('No pods with errors')).toBeVisible();
  // The expanded cluster lists the Deployment the stand-in returned.
  await page.getByText('stand-in-cluster').click();
  await expect(
    page.getByText('developer-portal', { exact: true }).first(),
  ).toBeVisible();
});

test('renders the TechDocs site built from docs/', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/docs/default/component/portal-backend');
  const content = page.locator('[data-testid="techdocs-native-shadowroot"]');
  await expect(
    content.getByRole('heading', { name: 'Developer Portal', level: 1 }),
  ).toBeVisible({ timeout: 150_000 });
  await expect(
    content.getByText('control plane of the OpenShift platform'),
  ).toBeVisible();
});
