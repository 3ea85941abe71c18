/*
 * The GitOps repository of local development: serves a bare repository
 * `gitops.git`, seeded from the top-level gitops/ folder of this checkout,
 * on http://127.0.0.1:7011/gitops.git (app-config.yaml points the gitops
 * actions at it) until it is stopped. The repository lives in the ignored
 * .scratch/dev-git/ and is seeded afresh at every start, so it always holds
 * what gitops/ holds; change requests pushed to it last until then.
 *
 * Run by ./scripts/start, or alone:
 *   yarn workspace @internal/dev-git-server start
 */
import path from 'node:path';
import fs from 'node:fs/promises';
import { seedRepository, startGitHttpServer } from './gitHttpServer';

// A development tool run from the checkout, never bundled.
// eslint-disable-next-line no-restricted-syntax
const repoRoot = path.resolve(__dirname, '../../..');
const root = path.join(repoRoot, '.scratch', 'dev-git');
const port = Number(process.env.GITOPS_DEV_GIT_PORT ?? 7011);

async function main() {
  await fs.mkdir(root, { recursive: true });
  await seedRepository(root, 'gitops.git', path.join(repoRoot, 'gitops'));
  const server = await startGitHttpServer({ root, port });
  process.stdout.write(
    `GitOps dev repository (from gitops/): ${server.url('gitops.git')}\n`,
  );
  const stop = () => {
    server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  process.stderr.write(`GitOps dev git server: ${error.message}\n`);
  process.exit(1);
});
