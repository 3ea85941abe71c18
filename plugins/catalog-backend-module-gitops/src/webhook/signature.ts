import crypto from 'node:crypto';
import { RequestValidator } from '@backstage/plugin-events-node';

/**
 * Where plain-Git servers put the HMAC-SHA256 of the body: GitHub's header
 * (`sha256=<hex>`, also sent by Gitea and Forgejo), and Gitea's and
 * Forgejo's own (`<hex>`).
 */
const SIGNATURE_HEADERS: Array<[header: string, prefix: string]> = [
  ['x-hub-signature-256', 'sha256='],
  ['x-gitea-signature', ''],
  ['x-forgejo-signature', ''],
];

function givenSignature(
  headers: Record<string, string | string[] | undefined>,
): Buffer | undefined {
  for (const [header, prefix] of SIGNATURE_HEADERS) {
    const value = headers[header];
    if (typeof value !== 'string') continue;
    const hex = value.startsWith(prefix) ? value.slice(prefix.length) : '';
    return /^[0-9a-f]{64}$/i.test(hex) ? Buffer.from(hex, 'hex') : undefined;
  }
  return undefined;
}

/**
 * Accepts a request only when it carries the HMAC-SHA256 of its raw body
 * with `secret`; anything else is answered 401 and never published.
 */
export function createPushSignatureValidator(secret: string): RequestValidator {
  return async (request, context) => {
    const given = givenSignature(request.headers);
    const expected = crypto
      .createHmac('sha256', secret)
      .update(request.raw.body)
      .digest();
    if (!given || !crypto.timingSafeEqual(given, expected)) {
      context.reject({
        status: 401,
        payload: { message: 'Missing or invalid webhook signature' },
      });
    }
  };
}
