import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  seedRepository,
  startGitHttpServer,
} from '@internal/dev-git-server';
import { JsonObject } from '@backstage/types';
import * as prettier from 'prettier';
import { repoRoot } from './paths';
import { diffTrees, isPlaceholder, readTree, writeTree } from './files';
import { readTemplate, ScaffolderHarness, startHarness } from './harness';
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
  /** Rewrite the fixtures' expected output instead of comparing. */
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
function seedTree(
  seedDir: string,
  templatesDir: string,
  fixtureDir: string,
  seen: string[] = [],
): Map<string, string> {
  const tree = readTree(seedDir);
  const layersFile = path.join(fixtureDir, 'existing.json');
  if (fs.existsSync(layersFile)) {
    const { fixtures = [] } = JSON.parse(fs.readFileSync(layersFile, 'utf8'));
    for (const ref of fixtures as string[]) {
      const [template, name] = ref.split('/');
      const dir = path.join(templatesDir, template, 'fixtures', name ?? '');
      if (!name || seen.includes(dir) || !fs.existsSync(dir)) {
        throw new Error(`${layersFile}: cannot layer fixture "${ref}"`);
      }
      const layered = seedTree(seedDir, templatesDir, dir, [
        ...seen,
        fixtureDir,
      ]);
      for (const [file, content] of layered) {
        tree.set(file, content);
      }
      for (const [file, content] of readTree(path.join(dir, 'expected'))) {
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
  for (const [file, content] of readTree(path.join(fixtureDir, 'existing'))) {
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

function compareWithExpected(
  fixture: Fixture,
  changed: Map<string, string>,
  deleted: string[],
): string[] {
  const problems: string[] = [];
  const expected = readTree(path.join(fixture.dir, 'expected'));
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

async function checkFixture(
  harness: ScaffolderHarness,
  templateDir: string,
  fixture: Fixture,
  seed: (tree: Map<string, string>) => Promise<void>,
  options: CheckTemplatesOptions,
): Promise<string[]> {
  const before = seedTree(options.seedDir, options.templatesDir, fixture.dir);
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

  const after = new Map<string, string>();
  const prefix = `${WORKSPACE_DIR}/`;
  for (const [file, content] of result.workspace) {
    if (file.startsWith(prefix) && !file.startsWith(`${prefix}.git/`)) {
      after.set(file.slice(prefix.length), content);
    }
  }
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
    ...compareWithExpected(fixture, formatted.files, deleted),
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
