import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { OAuthAuthenticator } from '@backstage/plugin-auth-node';

/** What Keycloak's sign-in answers while Keycloak cannot be reached. */
export const KEYCLOAK_UNAVAILABLE =
  'Keycloak could not be reached, so nobody can sign in right now; try again in a few minutes';

/**
 * Whether an error means Keycloak did not answer: a failed connection (a
 * Node system error such as ECONNREFUSED) or openid-client's own timeout.
 * Errors Keycloak answered with (a refused grant, a bad code) are not.
 */
function isUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  return (
    (typeof code === 'string' && /^E[A-Z]+$/.test(code)) ||
    (typeof message === 'string' &&
      message.startsWith('outgoing request timed out'))
  );
}

/** The context of the OIDC authenticator: the discovery under way or done. */
interface DiscoveringContext {
  promise: Promise<unknown>;
}

/**
 * The OIDC authenticator reads Keycloak's discovery document once, when the
 * auth backend starts, and keeps the outcome: a Keycloak that was down at
 * that moment left sign-in broken until the portal restarted. This one
 * starts a new discovery at the next sign-in after a failed one, so sign-in
 * works again as soon as Keycloak does. While Keycloak cannot be reached,
 * each step fails within the provider's `timeout` with one clear message
 * (the cause goes to the log), and a sign-in popup is sent on to the frame
 * handler, which hands that message to the app's sign-in page instead of
 * leaving an error page in the popup.
 */
export function recoveringAuthenticator<
  TContext extends DiscoveringContext,
  TProfile,
>(
  authenticator: OAuthAuthenticator<TContext, TProfile>,
  logger?: LoggerService,
): OAuthAuthenticator<() => TContext, TProfile> {
  const unavailable = (error: unknown): never => {
    if (!isUnreachable(error)) throw error;
    logger?.warn(`${KEYCLOAK_UNAVAILABLE}: ${error}`);
    throw new ServiceUnavailableError(KEYCLOAK_UNAVAILABLE);
  };
  /** The context once its discovery succeeded. */
  const discovered = async (ctx: () => TContext): Promise<TContext> => {
    const current = ctx();
    await current.promise.catch(unavailable);
    return current;
  };
  return {
    ...authenticator,
    initialize(options) {
      let failed = false;
      const discover = () => {
        const ctx = authenticator.initialize(options);
        failed = false;
        // Also keeps a failed discovery from being an unhandled rejection.
        ctx.promise.catch(() => (failed = true));
        return ctx;
      };
      let current = discover();
      return () => {
        if (failed) current = discover();
        return current;
      };
    },
    async start(input, ctx) {
      let current: TContext;
      try {
        current = await discovered(ctx);
      } catch (error) {
        if (!(error instanceof ServiceUnavailableError)) throw error;
        const frame = new URL(input.req.originalUrl ?? '', 'http://portal');
        frame.pathname = frame.pathname.replace(/\/start$/, '/handler/frame');
        frame.search = new URLSearchParams({ state: input.state }).toString();
        return { url: `${frame.pathname}${frame.search}`, status: 302 };
      }
      return authenticator.start(input, current);
    },
    async authenticate(input, ctx) {
      const current = await discovered(ctx);
      return authenticator.authenticate(input, current).catch(unavailable);
    },
    async refresh(input, ctx) {
      const current = await discovered(ctx);
      return authenticator.refresh(input, current).catch(unavailable);
    },
    logout: authenticator.logout
      ? async (input, ctx) =>
          authenticator.logout!(input, await discovered(ctx))
      : undefined,
  };
}
