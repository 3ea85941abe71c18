import { InputError } from '@backstage/errors';
import { reachesSecrets } from './proxyGuard';

const PROXY = '/api/kubernetes/proxy';

describe('reachesSecrets', () => {
  it.each([
    '/api/v1/secrets',
    '/api/v1/namespaces/payments/secrets',
    '/api/v1/namespaces/payments/secrets/db',
    '/api/v1/namespaces/payments/secrets?watch=true',
    '/api/v1/watch/namespaces/payments/secrets',
    '/apis/example.com/v1/namespaces/payments/secrets',
    '/api/v1/namespaces/payments/%73ecrets',
    '/api/v1/namespaces/payments%2Fsecrets',
    '/api/v1/namespaces/payments/%2573ecrets',
    '/api/v1/namespaces/payments/pods/../secrets',
    '/api/v1/namespaces/payments/SECRETS',
  ])('sees Secrets in %s', path => {
    expect(reachesSecrets(`${PROXY}${path}`)).toBe(true);
  });

  it.each([
    '/api/v1/namespaces/payments/pods',
    '/api/v1/namespaces/payments/configmaps?labelSelector=secrets%3Dno',
    '/apis/external-secrets.io/v1/namespaces/payments/externalsecrets',
  ])('lets %s through', path => {
    expect(reachesSecrets(`${PROXY}${path}`)).toBe(false);
  });

  it('refuses a path it cannot decode', () => {
    expect(() => reachesSecrets(`${PROXY}/api/v1/%E0%A4%A`)).toThrow(
      InputError,
    );
  });
});
