import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitopsConfig } from '@internal/plugin-gitops-node';

/**
 * What every gitops action is created with.
 *
 * @public
 */
export interface GitopsActionOptions {
  /** The `gitops` configuration; undefined when it is not configured. */
  gitops: GitopsConfig | undefined;
  /** The `integrations` configuration, where the credentials come from. */
  integrations: ScmIntegrationRegistry;
}

/** The configuration, or an InputError saying it is missing. */
export function requireGitops(options: GitopsActionOptions): GitopsConfig {
  if (!options.gitops) {
    throw new InputError(
      'The GitOps repository is not configured: set gitops.repoUrl in the app config',
    );
  }
  return options.gitops;
}
