import { folderOfPath } from '@internal/plugin-gitops-common';
import { GitopsConfig } from '@internal/plugin-gitops-node';
import { gitopsConfig } from '../__testUtils__/fixtures';
import { CatalogFile, mapCatalogFile } from './mapCatalogFile';

const gitops = (provider: GitopsConfig['provider'] = 'git') =>
  gitopsConfig({ provider });

function file(
  path: string,
  content: string,
  environments = ['dev', 'test', 'prod'],
): CatalogFile {
  return { path, folder: folderOfPath(path)!, environments, content };
}

const SERVICE = 'services/team-payments/payments-api/catalog-info.yaml';

const component = (extra = '') => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  description: Takes card payments.
${extra}spec:
  type: service
  lifecycle: production
  owner: group:default/team-payments
`;

async function mapped(f: CatalogFile, provider?: GitopsConfig['provider']) {
  const result = await mapCatalogFile(f, gitops(provider));
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.entities;
}

async function refusal(f: CatalogFile): Promise<string> {
  const result = await mapCatalogFile(f, gitops());
  if (result.ok) throw new Error('accepted');
  return result.error;
}

describe('mapCatalogFile', () => {
  it('annotates a service with everything its path decides', async () => {
    const [entity] = await mapped(file(SERVICE, component()));
    expect(entity.spec).toEqual({
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-payments',
    });
    expect(entity.metadata.namespace).toBe('default');
    expect(entity.metadata.annotations).toEqual({
      'gitops.portal/folder': 'services/team-payments/payments-api',
      'backstage.io/managed-by-location':
        'url:https://git.example.com/platform/gitops/src/branch/main/services/team-payments/payments-api/catalog-info.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://git.example.com/platform/gitops/src/branch/main/services/team-payments/payments-api/catalog-info.yaml',
      'backstage.io/source-location':
        'url:https://git.example.com/platform/gitops/src/branch/main/services/team-payments/payments-api/',
      'argocd/app-selector':
        'portal.platform/team=team-payments,portal.platform/service=payments-api',
      'backstage.io/kubernetes-id': 'payments-api',
      'backstage.io/kubernetes-namespace': 'team-payments-prod',
      'gitops.portal/argocd-app.dev': 'team-payments.payments-api.dev',
      'gitops.portal/namespace.dev': 'team-payments-dev',
      'gitops.portal/argocd-app.test': 'team-payments.payments-api.test',
      'gitops.portal/namespace.test': 'team-payments-test',
      'gitops.portal/argocd-app.prod': 'team-payments.payments-api.prod',
      'gitops.portal/namespace.prod': 'team-payments-prod',
    });
  });

  it('has per-environment annotations only for the overlays that exist', async () => {
    const [entity] = await mapped(file(SERVICE, component(), ['dev']));
    const annotations = entity.metadata.annotations!;
    expect(annotations['backstage.io/kubernetes-namespace']).toBe(
      'team-payments-dev',
    );
    expect(Object.keys(annotations).filter(k => k.includes('.prod'))).toEqual(
      [],
    );
  });

  it.each([
    ['github', 'https://git.example.com/platform/gitops/tree/main/'],
    ['gitlab', 'https://git.example.com/platform/gitops/-/tree/main/'],
  ] as const)('links to the %s forge', async (provider, prefix) => {
    const [entity] = await mapped(file(SERVICE, component()), provider);
    expect(entity.metadata.annotations!['backstage.io/source-location']).toBe(
      `url:${prefix}services/team-payments/payments-api/`,
    );
    expect(
      entity.metadata.annotations!['backstage.io/managed-by-location'],
    ).toBe(
      `url:${prefix}services/team-payments/payments-api/catalog-info.yaml`,
    );
  });

  it('sets the owner from the path when the file names none, or names it briefly', async () => {
    for (const owner of [
      '',
      '  owner: team-payments\n',
      '  owner: Group:team-payments\n',
    ]) {
      const content = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
spec:
  type: service
  lifecycle: production
${owner}`;
      const [entity] = await mapped(file(SERVICE, content));
      expect(entity.spec!.owner).toBe('group:default/team-payments');
    }
  });

  it('refuses, visibly, a file that claims another owner', async () => {
    const content = component().replace(
      'group:default/team-payments',
      'group:default/team-search',
    );
    expect(await refusal(file(SERVICE, content))).toBe(
      'spec.owner "group:default/team-search" is refused: entities under services/team-payments/payments-api/ belong to group:default/team-payments',
    );
    expect(
      await refusal(
        file(
          SERVICE,
          component().replace(
            'group:default/team-payments',
            'user:default/bob',
          ),
        ),
      ),
    ).toContain('is refused');
  });

  it.each(['Group', 'User', 'group'])(
    'refuses kind %s anywhere: membership comes from Keycloak only',
    async kind => {
      const content = `apiVersion: backstage.io/v1alpha1
kind: ${kind}
metadata:
  name: platform-team
spec:
  type: team
  children: []
  members: [bob]
  memberOf: [platform-team]
`;
      for (const path of [
        SERVICE,
        'teams/team-payments/catalog-info.yaml',
        'databases/team-payments/prod/ledger/catalog-info.yaml',
      ]) {
        expect(await refusal(file(path, content))).toMatch(
          /^kind (Group|User|group) is refused: users, groups and group membership come from Keycloak/,
        );
      }
    },
  );

  it.each(['Location', 'System', 'API', 'Resource'])(
    'refuses kind %s in a service folder',
    async kind => {
      const content = component().replace('kind: Component', `kind: ${kind}`);
      expect(await refusal(file(SERVICE, content))).toBe(
        `services/team-payments/payments-api/catalog-info.yaml may only describe Component payments-api, not kind "${kind}"`,
      );
    },
  );

  it('refuses another name, another namespace or a second copy', async () => {
    expect(
      await refusal(
        file(
          SERVICE,
          component().replace('name: payments-api', 'name: ledger'),
        ),
      ),
    ).toContain('may only describe Component payments-api, not "ledger"');
    expect(
      await refusal(file(SERVICE, component('  namespace: team-search\n'))),
    ).toBe('metadata.namespace must be "default", not "team-search"');
    expect(
      await refusal(file(SERVICE, `${component()}---\n${component()}`)),
    ).toBe('payments-api is described twice');
  });

  it('drops what a file says under the annotations the path decides', async () => {
    const hostile = `  annotations:
    backstage.io/kubernetes-namespace: team-search-prod
    backstage.io/kubernetes-label-selector: app=search
    backstage.io/kubernetes-cluster: other
    backstage.io/techdocs-ref: url:http://169.254.169.254/latest
    backstage.io/managed-by-location: url:https://evil.example.com/x.yaml
    backstage.io/view-url: javascript:alert(1)
    argocd/app-name: team-search.search-api.prod
    gitops.portal/catalog-error: fake
    gitops.portal/folder: services/team-search/search-api
    kubernetes.io/api-server: https://evil.example.com
    portal.platform/team: team-search
    pagerduty.com/service-id: P123
`;
    const [entity] = await mapped(file(SERVICE, component(hostile)));
    const annotations = entity.metadata.annotations!;
    expect(annotations['pagerduty.com/service-id']).toBe('P123');
    expect(annotations['backstage.io/kubernetes-namespace']).toBe(
      'team-payments-prod',
    );
    expect(annotations['gitops.portal/folder']).toBe(
      'services/team-payments/payments-api',
    );
    for (const dropped of [
      'backstage.io/kubernetes-label-selector',
      'backstage.io/kubernetes-cluster',
      'backstage.io/techdocs-ref',
      'backstage.io/view-url',
      'argocd/app-name',
      'gitops.portal/catalog-error',
      'kubernetes.io/api-server',
      'portal.platform/team',
    ]) {
      expect(annotations[dropped]).toBeUndefined();
    }
    expect(annotations['backstage.io/managed-by-location']).toMatch(
      /^url:https:\/\/git\.example\.com\//,
    );
  });

  it('keeps no relations or status a file writes', async () => {
    const content = `${component()}relations:
  - type: memberOf
    targetRef: group:default/platform-team
status:
  items: []
`;
    const [entity] = await mapped(file(SERVICE, content));
    expect(entity).not.toHaveProperty('relations');
    expect(entity).not.toHaveProperty('status');
  });

  it('maps a database to its Resource and its one application', async () => {
    const path = 'databases/team-payments/prod/ledger-db/catalog-info.yaml';
    const content = `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: team-payments-ledger-db-prod
spec:
  type: database
  lifecycle: production
  owner: group:default/team-payments
`;
    const [entity] = await mapped(file(path, content, ['prod']));
    expect(entity.metadata.annotations).toMatchObject({
      'gitops.portal/folder': 'databases/team-payments/prod/ledger-db',
      'argocd/app-name': 'team-payments.db-ledger-db.prod',
      'backstage.io/kubernetes-id': 'ledger-db',
      'backstage.io/kubernetes-namespace': 'team-payments-prod',
      'gitops.portal/argocd-app.prod': 'team-payments.db-ledger-db.prod',
      'gitops.portal/namespace.prod': 'team-payments-prod',
    });
    expect(
      await refusal(
        file(
          path,
          content.replace('type: database', 'type: kubernetes-cluster'),
          ['prod'],
        ),
      ),
    ).toBe(
      'spec.type "kubernetes-cluster" is refused: Resource entities under databases/team-payments/prod/ledger-db/ are of type "database"',
    );
  });

  it("maps a team's file to Resources of its namespaces that exist", async () => {
    const path = 'teams/team-payments/catalog-info.yaml';
    const namespace = (env: string) => `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: team-payments-${env}
spec:
  type: openshift-namespace
  lifecycle: production
`;
    const entities = await mapped(
      file(path, ['dev', 'prod'].map(namespace).join('---\n'), ['dev', 'prod']),
    );
    expect(entities.map(e => e.metadata.name)).toEqual([
      'team-payments-dev',
      'team-payments-prod',
    ]);
    expect(entities[1].spec!.owner).toBe('group:default/team-payments');
    expect(entities[1].metadata.annotations).toMatchObject({
      'gitops.portal/folder': 'teams/team-payments',
      'argocd/app-name': 'team-team-payments',
      'backstage.io/kubernetes-namespace': 'team-payments-prod',
      'backstage.io/kubernetes-label-selector':
        'portal.platform/team=team-payments',
      'gitops.portal/namespace.prod': 'team-payments-prod',
      'gitops.portal/argocd-app.prod': 'team-team-payments',
    });
    expect(await refusal(file(path, namespace('test'), ['dev', 'prod']))).toBe(
      'teams/team-payments/catalog-info.yaml may only describe Resource team-payments-dev, Resource team-payments-prod, not "team-payments-test"',
    );
  });

  it('refuses malformed files with the reason', async () => {
    expect(await refusal(file(SERVICE, 'kind: [Component\n'))).toMatch(
      /^YAML error: /,
    );
    expect(await refusal(file(SERVICE, ''))).toBe(
      'the file describes no entity',
    );
    expect(await refusal(file(SERVICE, '- a\n- b\n'))).toBe(
      'each YAML document must be one entity (a mapping)',
    );
    expect(
      await refusal(
        file(SERVICE, component().replace('  lifecycle: production\n', '')),
      ),
    ).toMatch(/^payments-api: .*lifecycle/);
    expect(
      await refusal(file(SERVICE, component('  tags: [Not A Tag]\n'))),
    ).toMatch(/^payments-api: .*tags/);
    expect(
      await refusal(
        file(
          SERVICE,
          component().replace('backstage.io/v1alpha1', 'example.com/v9'),
        ),
      ),
    ).toMatch(/^payments-api: /);
    expect(
      await refusal(file(SERVICE, `${component()}# ${'x'.repeat(300_000)}\n`)),
    ).toMatch(/larger than/);
  });

  it('refuses YAML alias bombs', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(
            98 + i,
          )} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    expect(await refusal(file(SERVICE, `${bomb}\n`))).toMatch(/YAML|alias/i);
  });

  it('refuses folders outside the layout', async () => {
    expect(
      await refusal(file('services/Team_X/api/catalog-info.yaml', component())),
    ).toBe('not a folder of the layout: team "Team_X" is not a DNS-1123 label');
    expect(
      await refusal(
        file(
          'databases/team-payments/staging/db/catalog-info.yaml',
          component(),
        ),
      ),
    ).toBe(
      'not a folder of the layout: environment "staging" is not one of dev, test, prod',
    );
  });
});
