import { ConfigSources } from '@backstage/config-loader';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedPort } from '../__testUtils__/closedPort';
import { StartupContext, verifyStartup } from './verifyStartup';

function configFile(content: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-config-'));
  const file = path.join(dir, 'app-config.yaml');
  fs.writeFileSync(file, content);
  return file;
}

/** Loads the config as the backend's root config service does, then checks it. */
async function verify(argv: string[], env: NodeJS.ProcessEnv) {
  const context: StartupContext = { argv: ['node', 'index', ...argv], env };
  const config = await ConfigSources.toConfig(
    ConfigSources.default({ ...context, watch: false }),
  );
  try {
    await verifyStartup(config, context);
  } finally {
    config.close();
  }
}

const sqlite =
  'backend:\n  database:\n    client: better-sqlite3\n    connection: ":memory:"\n';
/** A production configuration that passes, apart from what a test adds. */
const production = `${sqlite}auth:\n  environment: production\npermission:\n  enabled: true\n`;

describe('verifyStartup', () => {
  it('accepts the embedded SQLite defaults', async () => {
    await expect(
      verify(['--config', configFile(sqlite)], {}),
    ).resolves.toBeUndefined();
    await expect(
      verify(['--config', configFile(production)], { NODE_ENV: 'production' }),
    ).resolves.toBeUndefined();
  });

  it('names the setting and variable that are missing', async () => {
    const file = configFile(
      'auth:\n  session:\n    secret: ${AUTH_SESSION_SECRET}\n',
    );
    await expect(verify(['--config', file], {})).rejects.toThrow(
      'auth.session.secret needs environment variable AUTH_SESSION_SECRET',
    );
  });

  it('refuses a production configuration that switches permissions off', async () => {
    const file = configFile(
      'auth:\n  environment: production\npermission:\n  enabled: false\n',
    );
    await expect(verify(['--config', file], {})).rejects.toThrow(
      'permission.enabled must be true',
    );
    await expect(
      verify(['--config', configFile('{}\n')], { NODE_ENV: 'production' }),
    ).rejects.toThrow('permission.enabled must be true');
  });

  it('refuses a production configuration in which guest sign-in would work', async () => {
    const guest =
      'auth:\n  environment: production\n  providers:\n    guest: {}\npermission:\n  enabled: true\n';
    await expect(
      verify(['--config', configFile(guest)], { NODE_ENV: 'development' }),
    ).rejects.toThrow('auth.providers.guest would let anyone sign in');
    const dangerous = guest.replace(
      'guest: {}',
      'guest:\n      dangerouslyAllowOutsideDevelopment: true',
    );
    await expect(
      verify(['--config', configFile(dangerous)], { NODE_ENV: 'production' }),
    ).rejects.toThrow('auth.providers.guest would let anyone sign in');
  });

  it.each([
    [
      'backend:\n  auth:\n    dangerouslyDisableDefaultAuthPolicy: true\n',
      'backend.auth.dangerouslyDisableDefaultAuthPolicy',
    ],
    [
      'auth:\n  experimentalRefreshToken:\n    dangerouslyDisableCatalogPresenceCheck: true\n',
      'auth.experimentalRefreshToken.dangerouslyDisableCatalogPresenceCheck',
    ],
    [
      'kubernetes:\n  clusterLocatorMethods:\n    - type: config\n      dangerouslyAllowSkipTLSVerify: true\n',
      'kubernetes.clusterLocatorMethods.0.dangerouslyAllowSkipTLSVerify',
    ],
    [
      "proxy:\n  endpoints:\n    '/open':\n      target: http://127.0.0.1:1\n      credentials: dangerously-allow-unauthenticated\n",
      'proxy.endpoints./open.credentials: dangerously-allow-unauthenticated',
    ],
  ])('refuses a dangerously switch in production: %#', async (yaml, key) => {
    const file = configFile(yaml);
    const argv = ['--config', configFile(production), '--config', file];
    await expect(verify(argv, { NODE_ENV: 'production' })).rejects.toThrow(key);
    // Development allows what it allowed before.
    await expect(
      verify(['--config', configFile(sqlite), '--config', file], {
        NODE_ENV: 'development',
      }),
    ).resolves.toBeUndefined();
  });

  it('checks the configuration however it is given', async () => {
    // APP_CONFIG_* variables on top of a file...
    await expect(
      verify(['--config', configFile(production)], {
        NODE_ENV: 'production',
        APP_CONFIG_backend_auth_dangerouslyDisableDefaultAuthPolicy: 'true',
      }),
    ).rejects.toThrow('backend.auth.dangerouslyDisableDefaultAuthPolicy');
    // ...and without --config, on the repository's app-config.yaml.
    await expect(
      verify([], {
        NODE_ENV: 'production',
        APP_CONFIG_permission_enabled: 'false',
      }),
    ).rejects.toThrow('permission.enabled must be true');
  });

  it('names the database setting and address it cannot reach', async () => {
    const port = await closedPort();
    const file = configFile(`
backend:
  database:
    client: pg
    connection:
      host: 127.0.0.1
      port: ${port}
      user: portal
      password: not-used
`);
    await expect(verify(['--config', file], {})).rejects.toThrow(
      `Cannot reach the database in backend.database.connection (127.0.0.1:${port})`,
    );
  });
});
