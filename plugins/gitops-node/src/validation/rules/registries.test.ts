import { parse } from 'yaml';
import { deployment, OPTIONS, runObjectRule } from '../__testUtils__';
import { validateKustomization } from '../kustomization';
import { imageRegistriesRule } from './registries';

const ALLOWED =
  'allowed: quay.io/acme, image-registry.openshift-image-registry.svc:5000';

describe('imageRegistriesRule', () => {
  // Finding 4 of the attacker's probe: any registry was accepted.
  it.each([
    [
      'evil.example.com/miner/xmrig:latest',
      '"evil.example.com/miner/xmrig:latest"',
    ],
    ['127.0.0.1:5000/x/y', '"127.0.0.1:5000/x/y"'],
    ['docker.io/library/alpine', '"docker.io/library/alpine"'],
    ['alpine:3.20', '"alpine:3.20" (docker.io/library/alpine)'],
    ['quay.io/acme-evil/api', '"quay.io/acme-evil/api"'],
    ['localhost/api', '"localhost/api"'],
  ])('refuses %s where no kustomization can map it', (image, shown) => {
    expect(runObjectRule(imageRegistriesRule, deployment(image))).toEqual([
      {
        rule: 'image-registry',
        message: `container "api" image ${shown} is not from an allowed registry (${ALLOWED})`,
      },
    ]);
  });

  it.each([
    'quay.io/acme/payments-api:1.4.2',
    'quay.io/acme/team/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'image-registry.openshift-image-registry.svc:5000/team-payments/ledger',
  ])('accepts %s', image => {
    expect(runObjectRule(imageRegistriesRule, deployment(image))).toEqual([]);
  });

  it('refuses an image that is not a valid reference', () => {
    expect(
      runObjectRule(imageRegistriesRule, deployment('Quay.io/acme/API')),
    ).toEqual([
      {
        rule: 'image-registry',
        message:
          'container "api" image "Quay.io/acme/API" is not a valid image reference',
      },
    ]);
  });

  it('leaves a placeholder in a service folder to the overlays', () => {
    expect(
      runObjectRule(
        imageRegistriesRule,
        deployment('payments-api'),
        {},
        'services/payments/api/base/deployment.yaml',
      ),
    ).toEqual([]);
    // In a plain directory nothing maps it: docker.io/library/payments-api.
    expect(
      runObjectRule(imageRegistriesRule, deployment('payments-api')),
    ).toHaveLength(1);
  });

  it('checks every container of a CronJob, a Pooler and a Cluster image', () => {
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata: { name: c }
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers: [{ name: init, image: busybox }]
          containers: [{ name: job, image: quay.io/acme/job }]
          ephemeralContainers: [{ name: debug, image: evil.example.com/shell }]`;
    expect(
      runObjectRule(imageRegistriesRule, cron).map(
        f => f.message.split(' is ')[0],
      ),
    ).toEqual([
      'container "init" image "busybox" (docker.io/library/busybox)',
      'container "debug" image "evil.example.com/shell"',
    ]);
    const cluster = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: db }
spec: { instances: 1, imageName: ghcr.io/evil/postgres:16 }`;
    expect(runObjectRule(imageRegistriesRule, cluster)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^spec\.imageName image "ghcr\.io\/evil\/postgres:16" is not/,
        ),
      }),
    ]);
    const pooler = `apiVersion: postgresql.cnpg.io/v1
kind: Pooler
metadata: { name: pool }
spec: { template: { spec: { containers: [{ name: pgbouncer, image: 127.0.0.1:5000/pgb }] } } }`;
    expect(runObjectRule(imageRegistriesRule, pooler)).toHaveLength(1);
  });

  it('allows no image at all when no registry is configured', () => {
    expect(
      runObjectRule(imageRegistriesRule, deployment('quay.io/acme/api'), {
        allowedImageRegistries: [],
      }),
    ).toEqual([
      {
        rule: 'image-registry',
        message:
          'container "api" image "quay.io/acme/api" is not from an allowed registry (no registry is allowed: set gitops.allowedImageRegistries)',
      },
    ]);
  });
});

describe('kustomizationImagesRule', () => {
  function check(images: string) {
    return validateKustomization(
      'services/payments/api/overlays/prod/kustomization.yaml',
      0,
      parse(`images: ${images}`),
      OPTIONS,
    ).map(p => [p.rule, p.message]);
  }

  it.each([
    'evil.example.com/miner/xmrig',
    '127.0.0.1:5000/x/y',
    'docker.io/library/alpine',
  ])('refuses newName %s', image => {
    expect(check(`[{ name: api, newName: ${image}, newTag: '1' }]`)).toEqual([
      [
        'image-registry',
        `images[0].newName "${image}" is not from an allowed registry (${ALLOWED})`,
      ],
    ]);
  });

  it('checks a name with a registry when there is no newName, not a retagged placeholder', () => {
    expect(
      check(
        `[{ name: api, newTag: '2' }, { name: evil.example.com/x, newTag: '1' }]`,
      ),
    ).toEqual([
      [
        'image-registry',
        `images[1].name "evil.example.com/x" is not from an allowed registry (${ALLOWED})`,
      ],
    ]);
    expect(
      check(`[{ name: api, newName: quay.io/acme/api, newTag: '1' }]`),
    ).toEqual([]);
  });
});
