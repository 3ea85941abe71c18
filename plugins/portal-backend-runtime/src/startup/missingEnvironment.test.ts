import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  findMissingEnvironment,
  loadedConfigFiles,
} from './missingEnvironment';

function configFile(content: string, name = 'app-config.test.yaml') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-config-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('findMissingEnvironment', () => {
  const file = configFile(`
backend:
  database:
    connection:
      host: \${POSTGRES_HOST}
      password: \${ POSTGRES_PASSWORD }
      port: \${POSTGRES_PORT:-5432}
proxy:
  endpoints:
    '/argocd/api':
      headers:
        Cookie: argocd.token=\${ARGOCD_AUTH_TOKEN}
      literal: $\${NOT_A_VARIABLE}
kubernetes:
  clusters:
    - token: \${K8S_SA_TOKEN}
`);

  it('names the setting, the variable and the file of every unset variable', () => {
    expect(findMissingEnvironment([file], {})).toEqual([
      {
        setting: 'backend.database.connection.host',
        variable: 'POSTGRES_HOST',
        file,
      },
      {
        setting: 'backend.database.connection.password',
        variable: 'POSTGRES_PASSWORD',
        file,
      },
      {
        setting: 'proxy.endpoints./argocd/api.headers.Cookie',
        variable: 'ARGOCD_AUTH_TOKEN',
        file,
      },
      {
        setting: 'kubernetes.clusters.0.token',
        variable: 'K8S_SA_TOKEN',
        file,
      },
    ]);
  });

  it('treats an empty variable as missing and a set one as present', () => {
    const missing = findMissingEnvironment([file], {
      POSTGRES_HOST: 'db',
      POSTGRES_PASSWORD: '',
      ARGOCD_AUTH_TOKEN: 'x',
      K8S_SA_TOKEN: 'y',
    });
    expect(missing.map(m => m.variable)).toEqual(['POSTGRES_PASSWORD']);
  });
});

describe('loadedConfigFiles', () => {
  it('reads both --config forms in order', async () => {
    const a = configFile('a: 1\n', 'a.yaml');
    const b = configFile('b: 1\n', 'b.yaml');
    await expect(
      loadedConfigFiles(
        ['node', 'index.ts', '--config', a, `--config=${b}`, '--other'],
        {},
      ),
    ).resolves.toEqual([a, b]);
  });

  it('without --config, finds the default app-config.yaml as the backend does', async () => {
    const repoRoot = path.resolve(__dirname, '../../../..');
    const files = await loadedConfigFiles(['node', 'index.ts'], {});
    expect(files[0]).toBe(path.join(repoRoot, 'app-config.yaml'));
  });
});
