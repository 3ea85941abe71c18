import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { startHarness } from './harness';
import { gitopsConfig } from './templates';
import { readTree, writeTree } from './files';
import { DEFAULT_PLATFORM_OPTIONS } from './validate';
import { seedRepository, startGitHttpServer } from '@internal/dev-git-server';
async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dbg-'));
  const seed = path.join(root, 'seed');
  writeTree(seed, await readTree('/work/main/gitops'));
  writeTree(seed, await readTree('/work/main/templates/onboard-team/fixtures/team-payments/expected'));
  await seedRepository(path.join(root, 'git'), 'gitops.git', seed);
  const server = await startGitHttpServer({ root: path.join(root, 'git') });
  const h = await startHarness({ config: gitopsConfig(server.url('gitops.git'), DEFAULT_PLATFORM_OPTIONS), templateDirs: ['/work/main/templates/deploy-service'] });
  const r = await h.runTask('deploy-service', { team: 'group:default/team-payments', name: 'payments-api', description: 'x', image: 'quay.io/acme/payments-api', tag: '1.4.2', port: 8080, healthPath: '/healthz', size: 'S', replicas: 2, autoscaling: false, maxReplicas: 5 });
  console.log(r.status, r.log.slice(-8).map(l => l.slice(0, 400)));
  await h.stop(); await server.stop();
}
main();
