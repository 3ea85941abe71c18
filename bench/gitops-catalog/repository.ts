import { execFileSync, spawn } from 'node:child_process';

/**
 * GitOps repositories of any size for the benchmark, written with
 * `git fast-import` (10,000 services in seconds): teams of 50 services
 * each, every service with its catalog-info.yaml, base and three overlays,
 * as deploy-service writes them.
 */

const SERVICES_PER_TEAM = 50;
const ENVS = ['dev', 'test', 'prod'];
/** Git without the user's or the system's settings. */
const GIT_ENV = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

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

let clock = 1_700_000_000;

/** One commit on main (on top of its tip, if any) with these changes. */
export function commit(
  bare: string,
  files: Record<string, string>,
  options: { remove?: string[]; parent?: boolean } = {},
): Promise<void> {
  const parts: Buffer[] = [];
  const text = (s: string) => parts.push(Buffer.from(s));
  const message = 'Benchmark change';
  text(`commit refs/heads/main\n`);
  text(`committer Bench <bench@localhost> ${clock++} +0000\n`);
  text(`data ${Buffer.byteLength(message)}\n${message}\n`);
  if (options.parent) text('from refs/heads/main^0\n');
  for (const path of options.remove ?? []) text(`D ${path}\n`);
  for (const [path, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    text(`M 100644 inline ${path}\ndata ${data.length}\n`);
    parts.push(data);
    text('\n');
  }
  text('done\n');
  return new Promise((resolve, reject) => {
    const child = spawn(
      'git',
      [`--git-dir=${bare}`, 'fast-import', '--quiet', '--done'],
      {
        stdio: ['pipe', 'ignore', 'inherit'],
        env: GIT_ENV,
      },
    );
    child.on('error', reject);
    child.on('close', code =>
      code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)),
    );
    child.stdin.end(Buffer.concat(parts));
  });
}

/** A new bare repository holding `services` services and their teams. */
export async function generate(bare: string, services: number): Promise<void> {
  execFileSync(
    'git',
    ['init', '--bare', '--quiet', '--initial-branch=main', bare],
    {
      env: GIT_ENV,
    },
  );
  const files: Record<string, string> = { 'README.md': '# GitOps\n' };
  for (let i = 0; i < services; i++) {
    Object.assign(files, serviceFiles(i));
    if (i % SERVICES_PER_TEAM === 0) Object.assign(files, teamFiles(teamOf(i)));
  }
  await commit(bare, files);
}
