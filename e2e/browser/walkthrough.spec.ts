import { Browser, expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { setServiceStatusOver } from '@internal/stand-ins';
import { repoRoot } from '@internal/test-harness';
import { signInAsGuest, signInWithKeycloak } from '../support/browserSignIn';

/**
 * The README's walkthrough, through the UI, on the portal of the README's
 * start command: a platform engineer (the local guest) onboards a team;
 * bob, a developer of that team signed in with Keycloak, deploys a service
 * into it, follows it through review, merge and Argo CD (a loopback Argo
 * CD API stand-in that globalSetup starts), and decommissions it. The
 * reviewer merges with the README's one command, `yarn gitops:merge`.
 */

const TEAM = 'team-payments';
const SERVICE = 'ledger';
const ENVS = ['dev', 'test', 'prod'];
/** The walkthrough promises the catalog within 60 s of a merge. */
const AFTER_MERGE = { timeout: 60_000 };

test.describe.configure({ mode: 'serial' });

let bob: Page;

/** The reviewer of the local GitOps repository, as the README says. */
function merge(branch: string) {
  const out = execFileSync('yarn', ['gitops:merge', branch], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  expect(out).toContain(`Merged ${branch} into main`);
}

/** Runs a template from its form and opens the change request it links. */
async function requestAndOpen(page: Page, fill: () => Promise<void>) {
  await fill();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const link = page.getByRole('link', { name: 'Change request' });
  await expect(link).toBeVisible({ timeout: 120_000 });
  const href = (await link.getAttribute('href'))!;
  // In every setup the task links the portal's own page of the request.
  expect(new URL(href).pathname).toMatch(/^\/gitops\/changes\/[0-9a-f-]{36}$/);
  await page.goto(href);
  await expect(page.getByText('open', { exact: true }).first()).toBeVisible();
  return href;
}

/** One look at a page that `eventually` reloads until it passes. */
const soon = expect.configure({ timeout: 10_000 });

/** Reloads a page until `check` passes (the catalog ingests asynchronously). */
async function eventually(page: Page, url: string, check: () => Promise<void>) {
  await expect(async () => {
    await page.goto(url);
    await check();
  }).toPass(AFTER_MERGE);
}

async function pickTeam(page: Page) {
  const team = page.getByRole('textbox', { name: 'Team', exact: true });
  await team.click();
  // The picker offers groups by title ("Payments Team").
  await team.fill('Payments');
  await page
    .getByRole('option', { name: /Payments/i })
    .first()
    .click();
}

/** The GitOps card's Argo CD section (Roadie's card shows the same states). */
function argoCdSection(page: Page) {
  return page
    .getByRole('heading', { name: 'Argo CD', exact: true })
    .locator('xpath=..');
}

async function newPage(browser: Browser) {
  return (await browser.newContext()).newPage();
}

test('a platform engineer onboards the team; merged, its namespaces are in the catalog', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await signInAsGuest(page);
  await page.goto('/create/templates/default/onboard-team');
  await requestAndOpen(page, async () => {
    await page.getByLabel('Team name').fill(TEAM);
    await page.getByLabel('Display name').fill('Payments');
    await page.getByLabel('Description').fill('Takes the money.');
  });
  await expect(page.getByText(`teams/${TEAM}/appproject.yaml`)).toBeVisible();
  merge(`portal/onboard-team/${TEAM}`);
  await eventually(page, `/catalog/default/group/${TEAM}`, async () => {
    await soon(page.getByText(`teams/${TEAM}`).first()).toBeVisible();
    await soon(page.getByText(`Onboard team ${TEAM}`)).toBeVisible();
  });
  for (const env of ENVS) {
    await eventually(page, `/catalog/default/resource/${TEAM}-${env}`, () =>
      soon(
        page.getByRole('heading', { name: `Payments (${env})` }),
      ).toBeVisible(),
    );
  }
});

test('bob deploys a service; merged, he sees it with its GitOps card, the change merged, and a notification', async ({
  browser,
}) => {
  bob = await newPage(browser);
  await signInWithKeycloak(bob, 'bob');
  await expect(bob.getByRole('link', { name: 'Changes' })).toBeVisible();
  await bob.goto('/create/templates/default/deploy-service');
  await requestAndOpen(bob, async () => {
    await pickTeam(bob);
    await bob
      .getByRole('textbox', { name: 'Service', exact: true })
      .fill(SERVICE);
    await bob
      .getByRole('textbox', { name: 'Description', exact: true })
      .fill('Keeps the books.');
    await bob.getByRole('button', { name: 'Next' }).click();
    await bob
      .getByRole('textbox', { name: 'Image repository', exact: true })
      .fill(`quay.io/acme/${SERVICE}`);
    await bob
      .getByRole('textbox', { name: 'Image tag', exact: true })
      .fill('1.0.0');
  });
  await expect(
    bob.getByText(`services/${TEAM}/${SERVICE}/base/deployment.yaml`),
  ).toBeVisible();

  merge(`portal/deploy-service/${TEAM}/${SERVICE}`);
  await eventually(bob, `/catalog/default/component/${SERVICE}`, async () => {
    await soon(
      bob.getByText(`services/${TEAM}/${SERVICE}`).first(),
    ).toBeVisible();
    await soon(bob.getByText('merged', { exact: true }).first()).toBeVisible();
  });
  await eventually(bob, '/gitops?scope=mine&state=merged', () =>
    soon(
      bob.getByRole('link', { name: `Deploy service ${SERVICE} for ${TEAM}` }),
    ).toBeVisible(),
  );
  await eventually(bob, '/notifications', async () => {
    await soon(
      bob.getByText(`Merged: Deploy service ${SERVICE} for ${TEAM}`),
    ).toBeVisible();
  });
});

test('Argo CD reports the service Synced/Healthy, then Degraded: the card and notifications follow', async () => {
  const argocd = process.env.ARGOCD_STAND_IN_URL!;
  await setServiceStatusOver(argocd, {
    team: TEAM,
    service: SERVICE,
    envs: ENVS,
    status: { sync: 'Synced', health: 'Healthy' },
  });
  await eventually(bob, `/catalog/default/component/${SERVICE}`, async () => {
    await soon(argoCdSection(bob).getByText('Healthy')).toHaveCount(
      ENVS.length,
    );
  });
  await eventually(bob, '/notifications', async () => {
    await soon(
      bob.getByText(`Deployed: Deploy service ${SERVICE}`),
    ).toBeVisible();
  });

  await setServiceStatusOver(argocd, {
    team: TEAM,
    service: SERVICE,
    envs: ['prod'],
    status: { sync: 'Synced', health: 'Degraded' },
  });
  await eventually(bob, `/catalog/default/component/${SERVICE}`, async () => {
    await soon(argoCdSection(bob).getByText('Degraded')).toHaveCount(1);
  });
  await eventually(bob, '/notifications', async () => {
    await soon(
      bob.getByText(`Degraded after your change: Deploy service ${SERVICE}`),
    ).toBeVisible();
  });
});

test('bob decommissions the service, picked from the catalog; merged, the entity is gone', async () => {
  await bob.goto('/create/templates/default/decommission-service');
  await requestAndOpen(bob, async () => {
    await pickTeam(bob);
    const service = bob.getByRole('button', { name: /Service/ });
    await service.click();
    await bob.getByRole('option', { name: SERVICE }).click();
    const confirm = bob.getByLabel(/I understand/);
    await expect(confirm).not.toBeChecked();
    await confirm.check();
  });
  merge(`portal/decommission-service/${TEAM}/${SERVICE}`);
  await eventually(bob, `/catalog/default/component/${SERVICE}`, async () => {
    await soon(bob.getByText(/not found|no entity/i).first()).toBeVisible();
  });
});
