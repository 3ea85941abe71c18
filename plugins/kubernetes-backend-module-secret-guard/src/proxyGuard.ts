import { InputError, NotAllowedError } from '@backstage/errors';
import express, { Router } from 'express';
import { SECRETS_PLURAL } from './customResources';

/*
 * The API server decodes a path once before routing; decoding until nothing
 * changes (a few rounds at most) also sees through double encoding.
 */
const MAX_DECODE_ROUNDS = 5;

function decodedPath(url: string): string {
  let path = url.split('?')[0];
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      throw new InputError('The Kubernetes proxy path is not validly encoded');
    }
    if (decoded === path) {
      return path;
    }
    path = decoded;
  }
  throw new InputError('The Kubernetes proxy path is encoded too many times');
}

/**
 * Whether a proxied request would reach the Secrets resource: a list,
 * watch or single Secret in any group or namespace. Dot segments can only
 * remove segments, so a path that reaches Secrets names them literally once
 * decoded; a namespace or object that happens to be called "secrets" is
 * refused too, which errs on the safe side.
 */
export function reachesSecrets(url: string): boolean {
  return decodedPath(url)
    .split('/')
    .some(segment => segment.toLowerCase() === SECRETS_PLURAL);
}

/**
 * The proxy passes the cluster's answers through unread, so it cannot
 * remove what a Secret holds: it refuses Secrets to everyone, platform
 * admins included, before the request leaves the backend.
 */
export const refuseSecretsThroughProxy: express.RequestHandler = (
  req,
  _res,
  next,
) => {
  if (reachesSecrets(req.originalUrl)) {
    throw new NotAllowedError(
      'The Kubernetes proxy does not serve Secrets; Secret contents stay in the cluster',
    );
  }
  next();
};

/** The Kubernetes plugin's router with the proxy's Secret guard in front. */
export function guardProxy(router: express.Router): express.Router {
  const guarded = Router();
  guarded.use('/proxy', refuseSecretsThroughProxy);
  guarded.use(router);
  return guarded;
}
