import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, scratchDir } from '@internal/test-harness';

/** The local GitOps repository ./scripts/start serves (seeded from gitops/). */
const GITOPS_REPO = 'http://127.0.0.1:7011/gitops.git';
const TEAM = 'team-payments';
const SERVICE = 'e2e-checkout';
const BRANCH = `portal/deploy-service/${TEAM}/${SERVICE}`;

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'e2e',
      GIT_AUTHOR_EMAIL: 'e2e@localhost',
      GIT_COMMITTER_NAME: 'e2e',
      GIT_COMMITTER_EMAIL: 'e2e@localhost',
      GIT_TERMINAL_PROMPT: '0',
    },
  });
}

/**
 * deploy-service refuses a team that is not onboarded, and the local
 * repository starts from gitops/ (no team), so the team's onboarding, as
 * the onboard-team fixture renders it, is merged first, as a platform
 * engineer would merge that change request.
 */
function onboardTeam() {
  const dir = path.join(scratchDir('templates-e2e'), 'gitops');
  git(['clone', '--quiet', GITOPS_REPO, dir]);
  if (!fs.existsSync(path.join(dir, 'teams', TEAM))) {
    fs.cpSync(
      path.join(
        repoRoot,
        'templates/onboard-team/fixtures/team-payments/expected/teams',
      ),
      path.join(dir, 'teams'),
      { recursive: true },
    );
    git(['add', '--all'], dir);
    git(['commit', '--quiet', '-m', `Onboard team ${TEAM}`], dir);
    git(['push', '--quiet', 'origin', 'HEAD:main'], dir);
  }
}

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
}

test.beforeAll(() => {
  onboardTeam();
});

test('runs deploy-service from the form and links the change request', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/create/templates/default/deploy-service');
  await expect(
    page.getByText('Deploy a container service').first(),
  ).toBeVisible();

  // Page 1: the team comes from the catalog's groups (an Autocomplete).
  const team = page.getByRole('textbox', { name: 'Team', exact: true });
  await team.click();
  await team.fill('payments');
  await page
    .getByRole('option', { name: /payments/i })
    .first()
    .click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(SERVICE);
  await page
    .getByRole('textbox', { name: 'Description', exact: true })
    .fill('Checkout: the #1 path to revenue');
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 2: the container; everything else keeps its default.
  await page
    .getByRole('textbox', { name: 'Image repository', exact: true })
    .fill('quay.io/acme/checkout');
  await page
    .getByRole('textbox', { name: 'Image tag', exact: true })
    .fill('1.0.0');
  await page.getByRole('button', { name: /^(Review|Next)$/ }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task page links the change request once publish has pushed.
  const link = page.getByRole('link', { name: 'Change request' });
  await expect(link).toBeVisible({ timeout: 120_000 });
  const href = await link.getAttribute('href');
  expect(href).toContain(BRANCH);

  // The branch really is on the GitOps repository, with the service.
  const files = git(['ls-remote', GITOPS_REPO, `refs/heads/${BRANCH}`]).trim();
  expect(files).toMatch(/^[0-9a-f]{40}\s+refs\/heads\//);
});
