import { execFile } from 'node:child_process';

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
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = 'GitCommandError';
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

/**
 * Runs `git` without a shell. Credentials go in an `Authorization` header
 * passed through `GIT_CONFIG_*` environment variables: never in the command
 * line, a URL or `.git/config`. User and system git config are ignored so a
 * developer's credential helpers or URL rewrites play no part.
 */
export function runGit(
  args: string[],
  options: {
    cwd?: string;
    auth?: GitAuth;
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
  } = {},
): Promise<{ stdout: string; stderr: string }> {
  const config: Array<[string, string]> = [
    ['credential.helper', ''],
    ['core.quotePath', 'false'],
    ['init.defaultBranch', 'main'],
    ['protocol.allow', 'never'],
    ['protocol.http.allow', 'always'],
    ['protocol.https.allow', 'always'],
    ['protocol.file.allow', 'always'],
  ];
  if (options.auth) {
    const basic = Buffer.from(
      `${options.auth.username}:${options.auth.password}`,
    ).toString('base64');
    config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
  }
  const env: NodeJS.ProcessEnv = {
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
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env,
        maxBuffer: 256 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = redact(
            String(stderr || error.message).trim(),
            options.auth,
          );
          reject(
            new GitCommandError(
              `git ${args[0]} failed: ${detail}`,
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
}
