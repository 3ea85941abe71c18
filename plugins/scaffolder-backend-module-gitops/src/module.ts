import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { tracingServiceRef } from '@backstage/backend-plugin-api/alpha';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createChangeRequestRecorder,
  gitopsServiceRef,
} from '@internal/plugin-gitops-node';
import { withActionSpan } from './actionSpans';
import { createGitopsRepoFetchAction } from './actions/fetch';
import { GitopsActionOptions } from './actions/options';
import { createGitopsChangePublishAction } from './actions/publish';
import { createGitopsKustomizeSetImageAction } from './actions/setImage';
import { createGitopsManifestsValidateAction } from './actions/validate';

/**
 * The GitOps actions, in the order a golden path uses them; the module
 * registers them, and a check tool may register them without a recorder.
 *
 * @public
 */
export function createGitopsActions(options: GitopsActionOptions) {
  return [
    createGitopsRepoFetchAction(options),
    createGitopsManifestsValidateAction(options),
    createGitopsKustomizeSetImageAction(),
    createGitopsChangePublishAction(options),
  ];
}

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
        tracing: tracingServiceRef,
      },
      async init({ scaffolder, gitops, auth, discovery, tracing }) {
        const options = {
          gitops,
          recorder: createChangeRequestRecorder({ auth, discovery }),
        };
        scaffolder.addActions(
          ...createGitopsActions(options).map(action =>
            withActionSpan(action, tracing),
          ),
        );
      },
    });
  },
});
