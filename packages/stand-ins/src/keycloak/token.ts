import crypto from 'node:crypto';
import http from 'node:http';
import { Answer } from './adminApi';

/** The client the org provider logs in with, and the tokens it is given. */
export interface ClientCredentialsOptions {
  clientId: string;
  clientSecret: string;
  /** Seconds; Keycloak's default access token lifetime is 300. */
  lifetime: number;
}

async function readCredentials(req: http.IncomingMessage) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  // The admin client sends the client's credentials as HTTP Basic, form
  // encoded; Keycloak also takes them in the form.
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  const [id, secret] = basic
    ? Buffer.from(basic[1], 'base64')
        .toString('utf8')
        .split(':')
        .map(s => decodeURIComponent(s.replace(/\+/g, ' ')))
    : [form.get('client_id'), form.get('client_secret')];
  return { grantType: form.get('grant_type'), id, secret };
}

/**
 * Keycloak's token endpoint for the client-credentials grant, and the check
 * of the access tokens it issues: signed JWTs with an `exp`, which the admin
 * client reads to log in again before they run out.
 */
export function clientCredentials(options: ClientCredentialsOptions) {
  const key = crypto.randomBytes(32);
  const sign = (data: string) =>
    crypto.createHmac('sha256', key).update(data).digest('base64url');
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const issue = () => {
    const iat = Math.floor(Date.now() / 1000);
    const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
      azp: options.clientId,
      typ: 'Bearer',
      iat,
      exp: iat + options.lifetime,
      jti: crypto.randomUUID(),
    })}`;
    return `${body}.${sign(body)}`;
  };
  return {
    async answer(req: http.IncomingMessage): Promise<Answer> {
      const { grantType, id, secret } = await readCredentials(req);
      const ok =
        req.method === 'POST' &&
        grantType === 'client_credentials' &&
        id === options.clientId &&
        secret === options.clientSecret;
      if (!ok) {
        return {
          kind: 'token',
          status: 401,
          body: { error: 'unauthorized_client' },
        };
      }
      return {
        kind: 'token',
        status: 200,
        body: {
          access_token: issue(),
          expires_in: options.lifetime,
          refresh_expires_in: 0,
          token_type: 'Bearer',
          'not-before-policy': 0,
          scope: 'profile email',
        },
      };
    },
    /** Whether an Authorization header carries a live token of ours. */
    valid(header: string | undefined): boolean {
      const match = /^Bearer ([^.]+\.[^.]+)\.([^.]+)$/.exec(header ?? '');
      if (!match) {
        return false;
      }
      const expected = Buffer.from(sign(match[1]));
      const given = Buffer.from(match[2]);
      if (
        expected.length !== given.length ||
        !crypto.timingSafeEqual(expected, given)
      ) {
        return false;
      }
      const { exp } = JSON.parse(
        Buffer.from(match[1].split('.')[1], 'base64url').toString('utf8'),
      );
      return exp * 1000 > Date.now();
    },
  };
}
