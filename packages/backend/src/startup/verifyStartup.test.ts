import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedPort } from '../testing/closedPort';
import { verifyStartup } from './verifyStartup';

function configFile(content: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-config-'));
  const file = path.join(dir, 'app-config.yaml');
  fs.writeFileSync(file, content);
  return file;
}

describe('verifyStartup', () => {
  it('accepts the embedded SQLite defaults', async () => {
    const file = configFile(
      'backend:\n  database:\n    client: better-sqlite3\n    connection: ":memory:"\n',
    );
    await expect(
      verifyStartup(['node', 'index', '--config', file], {}),
    ).resolves.toBeUndefined();
  });

  it('names the setting and variable that are missing', async () => {
    const file = configFile(
      'auth:\n  session:\n    secret: ${AUTH_SESSION_SECRET}\n',
    );
    await expect(
      verifyStartup(['node', 'index', '--config', file], {}),
    ).rejects.toThrow(
      'auth.session.secret needs environment variable AUTH_SESSION_SECRET',
    );
  });

  it('refuses a production configuration that switches permissions off', async () => {
    const file = configFile(
      'auth:\n  environment: production\npermission:\n  enabled: false\n',
    );
    await expect(
      verifyStartup(['node', 'index', '--config', file], {}),
    ).rejects.toThrow('permission.enabled must be true');
    await expect(
      verifyStartup(['node', 'index', '--config', configFile('{}\n')], {
        NODE_ENV: 'production',
      }),
    ).rejects.toThrow('permission.enabled must be true');
  });

  it('refuses a production configuration in which guest sign-in would work', async () => {
    const guest =
      'auth:\n  environment: production\n  providers:\n    guest: {}\npermission:\n  enabled: true\n';
    await expect(
      verifyStartup(['node', 'index', '--config', configFile(guest)], {
        NODE_ENV: 'development',
      }),
    ).rejects.toThrow('auth.providers.guest would let anyone sign in');
    const dangerous = guest.replace(
      'guest: {}',
      'guest:\n      dangerouslyAllowOutsideDevelopment: true',
    );
    await expect(
      verifyStartup(['node', 'index', '--config', configFile(dangerous)], {
        NODE_ENV: 'production',
      }),
    ).rejects.toThrow('auth.providers.guest would let anyone sign in');
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
    await expect(
      verifyStartup(['node', 'index', '--config', file], {}),
    ).rejects.toThrow(
      `Cannot reach the database in backend.database.connection (127.0.0.1:${port})`,
    );
  });
});
