import { CustomErrorBase } from '@backstage/errors';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';

/** mkdocs failed or ran too long; its own output is in the build log. */
export class MkdocsBuildError extends CustomErrorBase {}

/** A build of a real documentation site takes seconds; this bounds a stuck one. */
const BUILD_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The whole environment of mkdocs: where to find programs, a throwaway home
 * and temporary folder, and a UTF-8 locale. Nothing of the backend's own
 * environment (tokens, passwords, secrets) is passed on, so mkdocs's
 * /proc/self/environ holds none of them.
 */
export function mkdocsEnvironment(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONNOUSERSITE: '1',
  };
}

/**
 * Runs `mkdocs build` on the staged sources in `cwd` (config file
 * mkdocs.yml there) into `outputDir`, with {@link mkdocsEnvironment} and
 * its output streamed to the build log.
 */
export function runMkdocs(options: {
  cwd: string;
  outputDir: string;
  home: string;
  logStream?: Writable;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'mkdocs',
      ['build', '--config-file', 'mkdocs.yml', '--site-dir', options.outputDir],
      {
        cwd: options.cwd,
        env: mkdocsEnvironment(options.home),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new MkdocsBuildError(
          `mkdocs did not finish within ${BUILD_TIMEOUT_MS / 1000} seconds`,
        ),
      );
    }, BUILD_TIMEOUT_MS);
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', chunk => options.logStream?.write(chunk));
    }
    child.on('error', error => {
      clearTimeout(timer);
      reject(new MkdocsBuildError('Could not run mkdocs', error));
    });
    child.on('close', code => {
      clearTimeout(timer);
      if (code === 0) {
        resolve();
      } else {
        reject(
          new MkdocsBuildError(
            `mkdocs exited with ${code}; its output is in the build log`,
          ),
        );
      }
    });
  });
}
