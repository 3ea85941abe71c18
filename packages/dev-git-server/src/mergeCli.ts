/*
 * Stands in for the reviewer of the local GitOps repository of
 * ./scripts/start: merges a change request's branch into main (or closes
 * it unmerged with --close), then sends the push webhook to the portal as
 * a Git forge would, so the catalog and the change request follow at once.
 *
 *   yarn gitops:merge <branch>           merge, e.g. portal/onboard-team/team-search
 *   yarn gitops:merge --close <branch>   delete the branch without merging
 *   yarn gitops:merge --list             list the open change-request branches
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runGit } from './git';
import { branchTip, deleteBranch, mergeBranch } from './mergeBranch';

// A development tool run from the checkout, never bundled.
// eslint-disable-next-line no-restricted-syntax
const repoRoot = path.resolve(__dirname, '../../..');
const bare = path.join(repoRoot, '.scratch', 'dev-git', 'gitops.git');
const portal = process.env.PORTAL_BACKEND_URL ?? 'http://localhost:7007';
const gitPort = Number(process.env.GITOPS_DEV_GIT_PORT ?? 7011);

/** The webhook key of the embedded default (app-config.yaml). */
function webhookSecret(): string | undefined {
  const config = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  return config?.events?.modules?.gitops?.webhookSecret;
}

/** Tells the portal that main moved, signed like Gitea and GitHub do. */
async function sendPushWebhook(commit: string) {
  const secret = webhookSecret();
  if (!secret) return;
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    after: commit,
    repository: { clone_url: `http://127.0.0.1:${gitPort}/gitops.git` },
  });
  const signature = crypto
    .createHmac('sha256', secret)
    .update(body)
    .digest('hex');
  const res = await fetch(`${portal}/api/events/http/gitops`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-gitea-event': 'push',
      'x-hub-signature-256': `sha256=${signature}`,
    },
    body,
  }).catch(error => ({ status: 0, statusText: String(error) }));
  process.stdout.write(
    res.status >= 200 && res.status < 300
      ? 'The portal was told (push webhook).\n'
      : `The portal did not take the webhook (${res.status} ${res.statusText}); it will see the merge at its next scheduled run.\n`,
  );
}

async function main(args: string[]) {
  if (!fs.existsSync(bare)) {
    throw new Error(
      `No local GitOps repository at ${bare}: run ./scripts/start first`,
    );
  }
  if (args[0] === '--list') {
    const { stdout } = await runGit([
      `--git-dir=${bare}`,
      'for-each-ref',
      '--format=%(refname:short)',
      'refs/heads/portal/',
    ]);
    process.stdout.write(stdout || 'No open change-request branches.\n');
    return;
  }
  const close = args[0] === '--close';
  const branch = close ? args[1] : args[0];
  if (!branch)
    throw new Error('Usage: yarn gitops:merge [--close] <branch> | --list');
  if (!(await branchTip(bare, branch)))
    throw new Error(`There is no branch ${branch}`);
  if (close) {
    await deleteBranch(bare, branch);
    process.stdout.write(`Closed ${branch} without merging.\n`);
    return;
  }
  const commit = await mergeBranch(bare, branch, 'main', {
    deleteBranch: true,
  });
  process.stdout.write(`Merged ${branch} into main at ${commit}.\n`);
  await sendPushWebhook(commit);
}

main(process.argv.slice(2)).catch(error => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
