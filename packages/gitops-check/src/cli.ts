import { Command, Option } from 'commander';
import path from 'node:path';
import { gitopsDir, templatesDir } from './paths';
import { checkTemplates } from './templates';
import { checkTree } from './tree';
import { DEFAULT_PLATFORM_OPTIONS, PlatformOptions } from './validate';

// Yarn runs package scripts in the package's folder; paths on the command
// line are the caller's.
const callerDir = process.env.INIT_CWD ?? process.cwd();

/** A repeatable option: every occurrence, commas splitting values. */
const collect = (value: string, previous: string[]) => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

interface CommonOptions {
  argocdNamespace: string;
  platformNamespace: string[];
}

function platformOptions(options: CommonOptions): PlatformOptions {
  return {
    argocdNamespace: options.argocdNamespace,
    platformNamespaces: options.platformNamespace,
  };
}

async function runTree(dir: string, options: CommonOptions): Promise<number> {
  const root = path.resolve(callerDir, dir);
  const problems = await checkTree(root, platformOptions(options));
  for (const problem of problems) {
    process.stdout.write(`✗ ${problem.path}: ${problem.message}\n`);
  }
  process.stdout.write(
    problems.length === 0
      ? `✓ ${root}: no problems\n`
      : `\n${problems.length} problem(s) in ${root}\n`,
  );
  return problems.length === 0 ? 0 : 1;
}

interface TemplatesOptions extends CommonOptions {
  update?: boolean;
  only: string[];
  templates: string;
  seed: string;
}

async function runTemplates(options: TemplatesOptions): Promise<number> {
  const started = Date.now();
  const results = await checkTemplates({
    templatesDir: path.resolve(callerDir, options.templates),
    seedDir: path.resolve(callerDir, options.seed),
    update: options.update,
    only: options.only.length > 0 ? options.only : undefined,
    platform: platformOptions(options),
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
      options.update ? ' (expected/ rewritten)' : ''
    }\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

function program(): Command {
  const cli = new Command('gitops-check')
    .description(
      'Checks the golden-path templates and GitOps trees of the developer portal. Exits with 0 only when everything passed.',
    )
    .option(
      '--argocd-namespace <ns>',
      'the Argo CD namespace',
      DEFAULT_PLATFORM_OPTIONS.argocdNamespace,
    )
    .option(
      '--platform-namespace <ns>',
      'one more namespace owned by the platform (repeatable)',
      collect,
      [],
    )
    .showHelpAfterError();

  cli
    .command('templates')
    .description(
      'Renders every template with each of its fixtures through the real scaffolder (dry run) against a loopback Git server, validates the changed files and compares them with fixtures/<case>/expected/.',
    )
    .option('--update', 'rewrite expected/ instead of comparing')
    .option(
      '--only <templates>',
      'only these templates (folder names; comma-separated, repeatable)',
      collect,
      [],
    )
    .addOption(
      new Option('--templates <dir>', 'the templates folder').default(
        templatesDir,
        'templates/',
      ),
    )
    .addOption(
      new Option(
        '--seed <dir>',
        'the GitOps tree every fixture starts from',
      ).default(gitopsDir, 'gitops/'),
    )
    .action(async (_options, command: Command) => {
      process.exitCode = await runTemplates(command.optsWithGlobals());
    });

  cli
    .command('tree')
    .description('Validates a whole GitOps tree with the same rules.')
    .argument('<dir>', 'the root of the GitOps tree')
    .action(async (dir: string, _options, command: Command) => {
      process.exitCode = await runTree(dir, command.optsWithGlobals());
    });

  return cli;
}

program()
  .parseAsync(process.argv)
  .then(
    // The scaffolder's and catalog's timers would keep the process alive.
    () => process.exit(),
    error => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    },
  );
