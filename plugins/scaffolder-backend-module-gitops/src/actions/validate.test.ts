import fs from 'node:fs/promises';
import path from 'node:path';
import { createGitopsRepoFetchAction } from './fetch';
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

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app.kubernetes.io/name: api
    portal.platform/team: payments
spec:
  selector: { matchLabels: { app.kubernetes.io/name: api } }
  template:
    metadata: { labels: { app.kubernetes.io/name: api } }
    spec:
      containers:
        - name: api
          image: api
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
`;
const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: payments-dev
resources: [../../base]
images:
  - name: api
    newName: quay.io/acme/api
    newTag: 1.0.0
`;

describe('gitops:manifests:validate', () => {
  let remote: TestRemote;

  beforeAll(async () => {
    remote = await startRemote();
  });
  afterAll(() => remote.cleanup());

  async function fetched() {
    const workspace = await remote.workspace();
    const options = actionOptions(remote);
    await createGitopsRepoFetchAction(options).handler(
      mockContext(workspace, {}).ctx,
    );
    return { workspace, options };
  }

  it('validates only the files changed in a working copy', async () => {
    // The seed holds an invalid deployment.yaml that nobody changes.
    const { workspace, options } = await fetched();
    await writeTree(path.join(workspace, 'gitops'), {
      'services/payments/api/base/deployment.yaml': DEPLOYMENT,
      'services/payments/api/base/kustomization.yaml':
        'resources: [deployment.yaml]\n',
      'services/payments/api/overlays/dev/kustomization.yaml': KUSTOMIZATION,
      'services/payments/api/notes.txt': 'not YAML, not read',
    });
    const { ctx, outputs } = mockContext(workspace, { path: 'gitops' });
    await createGitopsManifestsValidateAction(options).handler(ctx);
    expect(outputs.files).toEqual([
      'services/payments/api/base/deployment.yaml',
      'services/payments/api/base/kustomization.yaml',
      'services/payments/api/overlays/dev/kustomization.yaml',
    ]);
  });

  it('lists every problem with file, document, object and rule', async () => {
    const { workspace, options } = await fetched();
    await writeTree(path.join(workspace, 'gitops'), {
      'services/payments/api/base/deployment.yaml': `${DEPLOYMENT.replace(
        'namespace: ',
        '',
      ).replace(
        'name: api\n  labels',
        'name: api\n  namespace: kube-system\n  labels',
      )}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: sneaky }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
`,
      'services/payments/api/overlays/dev/kustomization.yaml': `resources: [https://example.com/evil.yaml]\n`,
    });
    // An edit of a tracked file is validated too.
    await fs.appendFile(
      path.join(
        workspace,
        'gitops',
        'services/payments/existing/base/kustomization.yaml',
      ),
      'namespace: openshift-config\n',
    );
    const { ctx } = mockContext(workspace, {});
    const error = await createGitopsManifestsValidateAction(options)
      .handler(ctx)
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message.split('\n')).toEqual([
      '5 problems in the manifests of gitops:',
      '- services/payments/api/base/deployment.yaml [document 0] Deployment/api: platform-namespace: metadata.namespace "kube-system" belongs to the platform',
      '- services/payments/api/base/deployment.yaml [document 1] ClusterRoleBinding/sneaky: cluster-scoped: ClusterRoleBinding is cluster-scoped; only team onboarding may write cluster-scoped objects',
      '- services/payments/api/overlays/dev/kustomization.yaml [document 0] Kustomization: kustomization: resources: remote reference "https://example.com/evil.yaml" is not allowed; copy the manifests into the repository',
      '- services/payments/existing/base/kustomization.yaml [document 0] Kustomization: platform-namespace: namespace "openshift-config" belongs to the platform',
      '- services/payments/api/base/deployment.yaml [document 0] Deployment/api: image-registry: container "api" image "api" names no registry, and no overlay builds this file to map it to an allowed image (allowed: quay.io/acme)',
    ]);
  });

  it('validates every YAML file of a folder that is not a working copy', async () => {
    const workspace = await remote.workspace();
    await writeTree(path.join(workspace, 'out'), {
      // Applied as it is, so it names an allowed registry itself.
      'a/deployment.yaml': DEPLOYMENT.replace(
        'image: api',
        'image: quay.io/acme/api',
      ),
      'b/c/config.yml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  labels: { app.kubernetes.io/name: c, portal.platform/team: payments }
`,
    });
    const { ctx, outputs } = mockContext(workspace, { path: 'out' });
    await createGitopsManifestsValidateAction(actionOptions(remote)).handler(
      ctx,
    );
    expect(outputs.files).toEqual(['a/deployment.yaml', 'b/c/config.yml']);
  });

  it('allows cluster-scoped objects only when asked', async () => {
    const workspace = await remote.workspace();
    await writeTree(path.join(workspace, 'gitops'), {
      'teams/payments/namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: payments-dev
  labels: { portal.platform/team: payments }
`,
    });
    const action = createGitopsManifestsValidateAction(actionOptions(remote));
    await expect(
      action.handler(mockContext(workspace, {}).ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('cluster-scoped'),
    });
    await expect(
      action.handler(mockContext(workspace, { allowClusterScoped: true }).ctx),
    ).resolves.toBeUndefined();
  });

  it('refuses a path outside the workspace or missing', async () => {
    const workspace = await remote.workspace();
    const action = createGitopsManifestsValidateAction(actionOptions(remote));
    await expect(
      action.handler(mockContext(workspace, { path: '../..' }).ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(
      action.handler(mockContext(workspace, { path: 'missing' }).ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
  });
});
