import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './paths';
import { answers, waitFor } from './ports';

/** The real portal backend (packages/backend/src/index.ts) as a child process. */
export interface BackendProcess {
  baseUrl: string;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A backend started by spawnBackend, which can also be made to crash. */
export interface SpawnedBackend extends BackendProcess {
  /** The backend's own process, e.g. to read its memory. */
  pid: number;
  /** SIGKILL, as a crash or an OOM kill ends it: no shutdown hook runs. */
  kill(): Promise<void>;
}

export interface BackendOptions {
  port: number;
  configFiles: string[];
  env?: NodeJS.ProcessEnv;
  /** Another Backstage app's root (a benchmark's vanilla app); this repository's by default. */
  root?: string;
}

/** Starts the backend the way `backstage-cli package start` does, without the file watcher. */
export function spawnBackend(options: BackendOptions): SpawnedBackend {
  const root = options.root ?? repoRoot;
  const args = [
    '--enable-source-maps',
    '--require',
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
      paths: [root],
    }),
    'src/index.ts',
    ...options.configFiles.flatMap(file => ['--config', file]),
  ];
  let output = '';
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: path.join(root, 'packages/backend'),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      ESBK_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  return {
    baseUrl: `http://127.0.0.1:${options.port}`,
    pid: child.pid!,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
    async kill() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Config that puts a backend on its own loopback port. */
export function listenConfig(port: number) {
  return {
    app: { baseUrl: `http://127.0.0.1:${port}` },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { port, host: '127.0.0.1' },
      cors: { origin: `http://127.0.0.1:${port}` },
    },
  };
}

export async function waitUntilReady(backend: BackendProcess) {
  let exitCode: number | null | undefined;
  backend.exited.then(code => (exitCode = code));
  await waitFor(
    `${backend.baseUrl} readiness`,
    async () => {
      if (exitCode !== undefined) {
        throw new Error(
          `backend exited with ${exitCode}:\n${backend.output().slice(-4000)}`,
        );
      }
      return answers(`${backend.baseUrl}/.backstage/health/v1/readiness`);
    },
    { attempts: 360, intervalMs: 500 },
  );
}

/** Signs in with the local guest provider and returns a Backstage token. */
export async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  }
  const body = await res.json();
  return body.backstageIdentity.token;
}
