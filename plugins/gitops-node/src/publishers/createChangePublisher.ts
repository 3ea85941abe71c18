import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitopsConfig } from '../config';
import { GitOpsRepository } from '../repository/GitOpsRepository';
import { GitChangePublisher } from './gitPublisher';
import { GithubChangePublisher } from './githubPublisher';
import { GitlabChangePublisher } from './gitlabPublisher';
import { ChangePublisher } from './types';

/**
 * The change publisher of `gitops.provider`.
 *
 * @public
 */
export function createChangePublisher(
  gitops: GitopsConfig,
  repository: GitOpsRepository,
  integrations: ScmIntegrationRegistry,
): ChangePublisher {
  switch (gitops.provider) {
    case 'github':
      return new GithubChangePublisher(gitops, integrations);
    case 'gitlab':
      return new GitlabChangePublisher(gitops, integrations);
    default:
      return new GitChangePublisher(gitops, repository);
  }
}
