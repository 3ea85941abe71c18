import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './ports';

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1, made with the machine's own
 * `initdb` and `pg_ctl`. PostgreSQL refuses to run as root, so as root the
 * cluster belongs to an unprivileged system user created for the purpose.
 */
export interface PostgresCluster {
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): void;
  start(): void;
  destroy(): void;
  /** Runs one statement with psql and returns the rows, one per line. */
  query(database: string, sql: string): string[];
}

const SYSTEM_USER = 'portal-pg';

function asClusterOwner(command: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  const [cmd, argv] = isRoot
    ? ['runuser', ['-u', SYSTEM_USER, '--', command, ...args]]
    : [command, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`,
    );
  }
}

export async function startPostgres(dir: string): Promise<PostgresCluster> {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const exists =
      spawnSync('id', ['-u', SYSTEM_USER], { stdio: 'ignore' }).status === 0;
    if (!exists) {
      execFileSync('useradd', ['--system', '--no-create-home', SYSTEM_USER]);
    }
  }
  const base = fs.mkdtempSync(path.join(dir, 'pg-'));
  const data = path.join(base, 'data');
  const password = 'portal-test-password';
  const pwfile = path.join(base, 'pwfile');
  fs.writeFileSync(pwfile, password);
  if (isRoot) {
    execFileSync('chown', ['-R', `${SYSTEM_USER}`, base]);
    fs.chmodSync(base, 0o700);
  }
  const port = await freePort();
  asClusterOwner('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    pwfile,
    '-A',
    'scram-sha-256',
    '--no-sync',
  ]);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${base} -c fsync=off`;
  const start = () =>
    asClusterOwner('pg_ctl', [
      '-D',
      data,
      '-o',
      options,
      '-l',
      path.join(base, 'log'),
      '-w',
      'start',
    ]);
  const stop = () =>
    asClusterOwner('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    start,
    stop,
    query(database, sql) {
      const out = execFileSync(
        'psql',
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          database,
          '-At',
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          sql,
        ],
        { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password } },
      );
      return out.split('\n').filter(Boolean);
    },
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
