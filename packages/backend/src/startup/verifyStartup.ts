import { Config, ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import { probeDatabase } from './databaseProbe';
import {
  configFilesFromArgv,
  findMissingEnvironment,
} from './missingEnvironment';

/**
 * What a production configuration may not do: switch the permission
 * framework off (it is the only thing between a signed-in user and every
 * API), or let the local guest sign-in of app-config.yaml work. The guest
 * provider stays configured there and refuses by itself unless NODE_ENV is
 * development or its `dangerouslyAllowOutsideDevelopment` switch is on.
 */
export function requireProductionSafety(
  config: Config,
  env: NodeJS.ProcessEnv,
) {
  const production =
    env.NODE_ENV === 'production' ||
    config.getOptionalString('auth.environment') === 'production';
  if (!production) {
    return;
  }
  if (config.getOptionalBoolean('permission.enabled') !== true) {
    throw new Error(
      'permission.enabled must be true in a production configuration; the portal does not run without its permission policy',
    );
  }
  const guest = config.getOptionalConfig('auth.providers.guest');
  if (
    guest &&
    (env.NODE_ENV === 'development' ||
      guest.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') === true)
  ) {
    throw new Error(
      'auth.providers.guest would let anyone sign in as the guest user in a production configuration; run with NODE_ENV=production and without auth.providers.guest.dangerouslyAllowOutsideDevelopment',
    );
  }
}

/**
 * Checks what would otherwise fail late and obscurely: environment variables
 * the config files need, and a database nobody can reach. Resolves with
 * nothing, or rejects with a message that names the setting to fix.
 */
export async function verifyStartup(
  argv: string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const files = configFilesFromArgv(argv).filter(
    file => !/^https?:\/\//.test(file),
  );
  const missing = findMissingEnvironment(files, env);
  if (missing.length > 0) {
    const lines = missing.map(
      m =>
        `  ${m.setting} needs environment variable ${m.variable} (${m.file})`,
    );
    throw new Error(
      `Configuration is incomplete, set these environment variables:\n${lines.join(
        '\n',
      )}`,
    );
  }

  // Without --config the backend runs on the embedded SQLite defaults.
  if (files.length === 0) {
    return;
  }
  const { appConfigs } = await loadConfig({
    configRoot: process.cwd(),
    configTargets: files.map(path => ({ path })),
  });
  const config = ConfigReader.fromConfigs(appConfigs);
  requireProductionSafety(config, env);
  const database = await probeDatabase(config, 10_000);
  if (!database.ok) {
    throw new Error(
      `Cannot reach the database in backend.database.connection (${database.target}): ${database.reason}`,
    );
  }
}
