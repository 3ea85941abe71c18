import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitopsConfig } from '../config';
import { GitAuth } from './git';

/**
 * The basic-auth credentials git uses for the GitOps repository:
 *
 * - provider `git`: `gitops.auth` (any Git server over HTTP(S); an access
 *   token as the password);
 * - provider `github`: the token of the `integrations.github` entry for the
 *   host, as the password of `x-access-token`;
 * - provider `gitlab`: the token of the `integrations.gitlab` entry for the
 *   host, as the password of `oauth2`.
 *
 * Undefined means anonymous access, for development only.
 */
export function gitAuthFor(
  gitops: GitopsConfig,
  integrations: ScmIntegrationRegistry,
): GitAuth | undefined {
  if (gitops.provider === 'github') {
    const token = integrations.github.byUrl(gitops.repoUrl)?.config.token;
    return token ? { username: 'x-access-token', password: token } : undefined;
  }
  if (gitops.provider === 'gitlab') {
    const token = integrations.gitlab.byUrl(gitops.repoUrl)?.config.token;
    return token ? { username: 'oauth2', password: token } : undefined;
  }
  return gitops.auth;
}
