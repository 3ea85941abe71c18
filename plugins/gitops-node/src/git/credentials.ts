import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitAuth } from './git';

/**
 * The basic-auth credentials for a Git URL from the `integrations` config,
 * by the host of the URL:
 *
 * - `gitea` (the integration type that carries just a host, a username and
 *   a password, so it fits any plain Git server over HTTPS),
 *   `gerrit` and `bitbucketServer`: their `username` and `password`;
 * - `github`: its `token` as the password of `x-access-token`;
 * - `gitlab`: its `token` as the password of `oauth2`.
 *
 * Undefined means anonymous access, for development only.
 */
export function gitAuthFor(
  integrations: ScmIntegrationRegistry,
  url: string,
): GitAuth | undefined {
  const basic = [
    integrations.gitea.byUrl(url)?.config,
    integrations.gerrit.byUrl(url)?.config,
    integrations.bitbucketServer.byUrl(url)?.config,
  ].find(c => c?.username && c?.password);
  if (basic) {
    return { username: basic.username!, password: basic.password! };
  }
  const github = integrations.github.byUrl(url)?.config.token;
  if (github) {
    return { username: 'x-access-token', password: github };
  }
  const gitlab = integrations.gitlab.byUrl(url)?.config.token;
  if (gitlab) {
    return { username: 'oauth2', password: gitlab };
  }
  return undefined;
}
