import { ScaffolderHarness } from '@internal/gitops-check';
import { percentile } from '../figures';
import { BranchWatch } from './branchWatch';
import { changedFiles, serviceName, teamName } from './repository';

/** The templates the benchmark runs, by folder name. */
export const TEMPLATES = [
  'onboard-team',
  'deploy-service',
  'add-database',
  'promote-image',
  'decommission-service',
];

/** One task: its template, values, and the branch it must push. */
export interface Run {
  template: string;
  values: Record<string, unknown>;
  branch: string;
  /** Every file the branch changes must lie below this folder. */
  folder?: string;
}

/** Every task's team: onboarded at every size. */
const TEAM = teamName(0);
const TEAM_REF = `group:default/${TEAM}`;

/** A new service of the team; fixed values, so runs are comparable. */
export function deployService(suffix: string): Run {
  const name = `bench-${suffix}`;
  return {
    template: 'deploy-service',
    values: {
      team: TEAM_REF,
      name,
      description: 'Benchmark service',
      image: 'quay.io/acme/bench-api',
      tag: '1.0.0',
      port: 8080,
      healthPath: '/healthz',
      size: 'S',
      replicas: 2,
      autoscaling: false,
      maxReplicas: 5,
    },
    branch: `portal/deploy-service/${TEAM}/${name}`,
    folder: `services/${TEAM}/${name}`,
  };
}

/** Each other template once, on services of the repository. */
export function otherTemplates(services: number): Run[] {
  const promoted = serviceName(0);
  const decommissioned = serviceName(Math.min(1, services - 1));
  return [
    {
      template: 'onboard-team',
      values: {
        team: 'team-bench',
        displayName: 'Bench',
        description: 'Benchmark team',
        size: 'S',
      },
      branch: 'portal/onboard-team/team-bench',
      folder: 'teams/team-bench',
    },
    {
      template: 'add-database',
      values: {
        team: TEAM_REF,
        env: 'prod',
        name: 'bench-db',
        description: 'Benchmark database',
        instances: 2,
        storageSize: '10Gi',
        size: 'S',
        backups: true,
        schedule: '0 0 2 * * *',
        retention: '30d',
      },
      branch: `portal/add-database/${TEAM}/prod/bench-db`,
    },
    {
      template: 'promote-image',
      values: { team: TEAM_REF, service: promoted, env: 'prod', tag: '9.9.9' },
      branch: `portal/promote-image/${TEAM}/${promoted}/prod`,
      folder: `services/${TEAM}/${promoted}`,
    },
    {
      template: 'decommission-service',
      values: { team: TEAM_REF, service: decommissioned, confirm: true },
      branch: `portal/decommission-service/${TEAM}/${decommissioned}`,
      folder: `services/${TEAM}/${decommissioned}`,
    },
  ];
}

/** What is wrong with a finished run's branch, if anything. */
function checkBranch(bare: string, run: Run): string | undefined {
  const files = changedFiles(bare, run.branch);
  if (files.length === 0) return `${run.branch} changes nothing`;
  const stray = files.find(f => run.folder && !f.startsWith(`${run.folder}/`));
  return stray ? `${run.branch} changes ${stray}` : undefined;
}

/**
 * Runs one task and times it from its start to its branch on the Git
 * server; the watch ends with the task, so it is bounded by it.
 */
async function timeRun(
  harness: ScaffolderHarness,
  branches: BranchWatch,
  run: Run,
): Promise<{ ms?: number; problem?: string }> {
  const started = performance.now();
  let pushedMs: number | undefined;
  branches.watch(run.branch, at => {
    pushedMs = at - started;
  });
  try {
    const result = await harness.runTask(run.template, run.values);
    if (result.status !== 'completed') {
      return {
        problem: `${run.template} ${result.status}: ${result.log.slice(-1)[0]}`,
      };
    }
  } catch (error) {
    return { problem: `${run.template}: ${(error as Error).message}` };
  } finally {
    branches.stop(run.branch);
  }
  const problem =
    pushedMs === undefined
      ? `${run.branch} was not pushed`
      : checkBranch(branches.bare, run);
  return problem ? { problem } : { ms: pushedMs };
}

/** The runs one after the other, or all started at once; p50 and p95. */
export async function timeRuns(
  harness: ScaffolderHarness,
  bare: string,
  runs: Run[],
  options: { atOnce?: boolean } = {},
) {
  const branches = new BranchWatch(bare);
  const results = [];
  if (options.atOnce) {
    results.push(
      ...(await Promise.all(runs.map(r => timeRun(harness, branches, r)))),
    );
  } else {
    for (const run of runs) results.push(await timeRun(harness, branches, run));
  }
  const times = results.flatMap(r => (r.ms === undefined ? [] : [r.ms]));
  const at = (q: number) =>
    times.length === 0 ? null : Math.round(percentile(times, q));
  for (const [i, r] of results.entries()) {
    console.log(
      `  ${runs[i].template} ${runs[i].branch.split('/').pop()}: ${
        r.problem ?? `${Math.round(r.ms!)} ms`
      }`,
    );
  }
  return {
    runs: runs.length,
    p50: at(0.5),
    p95: at(0.95),
    failures: results.flatMap(r => (r.problem ? [r.problem] : [])),
  };
}
