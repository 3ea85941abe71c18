import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityStatusResponse } from '@internal/plugin-argocd-common';
import { GITOPS_FOLDER_ANNOTATION } from '@internal/plugin-gitops-common';
import { DeployStatus, StoredChangeRequest } from '../store/ChangeRequestStore';
import { DeploymentStatusReader } from './ChangeRequestPoller';

/** Folds the applications' sync and health into what the requester hears. */
export function deployStatusOf(
  statuses: EntityStatusResponse[],
): DeployStatus | undefined {
  const apps = statuses.flatMap(s => s.applications);
  if (apps.some(app => app.healthStatus === 'Degraded')) return 'degraded';
  if (
    apps.length > 0 &&
    apps.every(
      app => app.syncStatus === 'Synced' && app.healthStatus === 'Healthy',
    )
  ) {
    return 'healthy';
  }
  return undefined;
}

/**
 * Argo CD's view of a change request: the catalog entities of its folders
 * (emitted by the GitOps catalog provider), and the argocd plugin's status
 * of each, asked with this plugin's own credentials.
 */
export class ArgoCdDeployments implements DeploymentStatusReader {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
    },
  ) {}

  async statusOf(
    request: StoredChangeRequest,
  ): Promise<DeployStatus | undefined> {
    const { catalog, auth, discovery } = this.options;
    if (request.folders.length === 0) return undefined;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: request.folders.map(folder => ({
          [`metadata.annotations.${GITOPS_FOLDER_ANNOTATION}`]: folder,
        })),
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    if (items.length === 0) return undefined;
    const baseUrl = await discovery.getBaseUrl('argocd');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'argocd',
    });
    const statuses = await Promise.all(
      items.map(async entity => {
        const url = `${baseUrl}/entity-status?entityRef=${encodeURIComponent(
          stringifyEntityRef(entity),
        )}`;
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${token}` },
        });
        // Argo CD not configured, or down right now: nothing to tell yet.
        if (response.status === 503) return undefined;
        if (!response.ok) throw await ResponseError.fromResponse(response);
        return (await response.json()) as EntityStatusResponse;
      }),
    );
    if (statuses.some(status => status === undefined)) return undefined;
    return deployStatusOf(statuses as EntityStatusResponse[]);
  }
}
