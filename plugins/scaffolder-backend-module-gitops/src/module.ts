import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGitopsRepoFetchAction } from './actions/fetch';
import { createGitopsChangePublishAction } from './actions/publish';
import { createGitopsKustomizeSetImageAction } from './actions/setImage';
import { createGitopsManifestsValidateAction } from './actions/validate';
import { readGitopsConfig } from '@internal/plugin-gitops-node';

/**
 * Adds the GitOps actions to the scaffolder: `gitops:repo:fetch`,
 * `gitops:manifests:validate`, `gitops:kustomize:set-image` and
 * `gitops:change:publish`.
 *
 * @public
 */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, logger }) {
        const gitops = readGitopsConfig(config);
        const integrations = ScmIntegrations.fromConfig(config);
        if (gitops) {
          logger.info(
            `GitOps repository ${gitops.repoUrl} (provider ${gitops.provider}, base branch ${gitops.baseBranch})`,
          );
        } else {
          logger.warn(
            'gitops.repoUrl is not configured: the gitops:* actions that read or write the GitOps repository will refuse to run',
          );
        }
        const options = { gitops, integrations };
        scaffolder.addActions(
          createGitopsRepoFetchAction(options),
          createGitopsManifestsValidateAction(options),
          createGitopsKustomizeSetImageAction(),
          createGitopsChangePublishAction(options),
        );
      },
    });
  },
});
