import path from 'node:path';
import { deployment, OPTIONS } from '../__testUtils__';
import { validateManifests } from '../validateManifests';
import { ManifestProblem } from '../types';

const SERVICE = 'services/payments/payments-api';

const overlay = (
  env: string,
  images: string,
) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: payments-${env}
resources: [../../base]
images: ${images}
`;
const MAPPED =
  "[{ name: payments-api, newName: quay.io/acme/payments-api, newTag: '1.0.0' }]";

/** deploy-service's output: a base naming the image after the service. */
function service(images: Record<string, string> = {}): Record<string, string> {
  return {
    [`${SERVICE}/base/kustomization.yaml`]: 'resources: [deployment.yaml]\n',
    [`${SERVICE}/base/deployment.yaml`]: deployment(
      'payments-api',
      'payments-api',
    ),
    ...Object.fromEntries(
      ['dev', 'test', 'prod'].map(env => [
        `${SERVICE}/overlays/${env}/kustomization.yaml`,
        overlay(env, images[env] ?? MAPPED),
      ]),
    ),
  };
}

/** Validates `changed` of a repository holding `repository` as well. */
function validate(
  changed: string[],
  repository: Record<string, string>,
): ManifestProblem[] {
  const listDirectory = (dir: string) => {
    const names = Object.keys(repository)
      .filter(f => f.startsWith(`${dir}/`))
      .map(f => f.slice(dir.length + 1).split('/')[0]);
    return names.length > 0 ? [...new Set(names)] : undefined;
  };
  return validateManifests(
    changed.map(p => ({ path: p, content: repository[p] })),
    {
      ...OPTIONS,
      fileExists: p => p in repository || listDirectory(p) !== undefined,
      readFile: p => repository[p],
      listDirectory,
    },
  ).filter(p => p.rule === 'image-registry');
}

const ALLOWED =
  'allowed: quay.io/acme, image-registry.openshift-image-registry.svc:5000';

describe('unmappedPlaceholders', () => {
  it('accepts a placeholder that every overlay maps to an allowed image', () => {
    const repository = service();
    expect(validate(Object.keys(repository), repository)).toEqual([]);
  });

  it('accepts a placeholder that the base itself maps', () => {
    const repository = {
      ...service({ dev: '[]', test: '[]', prod: '[]' }),
      [`${SERVICE}/base/kustomization.yaml`]: `resources: [deployment.yaml]
images: [{ name: payments-api, newName: quay.io/acme/payments-api }]
`,
    };
    expect(validate(Object.keys(repository), repository)).toEqual([]);
  });

  it('refuses a placeholder that an overlay leaves unmapped, on the base', () => {
    // prod only retags: the node would pull docker.io/library/payments-api.
    const repository = service({
      prod: "[{ name: payments-api, newTag: '2' }]",
    });
    expect(validate(Object.keys(repository), repository)).toEqual([
      {
        path: `${SERVICE}/base/deployment.yaml`,
        documentIndex: 0,
        kind: 'Deployment',
        name: 'payments-api',
        rule: 'image-registry',
        message: `container "payments-api" image "payments-api" names no registry and is not mapped to an allowed image in ${SERVICE}/overlays/prod/kustomization.yaml (images: [{ name: payments-api, newName: <an allowed image> }]; ${ALLOWED})`,
      },
    ]);
  });

  it('refuses an edited overlay that drops the mapping of its base, found through readFile', () => {
    const repository = service({ test: '[]' });
    const changed = [`${SERVICE}/overlays/test/kustomization.yaml`];
    expect(validate(changed, repository)).toEqual([
      expect.objectContaining({
        path: changed[0],
        kind: 'Kustomization',
        message: `images: "payments-api" (container "payments-api" of ${SERVICE}/base/deployment.yaml) names no registry, and this kustomization does not map it to an allowed image (images: [{ name: payments-api, newName: <an allowed image> }]; ${ALLOWED})`,
      }),
    ]);
    // Another overlay's change is not this one's problem.
    expect(
      validate([`${SERVICE}/overlays/dev/kustomization.yaml`], repository),
    ).toEqual([]);
  });

  it('refuses an overlay that maps the placeholder to another registry, twice', () => {
    const repository = service({
      dev: "[{ name: payments-api, newName: evil.example.com/miner/xmrig, newTag: '1' }]",
    });
    expect(
      validate(Object.keys(repository), repository).map(p => [
        p.path,
        p.message.split(' (')[0],
      ]),
    ).toEqual([
      [
        `${SERVICE}/overlays/dev/kustomization.yaml`,
        'images[0].newName "evil.example.com/miner/xmrig" is not from an allowed registry',
      ],
      [
        `${SERVICE}/base/deployment.yaml`,
        `container "payments-api" image "payments-api" names no registry and is not mapped to an allowed image in ${SERVICE}/overlays/dev/kustomization.yaml`,
      ],
    ]);
  });

  it('refuses a placeholder that no overlay builds', () => {
    const base = `${SERVICE}/base/deployment.yaml`;
    const repository = { [base]: deployment('payments-api', 'payments-api') };
    expect(validate([base], repository)).toEqual([
      expect.objectContaining({
        path: base,
        message: `container "payments-api" image "payments-api" names no registry, and no overlay builds this file to map it to an allowed image (${ALLOWED})`,
      }),
    ]);
  });

  it('follows an overlay into a base of another folder, and stops at cycles', () => {
    const shared = 'services/payments/shared/base';
    const repository = {
      [`${shared}/kustomization.yaml`]:
        'resources: [deployment.yaml, ../../payments-api/overlays/dev]\n',
      [`${shared}/deployment.yaml`]: deployment('shared', 'shared'),
      [`${SERVICE}/overlays/dev/kustomization.yaml`]: overlay(
        'dev',
        '[{ name: shared, newName: quay.io/acme/shared }]',
      ).replace(
        '../../base',
        path.posix.relative(`${SERVICE}/overlays/dev`, shared),
      ),
    };
    expect(validate(Object.keys(repository), repository)).toEqual([]);
  });
});
