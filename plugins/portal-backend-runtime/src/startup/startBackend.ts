import { toError } from '@backstage/errors';

/**
 * Starts the backend. A start-up that fails (a start-up check, a port in
 * use, a plugin that throws) ends the process with `Start-up refused:
 * <reason>` and exit code 1: a backend without a server must not linger for
 * an orchestrator to wait on.
 */
export function startBackend(backend: { start(): Promise<unknown> }): void {
  backend.start().catch((error: unknown) => {
    process.stderr.write(`Start-up refused: ${toError(error).message}\n`);
    process.exit(1);
  });
}
