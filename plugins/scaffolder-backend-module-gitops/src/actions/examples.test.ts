import path from 'node:path';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createGitopsService } from '@internal/plugin-gitops-node';
import yaml from 'yaml';
import { createGitopsRepoFetchAction } from './fetch';
import { createGitopsChangePublishAction } from './publish';
import { GitopsActionOptions } from './options';
import { createGitopsKustomizeSetImageAction } from './setImage';
import { createGitopsManifestsValidateAction } from './validate';
import {
  actionOptions,
  mockContext,
  startRemote,
  TestRemote,
  writeTree,
} from './__testUtils__';

// Every test runs git against a loopback server; a loaded CI machine is slow.
jest.setTimeout(30_000);

/** What the GitOps repository holds before each example runs. */
const SEED = {
  'teams/team-payments/appproject.yaml': 'kind: AppProject\n',
  'services/team-payments/existing/overlays/prod/kustomization.yaml':
    'resources: [../../base]\n',
  'services/team-payments/payments-api/overlays/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: team-payments-prod
resources: [../../base]
images:
  - name: payments-api
    newName: quay.io/acme/payments-api
    newTag: 1.4.1
`,
};

/** What a template's earlier steps left in the worktree, per action. */
const LEDGER = 'services/team-payments/ledger';

const WRITTEN: Record<string, Record<string, string>> = {
  'gitops:manifests:validate': {
    [`${LEDGER}/base/kustomization.yaml`]: 'resources: [deployment.yaml]\n',
    [`${LEDGER}/base/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  labels: { app.kubernetes.io/name: ledger, portal.platform/team: team-payments }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: ledger } }
  template:
    metadata: { labels: { app.kubernetes.io/name: ledger } }
    spec:
      containers:
        - name: ledger
          image: ledger
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
`,
    [`${LEDGER}/overlays/dev/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: team-payments-dev
resources: [../../base]
images:
  - name: ledger
    newName: quay.io/acme/ledger
    newTag: 1.0.0
`,
  },
  'gitops:change:publish': {
    'services/team-payments/payments-api/overlays/prod/kustomization.yaml':
      'resources: [../../base]\n',
  },
};

describe('every action example runs in dry run', () => {
  let remote: TestRemote;
  beforeAll(async () => {
    remote = await startRemote();
    await remote.commit(SEED);
  });
  afterAll(() => remote.cleanup());

  const actions = (options: GitopsActionOptions) =>
    [
      createGitopsRepoFetchAction(options),
      createGitopsManifestsValidateAction(options),
      createGitopsKustomizeSetImageAction(),
      createGitopsChangePublishAction(options),
    ] as TemplateAction<any, any, any>[];

  // Listing the examples needs no repository.
  const unconfigured = {
    gitops: createGitopsService(
      undefined,
      ScmIntegrations.fromConfig(new ConfigReader({})),
    ),
  };
  const cases = actions(unconfigured).flatMap(action =>
    (action.examples ?? []).map(example => [action.id, example] as const),
  );

  it.each(cases)('%s: %j', async (id, example) => {
    const all = actions(actionOptions(remote));
    const action = all.find(a => a.id === id)!;
    const [step] = yaml.parse(example.example).steps;
    expect(step.action).toBe(id);
    const workspace = await remote.workspace();
    if (id !== 'gitops:repo:fetch') {
      const fetch = mockContext(workspace, { targetPath: 'gitops' });
      await all[0].handler(fetch.ctx);
      await writeTree(path.join(workspace, 'gitops'), WRITTEN[id] ?? {});
    }
    const { ctx, outputs } = mockContext(workspace, step.input, {
      isDryRun: true,
    });
    await action.handler(ctx);
    expect(Object.keys(outputs).length).toBeGreaterThan(0);
  });
});
