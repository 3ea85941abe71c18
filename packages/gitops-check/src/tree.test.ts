import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTree, writeTree } from './files';
import { gitopsDir, templatesDir } from './paths';
import { checkTree } from './tree';

/** gitops/ plus the rendered output of a few fixtures, in a scratch folder. */
async function sampleTree(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-tree-'));
  writeTree(dir, await readTree(gitopsDir));
  for (const fixture of [
    'onboard-team/fixtures/team-payments',
    'deploy-service/fixtures/payments-api',
    'add-database/fixtures/ledger-prod',
  ]) {
    writeTree(
      dir,
      await readTree(path.join(templatesDir, fixture, 'expected')),
    );
  }
  return dir;
}

describe('gitops-check tree', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await sampleTree();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the gitops/ layout and bootstrap as committed', async () => {
    expect(await checkTree(gitopsDir)).toEqual([]);
  });

  it('accepts a tree of onboarded teams, services and databases', async () => {
    expect(await checkTree(dir)).toEqual([]);
  });

  it('refuses an object in kube-system', async () => {
    fs.writeFileSync(
      path.join(dir, 'databases/team-payments/prod/ledger-db/extra.yaml'),
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: sneaky',
        '  namespace: kube-system',
        '  labels:',
        '    app.kubernetes.io/name: sneaky',
        '    portal.platform/team: team-payments',
        'data: {}',
        '',
      ].join('\n'),
    );
    expect(await checkTree(dir)).toEqual([
      {
        path: 'databases/team-payments/prod/ledger-db/extra.yaml',
        message: expect.stringContaining(
          'metadata.namespace "kube-system" belongs to the platform',
        ),
      },
      {
        path: 'databases/team-payments/prod/ledger-db/extra.yaml',
        message:
          'ConfigMap declares namespace kube-system, but Application team-payments.db-ledger-db.prod deploys this folder to team-payments-prod',
      },
    ]);
  });

  it('refuses images from registries that are not allowed, kustomize placeholders included', async () => {
    const service = path.join(dir, 'services/team-payments/payments-api');
    const edit = (file: string, from: string, to: string) => {
      const content = fs.readFileSync(file, 'utf8');
      expect(content).toContain(from);
      fs.writeFileSync(file, content.replace(from, to));
    };
    // Finding 4 of the attacker's probe, once per way in.
    edit(
      path.join(service, 'overlays/prod/kustomization.yaml'),
      'newName: quay.io/acme/payments-api',
      'newName: evil.example.com/miner/xmrig',
    );
    edit(
      path.join(service, 'overlays/test/kustomization.yaml'),
      'newName: quay.io/acme/payments-api',
      'newName: 127.0.0.1:5000/x/y',
    );
    edit(
      path.join(dir, 'databases/team-payments/prod/ledger-db/cluster.yaml'),
      'instances: 3',
      'instances: 3\n  imageName: docker.io/library/alpine',
    );
    const messages = (await checkTree(dir)).map(
      p => `${p.path}: ${p.message.replace(/ \(allowed: [^)]*\)/, '')}`,
    );
    expect(messages).toEqual([
      'databases/team-payments/prod/ledger-db/cluster.yaml: Cluster ledger-db: spec.imageName image "docker.io/library/alpine" is not from an allowed registry [image-registry]',
      'services/team-payments/payments-api/base/deployment.yaml: Deployment payments-api: container "payments-api" image "payments-api" names no registry and is not mapped to an allowed image in services/team-payments/payments-api/overlays/prod/kustomization.yaml, services/team-payments/payments-api/overlays/test/kustomization.yaml (images: [{ name: payments-api, newName: <an allowed image> }]; allowed: quay.io/acme, image-registry.openshift-image-registry.svc:5000) [image-registry]',
      'services/team-payments/payments-api/overlays/prod/kustomization.yaml: Kustomization: images[0].newName "evil.example.com/miner/xmrig" is not from an allowed registry [image-registry]',
      'services/team-payments/payments-api/overlays/test/kustomization.yaml: Kustomization: images[0].newName "127.0.0.1:5000/x/y" is not from an allowed registry [image-registry]',
    ]);
  });

  it('refuses folders no ApplicationSet discovers and projects that do not exist', async () => {
    fs.mkdirSync(path.join(dir, 'services/team-payments/payments-api/extra'));
    fs.copyFileSync(
      path.join(dir, 'services/team-payments/payments-api/base/service.yaml'),
      path.join(dir, 'services/team-payments/payments-api/extra/service.yaml'),
    );
    fs.rmSync(path.join(dir, 'teams/team-payments/appproject.yaml'));
    const messages = (await checkTree(dir)).map(p => `${p.path}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'services/team-payments/payments-api/extra/service.yaml: services/ holds only services/<team>/<service>/{base,overlays/<env>}/ and catalog-info.yaml',
        'services/team-payments/payments-api/overlays/prod: Application team-payments.payments-api.prod uses AppProject "team-payments", which no file of the repository defines',
      ]),
    );
  });

  it('exits non-zero with a listing from the command line', () => {
    fs.writeFileSync(
      path.join(dir, 'teams/team-payments/dev/bad.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n',
    );
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(__dirname, 'cli.ts'),
        'tree',
        dir,
      ],
      { encoding: 'utf8', env: { ...process.env, INIT_CWD: '' } },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '✗ teams/team-payments/dev/bad.yaml: ConfigMap Bad_Name:',
    );
    expect(run.stdout).toMatch(/\d+ problem\(s\) in /);

    const ok = spawnSync(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(__dirname, 'cli.ts'),
        'tree',
        gitopsDir,
      ],
      { encoding: 'utf8' },
    );
    expect(ok.stdout).toContain('no problems');
    expect(ok.status).toBe(0);
  });
});
