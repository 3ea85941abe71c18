/**
 * Catalog entity provider that follows the base branch of the GitOps
 * repository and emits the teams' namespaces, services and databases the
 * golden paths write there, with the push webhook of a plain-Git
 * repository.
 *
 * @packageDocumentation
 */
import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { catalogModuleGitops } from './module';
import { eventsModuleGitopsWebhook } from './webhookModule';

/**
 * Both modules: the catalog provider and the plain-Git webhook of the
 * events backend.
 *
 * @public
 */
export default createBackendFeatureLoader({
  loader() {
    return [catalogModuleGitops, eventsModuleGitopsWebhook];
  },
});

export { catalogModuleGitops, eventsModuleGitopsWebhook };
export { GitopsEntityProvider } from './provider/GitopsEntityProvider';
export { GitopsProviderTelemetry } from './provider/providerTelemetry';
export { GitopsProviderStore } from './state/GitopsProviderStore';
export type { AppliedState } from './state/GitopsProviderStore';
export type { GitopsEntityProviderOptions } from './provider/GitopsEntityProvider';
export type { GitopsProviderRun } from './provider/run';
export { GitopsCatalogErrorProcessor } from './processor/GitopsCatalogErrorProcessor';
export {
  argocdAppAnnotation,
  GITOPS_CATALOG_ERROR_ANNOTATION,
  namespaceAnnotation,
} from './mapping/annotations';
export {
  DATABASE_RESOURCE_TYPE,
  NAMESPACE_RESOURCE_TYPE,
} from './mapping/folderRules';
