import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { argocdPermissions } from '@internal/plugin-argocd-common';
import { AccessResolver } from './access';
import { ArgoCdService } from './ArgoCdService';
import { readArgoCdSettings } from './config';
import { ArgoCdRequestMetrics } from './requestMetrics';
import { createRouter } from './router';

/**
 * Read-only Argo CD API of the portal at `/api/argocd`, behind the
 * `argocd.application.read` permission.
 *
 * @public
 */
export const argocdPlugin = createBackendPlugin({
  pluginId: 'argocd',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        metrics: metricsServiceRef,
      },
      async init(deps) {
        const settings = readArgoCdSettings(deps.config);
        const argocd = ArgoCdService.fromSettings(
          settings,
          deps.logger,
          new ArgoCdRequestMetrics(deps.metrics),
        );
        if (!argocd) {
          deps.logger.info(
            'Argo CD is not configured (argocd.appLocatorMethods); its routes answer 503',
          );
        }
        deps.permissionsRegistry.addPermissions(argocdPermissions);
        deps.httpRouter.use(
          createRouter({
            httpAuth: deps.httpAuth,
            access: new AccessResolver(deps),
            argocd,
          }),
        );
      },
    });
  },
});
