import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ChangeRequestRecord,
  ChangeRequestRecorded,
} from '@internal/plugin-gitops-common';

/**
 * Records a published change request with the portal's GitOps backend,
 * which then follows it.
 *
 * @public
 */
export interface ChangeRequestRecorder {
  record(record: ChangeRequestRecord): Promise<ChangeRequestRecorded>;
}

/**
 * The recorder of a backend plugin: `POST /api/gitops/change-requests`
 * with the plugin's own service credentials.
 *
 * @public
 */
export function createChangeRequestRecorder(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}): ChangeRequestRecorder {
  return {
    async record(record) {
      const { auth, discovery } = options;
      const baseUrl = await discovery.getBaseUrl('gitops');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'gitops',
      });
      const response = await fetch(`${baseUrl}/change-requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(record),
      });
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      return (await response.json()) as ChangeRequestRecorded;
    },
  };
}
