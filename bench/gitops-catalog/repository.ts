import {
  fastImport,
  initBareRepository,
  packRepository,
} from '@internal/test-harness';

/**
 * GitOps repositories of any size for the benchmark, written with the test
 * harness's `git fast-import` (10,000 services in seconds): teams of 50
 * services each, every service with its catalog-info.yaml, base and three
 * overlays, as deploy-service writes them.
 */

const SERVICES_PER_TEAM = 50;
const ENVS = ['dev', 'test', 'prod'];

export function teamOf(index: number): string {
  return `team-${String(Math.floor(index / SERVICES_PER_TEAM)).padStart(
    3,
    '0',
  )}`;
}

export function serviceName(index: number): string {
  return `svc-${String(index).padStart(5, '0')}`;
}

export function serviceFiles(
  index: number,
  description = `Service number ${index}`,
): Record<string, string> {
  const team = teamOf(index);
  const name = serviceName(index);
  const folder = `services/${team}/${name}`;
  const labels = `    app.kubernetes.io/name: ${name}\n    portal.platform/team: ${team}\n`;
  return {
    [`${folder}/catalog-info.yaml`]: `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  description: ${JSON.stringify(description)}
spec:
  type: service
  lifecycle: production
  owner: group:default/${team}
`,
    [`${folder}/base/kustomization.yaml`]:
      'resources: [deployment.yaml, service.yaml]\n',
    [`${folder}/base/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels:\n${labels}spec:\n  replicas: 2\n`,
    [`${folder}/base/service.yaml`]: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  labels:\n${labels}`,
    ...Object.fromEntries(
      ENVS.map(env => [
        `${folder}/overlays/${env}/kustomization.yaml`,
        `namespace: ${team}-${env}\nresources: [../../base]\n`,
      ]),
    ),
  };
}

function teamFiles(team: string): Record<string, string> {
  return {
    [`teams/${team}/catalog-info.yaml`]: ENVS.map(
      env =>
        `apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: ${team}-${env}\nspec:\n  type: openshift-namespace\n  lifecycle: production\n  owner: group:default/${team}\n`,
    ).join('---\n'),
    ...Object.fromEntries(
      ENVS.map(env => [
        `teams/${team}/${env}/namespace.yaml`,
        `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${team}-${env}\n`,
      ]),
    ),
  };
}

/** One commit on top of main with these files. */
export function commit(
  bare: string,
  files: Record<string, string>,
): Promise<void> {
  return fastImport(bare, {
    files: Object.entries(files),
    parent: true,
    message: 'Benchmark change',
  });
}

/** Every file of a repository of `services` services and their teams. */
function* repositoryFiles(services: number): Iterable<[string, string]> {
  yield ['README.md', '# GitOps\n'];
  for (let i = 0; i < services; i++) {
    if (i % SERVICES_PER_TEAM === 0)
      yield* Object.entries(teamFiles(teamOf(i)));
    yield* Object.entries(serviceFiles(i));
  }
}

/**
 * A new bare repository holding `services` services and their teams,
 * packed as a Git server keeps its repositories.
 */
export async function generate(bare: string, services: number): Promise<void> {
  initBareRepository(bare);
  await fastImport(bare, { files: repositoryFiles(services) });
  packRepository(bare);
}
