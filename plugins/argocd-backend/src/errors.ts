import { CustomErrorBase, ServiceUnavailableError } from '@backstage/errors';

/**
 * Argo CD did not give a usable answer: unreachable (502), too slow (504)
 * or refusing the portal's token (502). The message names the instance but
 * never its address, the token or Argo CD's own error text, which stay in
 * the backend log.
 */
export class ArgoCdUnavailableError extends CustomErrorBase {
  readonly statusCode: 502 | 504;

  constructor(message: string, statusCode: 502 | 504 = 502) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** What every route answers where the portal has no Argo CD configured. */
export function notConfigured(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    'Argo CD is not configured in this portal (argocd.appLocatorMethods)',
  );
}
