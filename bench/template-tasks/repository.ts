import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gitopsDir, readTree, templatesDir } from '@internal/gitops-check';
import {
  fastImport,
  initBareRepository,
  packRepository,
} from '@internal/test-harness';

/**
 * GitOps repositories of any size, shaped as the golden paths write them:
 * gitops/ itself, one onboarded team per 50 services (onboard-team's
 * output), and every service as deploy-service writes it (its fixture's
 * expected output, renamed). Written with `git fast-import`, then packed
 * as a Git server keeps its repositories.
 */

const SERVICES_PER_TEAM = 50;

export const teamName = (team: number) =>
  `team-${String(team).padStart(4, '0')}`;
export const serviceName = (service: number) =>
  `svc-${String(service).padStart(5, '0')}`;
/** The team of a service: services 0–49 are team-0000's. */
export const teamOf = (service: number) =>
  teamName(Math.floor(service / SERVICES_PER_TEAM));

/** A fixture's expected output: what the template wrote. */
function fixtureOutput(fixture: string) {
  return readTree(path.join(templatesDir, fixture, 'expected'));
}

/** Every occurrence of a name in a set of files (paths too), renamed. */
function* renamed(
  files: Map<string, string>,
  names: Array<[string, string]>,
): Generator<[string, string]> {
  const rename = (text: string) =>
    names.reduce((t, [from, to]) => t.split(from).join(to), text);
  for (const [file, content] of files) {
    yield [rename(file), rename(content)];
  }
}

/**
 * A new bare repository at `bare` with `services` services; the number of
 * files it holds.
 */
export async function generateRepository(
  bare: string,
  services: number,
): Promise<number> {
  const seed = await readTree(gitopsDir);
  const team = await fixtureOutput('onboard-team/fixtures/team-payments');
  const service = await fixtureOutput('deploy-service/fixtures/payments-api');
  const teams = Math.max(1, Math.ceil(services / SERVICES_PER_TEAM));
  let count = 0;
  function* files(): Generator<[string, string]> {
    for (const file of seed) {
      count++;
      yield file;
    }
    for (let t = 0; t < teams; t++) {
      for (const file of renamed(team, [['team-payments', teamName(t)]])) {
        count++;
        yield file;
      }
    }
    for (let s = 0; s < services; s++) {
      for (const file of renamed(service, [
        ['payments-api', serviceName(s)],
        ['team-payments', teamOf(s)],
      ])) {
        count++;
        yield file;
      }
    }
  }
  fs.rmSync(bare, { recursive: true, force: true });
  initBareRepository(bare);
  await fastImport(bare, {
    files: files(),
    message: `${services} services`,
  });
  packRepository(bare);
  return count;
}

/**
 * Which of the branches the bare repository has (loose or packed refs),
 * reading packed-refs once however many branches are asked for.
 */
export function presentBranches(bare: string, branches: string[]): string[] {
  let packed: string | undefined;
  const readPacked = () => {
    try {
      packed ??= fs.readFileSync(path.join(bare, 'packed-refs'), 'utf8');
    } catch {
      packed = '';
    }
    return packed;
  };
  return branches.filter(
    branch =>
      fs.existsSync(path.join(bare, 'refs/heads', branch)) ||
      readPacked().includes(` refs/heads/${branch}\n`),
  );
}

/** The files a branch changes against main. */
export function changedFiles(bare: string, branch: string): string[] {
  return execFileSync(
    'git',
    [`--git-dir=${bare}`, 'diff', '--name-only', 'main', branch, '--'],
    { encoding: 'utf8' },
  )
    .split('\n')
    .filter(Boolean);
}
