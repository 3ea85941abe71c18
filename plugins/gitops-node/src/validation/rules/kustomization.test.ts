import { OPTIONS } from '../__testUtils__';
import { validateKustomization } from '../kustomization';
import { parse } from 'yaml';

const FILE = 'services/payments/api/overlays/dev/kustomization.yaml';

function check(body: string, options = {}) {
  return validateKustomization(FILE, 0, parse(body), {
    ...OPTIONS,
    ...options,
  }).map(p => [p.rule, p.message]);
}

describe('kustomization rules', () => {
  it('reports a field that is not a list where it is met, in field order', () => {
    expect(
      check(
        'resources: [../../../../../../x]\npatches: not-a-list\nimages: {}',
      ),
    ).toEqual([
      [
        'kustomization',
        'resources: "../../../../../../x" points outside the repository',
      ],
      ['kustomization', 'patches must be a list'],
      ['kustomization', 'images must be a list'],
    ]);
  });

  it('follows every kind of reference: patches, generators and their files', () => {
    const exists = (p: string) => p.endsWith('ok.yaml');
    expect(
      check(
        `patches: [{ path: /etc/x }]
patchesStrategicMerge: ["kind: Inline\\nmetadata: {}", missing.yaml]
configMapGenerator: [{ files: [key=ok.yaml, ../../../../../../x], envs: [gone.env] }]
secretGenerator: [{ env: https://example.com/x.env }]`,
        { fileExists: exists },
      ).map(([, m]) => m),
    ).toEqual([
      'patchesStrategicMerge: "missing.yaml" does not exist (services/payments/api/overlays/dev/missing.yaml)',
      'patches[].path: "/etc/x" must be a relative path',
      'configMapGenerator[].files: "../../../../../../x" points outside the repository',
      'configMapGenerator[].envs: "gone.env" does not exist (services/payments/api/overlays/dev/gone.env)',
      'secretGenerator[].env: remote reference "https://example.com/x.env" is not allowed; copy the manifests into the repository',
    ]);
  });

  it('refuses Helm charts, platform namespaces and bad tags', () => {
    expect(
      check(
        'helmChartInflationGenerator: [{}]\nnamespace: Payments\nimages: [{ name: api, newTag: "-x" }]',
      ),
    ).toEqual([
      [
        'kustomization',
        'helmCharts are not allowed: Helm charts would be fetched from a remote repository',
      ],
      ['dns-name', expect.stringMatching(/^namespace "Payments" must consist/)],
      ['kustomization', 'images: newTag "-x" is not a valid image tag'],
    ]);
    expect(check('namespace: openshift-gitops')).toEqual([
      [
        'platform-namespace',
        'namespace "openshift-gitops" belongs to the platform',
      ],
    ]);
  });

  it('refuses a kustomization that is not a mapping', () => {
    expect(validateKustomization(FILE, 0, ['a'], OPTIONS)).toEqual([
      expect.objectContaining({ message: 'a kustomization must be a mapping' }),
    ]);
  });
});
