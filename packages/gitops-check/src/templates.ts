import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedRepository, startGitHttpServer } from '@internal/dev-git-server';
import { JsonObject } from '@backstage/types';
import { isInCone } from '@internal/plugin-gitops-node';
import * as prettier from 'prettier';
import { repoRoot } from './paths';
import { diffTrees, isPlaceholder, readTree, writeTree } from './files';
import { readTemplate, ScaffolderHarness, startHarness } from './harness';
import {
  checkSharedParameters,
  SHARED_PARAMETERS_FILE,
} from './sharedParameters';
import {
  DEFAULT_PLATFORM_OPTIONS,
  PlatformOptions,
  validateTree,
} from './validate';

/** Name of the repository on the loopback Git server. */
const REPO_NAME = 'gitops';
/** Where the templates clone the repository in the workspace (targetPath). */
const WORKSPACE_DIR = 'gitops';

/** The outcome of one fixture. */
export interface FixtureResult {
  template: string;
  fixture: string;
  problems: string[];
  durationMs: number;
}

/** Options of {@link checkTemplates}. */
export interface CheckTemplatesOptions {
  /** The folder holding one folder per template. */
  templatesDir: string;
  /** The GitOps repository every fixture starts from (gitops/). */
  seedDir: string;
  /**
   * Rewrite the fixtures' expected output, and the shared parameter
   * schemas copied into each template.yaml, instead of comparing.
   */
  update?: boolean;
  /** Only these templates (folder names). */
  only?: string[];
  platform?: PlatformOptions;
  /** Called after each fixture, for progress output. */
  onResult?: (result: FixtureResult) => void;
}

/** A fixture: one set of values and what the template must make of them. */
interface Fixture {
  name: string;
  dir: string;
  values: Record<string, unknown>;
  /** Fragments the refusal must contain; undefined when it must succeed. */
  refusal?: string[];
}

/** The files a fixture lists as expected to be deleted. */
const DELETED_FILE = 'expected-deleted.txt';
/** The file of a hostile fixture: fragments of the expected refusal. */
const REFUSED_FILE = 'refused.txt';

function readLines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#'));
}

function listFixtures(templateDir: string): Fixture[] {
  const root = path.join(templateDir, 'fixtures');
  if (!fs.existsSync(root)) {
    return [];
  }
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name)
    .sort()
    .map(name => {
      const dir = path.join(root, name);
      const refused = path.join(dir, REFUSED_FILE);
      return {
        name,
        dir,
        values: JSON.parse(
          fs.readFileSync(path.join(dir, 'values.json'), 'utf8'),
        ),
        refusal: fs.existsSync(refused) ? readLines(refused) : undefined,
      };
    });
}

/** The template folders under `templatesDir`, by name. */
export function listTemplates(templatesDir: string, only?: string[]): string[] {
  return fs
    .readdirSync(templatesDir, { withFileTypes: true })
    .filter(
      entry =>
        entry.isDirectory() &&
        fs.existsSync(path.join(templatesDir, entry.name, 'template.yaml')),
    )
    .map(entry => entry.name)
    .filter(name => !only || only.includes(name))
    .sort();
}

/**
 * The starting state of a fixture's GitOps repository: the seed, then the
 * expected output of the fixtures named in `existing.json` (so a fixture
 * can start from "team onboarded, service deployed" without copies that
 * drift from the templates), then the fixture's own `existing/` folder.
 */
async function seedTree(
  seedDir: string,
  templatesDir: string,
  fixtureDir: string,
  seen: string[] = [],
): Promise<Map<string, string>> {
  const tree = await readTree(seedDir);
  const layersFile = path.join(fixtureDir, 'existing.json');
  if (fs.existsSync(layersFile)) {
    const { fixtures = [] } = JSON.parse(fs.readFileSync(layersFile, 'utf8'));
    for (const ref of fixtures as string[]) {
      const [template, name] = ref.split('/');
      const dir = path.join(templatesDir, template, 'fixtures', name ?? '');
      if (!name || seen.includes(dir) || !fs.existsSync(dir)) {
        throw new Error(`${layersFile}: cannot layer fixture "${ref}"`);
      }
      const layered = await seedTree(seedDir, templatesDir, dir, [
        ...seen,
        fixtureDir,
      ]);
      for (const [file, content] of layered) {
        tree.set(file, content);
      }
      for (const [file, content] of await readTree(
        path.join(dir, 'expected'),
      )) {
        tree.set(file, content);
      }
      const deletedFile = path.join(dir, DELETED_FILE);
      for (const file of fs.existsSync(deletedFile)
        ? readLines(deletedFile)
        : []) {
        tree.delete(file);
      }
    }
  }
  for (const [file, content] of await readTree(
    path.join(fixtureDir, 'existing'),
  )) {
    tree.set(file, content);
  }
  return tree;
}

/** Whether the template lets its validate step write cluster-scoped objects. */
function allowsClusterScoped(templateDir: string): boolean {
  const steps: any[] = (readTemplate(templateDir).spec as any)?.steps ?? [];
  return steps.some(
    step =>
      step.action === 'gitops:manifests:validate' &&
      step.input?.allowClusterScoped === true,
  );
}

/** The app-config the GitOps actions need to reach the loopback server. */
export function gitopsConfig(
  repoUrl: string,
  platform: PlatformOptions,
): JsonObject {
  return {
    backend: { baseUrl: 'http://localhost:7007' },
    gitops: {
      repoUrl,
      provider: 'git',
      baseBranch: 'main',
      argocdNamespace: platform.argocdNamespace,
      platformNamespaces: platform.platformNamespaces,
      allowedImageRegistries:
        platform.allowedImageRegistries ??
        DEFAULT_PLATFORM_OPTIONS.allowedImageRegistries,
    },
  };
}

/**
 * expected/ lives in this repository and is kept in its formatting
 * (`yarn prettier --write`), so rendered files are compared after the same
 * formatting. Formatting keeps every document, value and comment, so a
 * value that escaped its quotes still shows as a difference; output that
 * is not even valid YAML fails here.
 */
function formatLikeRepository(
  fixture: Fixture,
  changed: Map<string, string>,
): { files: Map<string, string>; problems: string[] } {
  const files = new Map<string, string>();
  const problems: string[] = [];
  for (const [file, content] of changed) {
    const target = path.join(fixture.dir, 'expected', file);
    if (!/\.(ya?ml|json|md)$/.test(file)) {
      files.set(file, content);
      continue;
    }
    try {
      files.set(
        file,
        prettier.format(content, {
          // Templates copied outside the repository keep its formatting.
          ...(prettier.resolveConfig.sync(target) ??
            prettier.resolveConfig.sync(path.join(repoRoot, 'package.json')) ??
            {}),
          filepath: target,
        }),
      );
    } catch (error) {
      problems.push(`${file}: cannot be parsed: ${(error as Error).message}`);
      files.set(file, content);
    }
  }
  return { files, problems };
}

async function compareWithExpected(
  fixture: Fixture,
  changed: Map<string, string>,
  deleted: string[],
): Promise<string[]> {
  const problems: string[] = [];
  const expected = await readTree(path.join(fixture.dir, 'expected'));
  const deletedFile = path.join(fixture.dir, DELETED_FILE);
  const expectedDeleted = fs.existsSync(deletedFile)
    ? readLines(deletedFile)
    : [];
  for (const [file, content] of changed) {
    if (!expected.has(file)) {
      problems.push(`${file}: written by the template but not in expected/`);
    } else if (expected.get(file) !== content) {
      problems.push(
        `${file}: differs from expected/${file}${firstDifference(
          expected.get(file)!,
          content,
        )}`,
      );
    }
  }
  for (const file of expected.keys()) {
    if (!changed.has(file)) {
      problems.push(`${file}: in expected/ but not written by the template`);
    }
  }
  const actualDeleted = new Set(deleted);
  for (const file of expectedDeleted) {
    if (!actualDeleted.has(file)) {
      problems.push(`${file}: listed in ${DELETED_FILE} but not deleted`);
    }
  }
  for (const file of deleted) {
    if (!expectedDeleted.includes(file)) {
      problems.push(`${file}: deleted but not listed in ${DELETED_FILE}`);
    }
  }
  return problems;
}

function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return ` at line ${i + 1}:\n    expected: ${JSON.stringify(
        a[i] ?? '<end of file>',
      )}\n    actual:   ${JSON.stringify(b[i] ?? '<end of file>')}`;
    }
  }
  return '';
}

function writeExpected(
  fixture: Fixture,
  changed: Map<string, string>,
  deleted: string[],
) {
  const expectedDir = path.join(fixture.dir, 'expected');
  fs.rmSync(expectedDir, { recursive: true, force: true });
  fs.mkdirSync(expectedDir, { recursive: true });
  writeTree(expectedDir, changed);
  const deletedFile = path.join(fixture.dir, DELETED_FILE);
  if (deleted.length > 0) {
    fs.writeFileSync(deletedFile, `${deleted.join('\n')}\n`);
  } else {
    fs.rmSync(deletedFile, { force: true });
  }
}

/** How the scaffolder logs the inputs of a step it runs in a dry run. */
const FETCH_INPUTS_LOG =
  'Running gitops:repo:fetch in dry-run mode with inputs (secrets redacted): ';

/**
 * The folders the fetch step checked out (its mustExist, mustNotExist and
 * paths), read from the dry run's log; none means the whole tree.
 */
function fetchedFolders(log: string[]): string[] {
  // Log lines start with their level, coloured.
  const line = log.find(l => l.includes(FETCH_INPUTS_LOG));
  if (!line) return [];
  const input = JSON.parse(
    line.slice(line.indexOf(FETCH_INPUTS_LOG) + FETCH_INPUTS_LOG.length),
  );
  return ['mustExist', 'mustNotExist', 'paths'].flatMap(field =>
    (input[field] ?? []).map((p: string) => p.replace(/\/+$/, '')),
  );
}

/**
 * The repository after a dry run: the worktree the template left in the
 * workspace, over the fixture's starting state where the fetch step did
 * not check out (a file missing inside its folders was deleted).
 */
function treeAfterDryRun(
  before: Map<string, string>,
  workspace: Map<string, string>,
  log: string[],
): Map<string, string> {
  const folders = fetchedFolders(log);
  const after = new Map(
    [...before].filter(([file]) => !isInCone(file, folders)),
  );
  const prefix = `${WORKSPACE_DIR}/`;
  for (const [file, content] of workspace) {
    const relative = file.slice(prefix.length);
    if (
      file.startsWith(prefix) &&
      relative !== '.git' &&
      !relative.startsWith('.git/')
    ) {
      after.set(relative, content);
    }
  }
  return after;
}

async function checkFixture(
  harness: ScaffolderHarness,
  templateDir: string,
  fixture: Fixture,
  seed: (tree: Map<string, string>) => Promise<void>,
  options: CheckTemplatesOptions,
): Promise<string[]> {
  const before = await seedTree(
    options.seedDir,
    options.templatesDir,
    fixture.dir,
  );
  await seed(before);
  const result = await harness.dryRun(templateDir, fixture.values);

  if (fixture.refusal) {
    if (result.ok) {
      return ['the template accepted values it must refuse'];
    }
    const text = `${result.message}\n${result.log.join('\n')}`;
    return fixture.refusal
      .filter(fragment => !text.includes(fragment))
      .map(
        fragment =>
          `refused, but without "${fragment}" in the message: ${result.message}`,
      );
  }
  if (!result.ok) {
    const tail = result.log.slice(-5).join('\n    ');
    return [`the scaffolder refused: ${result.message}\n    ${tail}`];
  }

  const after = treeAfterDryRun(before, result.workspace, result.log);
  const { changed, deleted } = diffTrees(before, after);
  const changedFiles = new Map(
    changed.filter(f => !isPlaceholder(f.path)).map(f => [f.path, f.content]),
  );
  const platform = options.platform ?? DEFAULT_PLATFORM_OPTIONS;
  const allowed = allowsClusterScoped(templateDir);
  const problems = validateTree(after, {
    ...platform,
    files: [...changedFiles.keys()],
    allowClusterScoped: () => allowed,
  }).map(p => `${p.path}: ${p.message}`);

  const formatted = formatLikeRepository(fixture, changedFiles);
  problems.push(...formatted.problems);
  if (options.update) {
    writeExpected(fixture, formatted.files, deleted);
    return problems;
  }
  return [
    ...problems,
    ...(await compareWithExpected(fixture, formatted.files, deleted)),
  ];
}

/**
 * Runs every fixture of every template through the real scaffolder's dry
 * run against a loopback Git server seeded with the fixture's repository,
 * then validates the changed files and compares them with `expected/`.
 */
export async function checkTemplates(
  options: CheckTemplatesOptions,
): Promise<FixtureResult[]> {
  const gitRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-check-'));
  const server = await startGitHttpServer({ root: gitRoot, port: 0 });
  const platform = options.platform ?? DEFAULT_PLATFORM_OPTIONS;
  const harness = await startHarness({
    config: gitopsConfig(server.url(`${REPO_NAME}.git`), platform),
  });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-seed-'));
  const seed = async (tree: Map<string, string>) => {
    // Each fixture starts from its own state, under the one repository
    // name the backend is configured with.
    fs.rmSync(scratch, { recursive: true, force: true });
    writeTree(scratch, tree);
    await seedRepository(gitRoot, `${REPO_NAME}.git`, scratch);
  };
  const results: FixtureResult[] = [];
  try {
    for (const template of listTemplates(options.templatesDir, options.only)) {
      const templateDir = path.join(options.templatesDir, template);
      const shared = checkSharedParameters(
        templateDir,
        options.templatesDir,
        options.update,
      );
      if (shared.length > 0) {
        results.push({
          template,
          fixture: SHARED_PARAMETERS_FILE,
          problems: shared,
          durationMs: 0,
        });
      }
      const fixtures = listFixtures(templateDir);
      if (fixtures.length === 0) {
        results.push({
          template,
          fixture: '-',
          problems: ['the template has no fixtures/'],
          durationMs: 0,
        });
      }
      for (const fixture of fixtures) {
        const started = Date.now();
        let problems: string[];
        try {
          problems = await checkFixture(
            harness,
            templateDir,
            fixture,
            seed,
            options,
          );
        } catch (error) {
          problems = [`the check itself failed: ${(error as Error).stack}`];
        }
        const result = {
          template,
          fixture: fixture.name,
          problems,
          durationMs: Date.now() - started,
        };
        results.push(result);
        options.onResult?.(result);
      }
    }
  } finally {
    await harness.stop();
    await server.stop();
    fs.rmSync(gitRoot, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}
