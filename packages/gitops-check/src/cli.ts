import path from 'node:path';
import { gitopsDir, templatesDir } from './paths';
import { checkTemplates } from './templates';
import { checkTree } from './tree';
import { DEFAULT_PLATFORM_OPTIONS, PlatformOptions } from './validate';

const USAGE = `Usage:
  gitops-check templates [--update] [--only <template>[,<template>]] [--templates <dir>] [--seed <dir>]
      Renders every template with each of its fixtures through the real
      scaffolder (dry run) against a loopback Git server, validates the
      changed files and compares them with fixtures/<case>/expected/.
      --update rewrites expected/ instead of comparing.
  gitops-check tree <dir>
      Validates a whole GitOps tree with the same rules.

Common options:
  --argocd-namespace <ns>     The Argo CD namespace (default ${DEFAULT_PLATFORM_OPTIONS.argocdNamespace})
  --platform-namespace <ns>   One more namespace owned by the platform (repeatable)
`;

// Yarn runs package scripts in the package's folder; paths on the command
// line are the caller's.
const callerDir = process.env.INIT_CWD ?? process.cwd();

function parseArgs(argv: string[]) {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--update' || arg === '--help' || arg === '-h') {
      flags.set(arg, ['true']);
    } else if (arg.startsWith('--')) {
      const value = argv[++i];
      if (value === undefined) {
        throw new Error(`${arg} needs a value`);
      }
      flags.set(arg, [...(flags.get(arg) ?? []), value]);
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags };
}

async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [command, ...rest] = positional;
  if (flags.has('--help') || flags.has('-h') || !command) {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const platform: PlatformOptions = {
    argocdNamespace:
      flags.get('--argocd-namespace')?.[0] ??
      DEFAULT_PLATFORM_OPTIONS.argocdNamespace,
    platformNamespaces: flags.get('--platform-namespace') ?? [],
  };

  if (command === 'tree') {
    if (rest.length !== 1) {
      process.stderr.write(USAGE);
      return 2;
    }
    const dir = path.resolve(callerDir, rest[0]);
    const problems = await checkTree(dir, platform);
    for (const problem of problems) {
      process.stdout.write(`✗ ${problem.path}: ${problem.message}\n`);
    }
    process.stdout.write(
      problems.length === 0
        ? `✓ ${dir}: no problems\n`
        : `\n${problems.length} problem(s) in ${dir}\n`,
    );
    return problems.length === 0 ? 0 : 1;
  }

  if (command === 'templates') {
    const started = Date.now();
    const results = await checkTemplates({
      templatesDir: path.resolve(
        callerDir,
        flags.get('--templates')?.[0] ?? templatesDir,
      ),
      seedDir: path.resolve(callerDir, flags.get('--seed')?.[0] ?? gitopsDir),
      update: flags.has('--update'),
      only: flags.get('--only')?.flatMap(o => o.split(',')),
      platform,
      onResult: result => {
        const mark = result.problems.length === 0 ? '✓' : '✗';
        process.stdout.write(
          `${mark} ${result.template} / ${result.fixture} (${result.durationMs} ms)\n`,
        );
        for (const problem of result.problems) {
          process.stdout.write(`    ${problem}\n`);
        }
      },
    });
    const failed = results.filter(r => r.problems.length > 0);
    process.stdout.write(
      `\n${results.length - failed.length} of ${
        results.length
      } fixture(s) passed in ${Date.now() - started} ms${
        flags.has('--update') ? ' (expected/ rewritten)' : ''
      }\n`,
    );
    return failed.length === 0 ? 0 : 1;
  }

  process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
