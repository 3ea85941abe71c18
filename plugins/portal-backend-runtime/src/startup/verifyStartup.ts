import { Config } from '@backstage/config';
import { probeDatabase } from './databaseProbe';
import { StartupRefusedError } from './errors';
import {
  findMissingEnvironment,
  loadedConfigFiles,
} from './missingEnvironment';
import { requireProductionSafety } from './productionSafety';

/** Where the backend's configuration came from. */
export interface StartupContext {
  /** The process arguments, which carry the `--config` files. */
  argv: string[];
  /** The process environment: `NODE_ENV`, `APP_CONFIG_*` and `${VAR}` values. */
  env: NodeJS.ProcessEnv;
}

/**
 * Checks what would otherwise fail late and obscurely, or not at all:
 * environment variables the config files need, a production configuration
 * that weakens a safeguard, and a database nobody can reach. `config` is the
 * configuration the backend runs with, however it was given (`--config`
 * files, the default files, `APP_CONFIG_*` variables). Resolves with
 * nothing, or rejects with a {@link StartupRefusedError} that names the
 * setting to fix.
 */
export async function verifyStartup(
  config: Config,
  { argv, env }: StartupContext,
): Promise<void> {
  const files = await loadedConfigFiles(argv, env);
  const missing = findMissingEnvironment(files, env);
  if (missing.length > 0) {
    const lines = missing.map(
      m =>
        `  ${m.setting} needs environment variable ${m.variable} (${m.file})`,
    );
    throw new StartupRefusedError(
      `Configuration is incomplete, set these environment variables:\n${lines.join(
        '\n',
      )}`,
    );
  }

  requireProductionSafety(config, env);

  const database = await probeDatabase(config, 10_000);
  if (!database.ok) {
    throw new StartupRefusedError(
      `Cannot reach the database in backend.database.connection (${database.target}): ${database.reason}`,
    );
  }
}
