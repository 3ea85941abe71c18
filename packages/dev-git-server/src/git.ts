import { execFile } from 'node:child_process';

/**
 * Runs git for the server's own bookkeeping (creating and seeding bare
 * repositories), with user and system config ignored so a developer's
 * settings play no part.
 */
export function runGit(
  args: string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          ...options.env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`git ${args[0]} failed: ${String(stderr).trim()}`));
          return;
        }
        resolve({ stdout: String(stdout) });
      },
    );
  });
}
