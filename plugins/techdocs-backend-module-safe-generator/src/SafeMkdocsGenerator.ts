import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  GeneratorBase,
  GeneratorRunOptions,
} from '@backstage/plugin-techdocs-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Allowlists, readAllowlists } from './allowlists';
import { parseMkdocsYaml, stringifyMkdocsYaml } from './mkdocsYaml';
import { runMkdocs } from './runMkdocs';
import { STAGED_DOCS_DIR, sanitizeMkdocsConfig } from './sanitizeMkdocsConfig';
import { readMkdocsConfigText, stageDocs } from './stageSources';
import { writeTechdocsMetadata } from './techdocsMetadata';

/** The site name mkdocs needs when neither mkdocs.yml nor the entity gives one. */
const DEFAULT_SITE_NAME = 'Documentation Site';

/**
 * Builds TechDocs with the local mkdocs, never on the sources as they came:
 * mkdocs.yml is parsed here and rewritten with only allowlisted settings,
 * plugins and Markdown extensions; the documentation folder is copied into
 * a fresh folder (links out of the sources refused); and mkdocs runs there
 * with an environment that holds none of the backend's secrets. The
 * sources themselves are only read, so a `dir:` location in the portal's
 * own checkout is left untouched.
 */
export class SafeMkdocsGenerator implements GeneratorBase {
  static fromConfig(config: Config, options: { logger: LoggerService }) {
    const runIn = config.getOptionalString('techdocs.generator.runIn');
    if (runIn !== undefined && runIn !== 'local') {
      throw new InputError(
        `techdocs.generator.runIn is '${runIn}', but the safe generator only runs the local mkdocs; set it to 'local'`,
      );
    }
    options.logger.info(
      'TechDocs builds with the allowlisting generator in a clean environment',
    );
    return new SafeMkdocsGenerator(
      readAllowlists(config),
      config.getOptionalString('backend.workingDirectory') ?? os.tmpdir(),
    );
  }

  constructor(
    private readonly allowlists: Allowlists,
    private readonly workingDirectory: string,
  ) {}

  async run(options: GeneratorRunOptions): Promise<void> {
    const { inputDir, outputDir, etag, logger, logStream } = options;
    const workDir = await fs.mkdtemp(
      path.join(await fs.realpath(this.workingDirectory), 'techdocs-safe-'),
    );
    try {
      const stagedDir = path.join(workDir, 'sources');
      const home = path.join(workDir, 'home');
      await fs.mkdir(home);

      const text = await readMkdocsConfigText(inputDir);
      const parsed =
        text === undefined
          ? {}
          : parseMkdocsYaml(text, this.allowlists.pythonNames);
      const { config, docsDir, removed } = sanitizeMkdocsConfig(
        parsed,
        this.allowlists,
        { siteName: options.siteOptions?.name ?? DEFAULT_SITE_NAME },
      );
      if (removed.length > 0) {
        logger.warn(
          `Left out of mkdocs.yml, as not allowed in this portal: ${removed.join(
            '; ',
          )}`,
        );
      }

      const skipped = await stageDocs({
        sourceRoot: inputDir,
        docsDir,
        targetDir: path.join(stagedDir, STAGED_DOCS_DIR),
      });
      if (skipped.length > 0) {
        logger.warn(`Left out of the documentation: ${skipped.join('; ')}`);
      }
      await fs.writeFile(
        path.join(stagedDir, 'mkdocs.yml'),
        stringifyMkdocsYaml(config, this.allowlists.pythonNames),
      );

      await runMkdocs({ cwd: stagedDir, outputDir, home, logStream });
      await writeTechdocsMetadata(outputDir, { config, etag });
      logger.info(`Generated the documentation site from ${docsDir}`);
    } finally {
      await fs.rm(workDir, { recursive: true, force: true });
    }
  }
}
