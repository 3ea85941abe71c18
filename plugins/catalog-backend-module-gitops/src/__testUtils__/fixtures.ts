import { GitopsConfig } from '@internal/plugin-gitops-node';

/** A gitops config for tests, on a given repository and mirror. */
export function gitopsConfig(
  overrides: Partial<GitopsConfig> = {},
): GitopsConfig {
  return {
    repoUrl: 'https://git.example.com/platform/gitops.git',
    provider: 'git',
    baseBranch: 'main',
    commitToBaseBranch: false,
    argocdNamespace: 'openshift-gitops',
    platformNamespaces: [],
    author: { name: 'Portal', email: 'portal@localhost' },
    mirrorDirectory: '/nonexistent',
    gitTimeoutMs: 20_000,
    allowedImageRegistries: [],
    ...overrides,
  };
}

/** deploy-service's catalog-info.yaml and one overlay per environment. */
export function serviceFiles(
  team: string,
  service: string,
  options: { description?: string; envs?: string[]; owner?: string } = {},
): Record<string, string> {
  const folder = `services/${team}/${service}`;
  return {
    [`${folder}/catalog-info.yaml`]: `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${service}
  description: ${JSON.stringify(
    options.description ?? `The ${service} service`,
  )}
spec:
  type: service
  lifecycle: production
  owner: ${options.owner ?? `group:default/${team}`}
`,
    [`${folder}/base/kustomization.yaml`]: 'resources: []\n',
    ...Object.fromEntries(
      (options.envs ?? ['dev', 'prod']).map(env => [
        `${folder}/overlays/${env}/kustomization.yaml`,
        'resources: [../../base]\n',
      ]),
    ),
  };
}

/** add-database's catalog-info.yaml. */
export function databaseFiles(
  team: string,
  env: string,
  database: string,
): Record<string, string> {
  const folder = `databases/${team}/${env}/${database}`;
  return {
    [`${folder}/catalog-info.yaml`]: `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${team}-${database}-${env}
spec:
  type: database
  lifecycle: production
  owner: group:default/${team}
`,
    [`${folder}/cluster.yaml`]: 'kind: Cluster\n',
  };
}

/** onboard-team's catalog-info.yaml (its namespaces) and namespace folders. */
export function teamFiles(
  team: string,
  envs = ['dev', 'test', 'prod'],
): Record<string, string> {
  return {
    [`teams/${team}/catalog-info.yaml`]: envs
      .map(
        env => `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${team}-${env}
spec:
  type: openshift-namespace
  lifecycle: production
  owner: group:default/${team}
`,
      )
      .join('---\n'),
    ...Object.fromEntries(
      envs.map(env => [
        `teams/${team}/${env}/namespace.yaml`,
        'kind: Namespace\n',
      ]),
    ),
  };
}
