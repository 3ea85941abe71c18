import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createGitopsKustomizeSetImageAction } from './setImage';
import { mockContext, writeTree } from './__testUtils__';

const OVERLAY = `# The prod overlay of payments-api.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: payments-prod
resources:
  - ../../base # the base
images:
  - name: api
    newName: quay.io/acme/api
    newTag: "1.0.0" # promoted by the portal
`;

describe('gitops:kustomize:set-image', () => {
  let workspace: string;
  const file = () =>
    path.join(workspace, 'gitops/overlays/prod/kustomization.yaml');

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-set-image-'));
    await writeTree(workspace, {
      'gitops/overlays/prod/kustomization.yaml': OVERLAY,
    });
  });
  afterEach(() => fs.rm(workspace, { recursive: true, force: true }));

  const run = (input: { path: string; image: string; newTag: string }) => {
    const { ctx, outputs } = mockContext(workspace, input);
    return createGitopsKustomizeSetImageAction()
      .handler(ctx)
      .then(() => outputs);
  };

  it('sets the tag and keeps the rest of the file', async () => {
    const outputs = await run({
      path: 'gitops/overlays/prod',
      image: 'api',
      newTag: '1.4',
    });
    expect(outputs.kustomization).toBe(
      'gitops/overlays/prod/kustomization.yaml',
    );
    expect(await fs.readFile(file(), 'utf8')).toBe(
      OVERLAY.replace('newTag: "1.0.0"', 'newTag: "1.4"'),
    );
  });

  it('adds an image that is not listed yet', async () => {
    await run({
      path: 'gitops/overlays/prod',
      image: 'quay.io/acme/worker',
      newTag: 'v2_rc-1',
    });
    const text = await fs.readFile(file(), 'utf8');
    expect(text).toContain('# promoted by the portal');
    expect(text).toContain(
      '  - name: quay.io/acme/worker\n    newTag: v2_rc-1\n',
    );
  });

  it.each(['bad tag', '-leading', '.dot', 'a'.repeat(129), 'x;rm -rf /', ''])(
    'refuses the tag %j',
    async newTag => {
      await expect(
        run({ path: 'gitops/overlays/prod', image: 'api', newTag }),
      ).rejects.toMatchObject({
        name: 'InputError',
      });
      expect(await fs.readFile(file(), 'utf8')).toBe(OVERLAY);
    },
  );

  it('refuses an invalid image name', async () => {
    await expect(
      run({ path: 'gitops/overlays/prod', image: 'Quay.io/ACME', newTag: '1' }),
    ).rejects.toMatchObject({ name: 'InputError' });
  });

  it('refuses a folder without a kustomization, and one outside the workspace', async () => {
    await expect(
      run({ path: 'gitops/overlays', image: 'api', newTag: '1' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'There is no kustomization.yaml in gitops/overlays',
    });
    await expect(
      run({ path: '../..', image: 'api', newTag: '1' }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });
});
