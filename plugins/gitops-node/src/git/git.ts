import { execFile, execFileSync } from 'node:child_process';
import { CustomErrorBase } from '@backstage/errors';
import { traceGitCommand } from './gitSpan';

/**
 * Basic-auth credentials for Git over HTTP(S).
 *
 * @public
 */
export interface GitAuth {
  username: string;
  password: string;
}

/** A failed git command, its message free of credentials. */
export class GitCommandError extends CustomErrorBase {
  name = 'GitCommandError' as const;

  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

/** The secrets of an auth, in every form they could appear in output. */
function secretsOf(auth?: GitAuth): string[] {
  if (!auth) return [];
  const basic = Buffer.from(`${auth.username}:${auth.password}`).toString(
    'base64',
  );
  return [
    `${auth.username}:${auth.password}`,
    encodeURIComponent(auth.password),
    auth.password,
    basic,
  ].filter(s => s.length >= 3);
}

/**
 * Removes credentials from a text: the given secrets and any `user:pass@`
 * in URLs.
 */
export function redact(text: string, auth?: GitAuth): string {
  let result = text.replace(/(\/\/)[^/@\s:]+(:[^/@\s]*)?@/g, '$1***@');
  for (const secret of secretsOf(auth)) {
    result = result.split(secret).join('***');
  }
  return result;
}

/** Most output a git command may print; more fails it. */
export const GIT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
/** How long a git command may take unless its caller says otherwise. */
export const GIT_TIMEOUT_MS = 120_000;

/** Options of {@link runGit}. */
export interface RunGitOptions {
  cwd?: string;
  auth?: GitAuth;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * The environment git runs in: credentials in an `Authorization` header
 * passed through `GIT_CONFIG_*` variables (never in the command line, a URL
 * or `.git/config`), user and system config ignored so a developer's
 * credential helpers or URL rewrites play no part, and only HTTP(S) remotes.
 */
export function gitEnvironment(options: RunGitOptions): NodeJS.ProcessEnv {
  const config: Array<[string, string]> = [
    ['credential.helper', ''],
    ['core.quotePath', 'false'],
    ['init.defaultBranch', 'main'],
    ['protocol.allow', 'never'],
    ['protocol.http.allow', 'always'],
    ['protocol.https.allow', 'always'],
  ];
  if (options.auth) {
    const basic = Buffer.from(
      `${options.auth.username}:${options.auth.password}`,
    ).toString('base64');
    config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
  }
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'true',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(
      config.flatMap(([key, value], i) => [
        [`GIT_CONFIG_KEY_${i}`, key],
        [`GIT_CONFIG_VALUE_${i}`, value],
      ]),
    ),
    ...options.env,
  };
}

/**
 * Runs `git` without a shell, in {@link gitEnvironment}.
 */
export function runGit(
  args: string[],
  options: RunGitOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const env = gitEnvironment(options);
  const timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS;
  const command = args.find(arg => !arg.startsWith('-')) ?? args[0];
  const run = () =>
    new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        'git',
        args,
        {
          cwd: options.cwd,
          env,
          maxBuffer: GIT_MAX_OUTPUT_BYTES,
          timeout: timeoutMs,
        },
        (error, stdout, stderr) => {
          if (error) {
            const detail = error.killed
              ? `no answer within ${Math.round(timeoutMs / 1000)} s`
              : redact(String(stderr || error.message).trim(), options.auth);
            reject(
              new GitCommandError(
                `git ${command} failed: ${detail}`,
                redact(String(stderr), options.auth),
                typeof error.code === 'number' ? error.code : null,
              ),
            );
            return;
          }
          resolve({ stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  return traceGitCommand(command, run);
}

/**
 * Runs a local `git` command synchronously (no remote, no credentials):
 * for the synchronous file lookups of manifest validation. Undefined when
 * git fails.
 */
export function runGitSync(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd,
      env: gitEnvironment({}),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}
