import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createChangeRequestRecorder,
  gitopsServiceRef,
} from '@internal/plugin-gitops-node';
import { createGitopsRepoFetchAction } from './actions/fetch';
import { createGitopsChangePublishAction } from './actions/publish';
import { createGitopsKustomizeSetImageAction } from './actions/setImage';
import { createGitopsManifestsValidateAction } from './actions/validate';

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
        gitops: gitopsServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, gitops, auth, discovery }) {
        const options = {
          gitops,
          recorder: createChangeRequestRecorder({ auth, discovery }),
        };
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
