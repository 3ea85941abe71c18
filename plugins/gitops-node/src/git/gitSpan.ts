import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** Git's own subcommand names; anything else is not named on a span. */
const SUBCOMMAND = /^[a-z][a-z-]{0,30}$/;

const tracer = trace.getTracer('@internal/plugin-gitops-node');

/**
 * Runs one git command in a `git <subcommand>` span with its exit code. The
 * span names the subcommand only: arguments (URLs, refs, paths) and output
 * stay out of traces, and the credentials never were in either.
 */
export function traceGitCommand<T>(
  subcommand: string,
  run: () => Promise<T>,
): Promise<T> {
  const name = SUBCOMMAND.test(subcommand) ? subcommand : 'other';
  return tracer.startActiveSpan(
    `git ${name}`,
    { kind: SpanKind.CLIENT, attributes: { 'git.command': name } },
    async span => {
      try {
        const result = await run();
        span.setAttribute('process.exit.code', 0);
        return result;
      } catch (error) {
        const exitCode = (error as { exitCode?: unknown }).exitCode;
        if (typeof exitCode === 'number') {
          span.setAttribute('process.exit.code', exitCode);
        }
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: `git ${name} failed`,
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
