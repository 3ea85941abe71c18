import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import {
  CustomResourcesByEntity,
  KubernetesObjectsByEntity,
  KubernetesObjectsProvider,
} from '@backstage/plugin-kubernetes-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { asksForSecrets, checkCustomResources } from './customResources';
import { kubernetesSecretsReadPermission } from './permissions';
import { KubernetesRequestMetrics } from './requestMetrics';
import { containsSecretLike, redactObjectsResponse } from './secretObjects';

/**
 * Stands between the Kubernetes plugin's routes (and its actions) and the
 * provider that fetches objects from the clusters, so every answer passes
 * through here: custom queries for Secrets need `kubernetes.secrets.read`,
 * and nothing a Secret holds is returned to anyone.
 */
export class SecretGuardObjectsProvider implements KubernetesObjectsProvider {
  constructor(
    private readonly provider: KubernetesObjectsProvider,
    private readonly permissions: PermissionsService,
    private readonly metrics?: KubernetesRequestMetrics,
  ) {}

  async getKubernetesObjectsByEntity(
    request: KubernetesObjectsByEntity,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const response = await this.read(() =>
      this.provider.getKubernetesObjectsByEntity(request, options),
    );
    return this.redact(response, options.credentials);
  }

  async getCustomResourcesByEntity(
    request: CustomResourcesByEntity,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const customResources = checkCustomResources(request.customResources);
    if (
      asksForSecrets(customResources) &&
      !(await this.maySeeSecrets(options.credentials))
    ) {
      throw new NotAllowedError(
        `Querying Kubernetes Secrets requires the ${kubernetesSecretsReadPermission.name} permission`,
      );
    }
    const response = await this.read(() =>
      this.provider.getCustomResourcesByEntity(
        { ...request, customResources },
        options,
      ),
    );
    return this.redact(response, options.credentials);
  }

  /** A read from the clusters, timed when there are metrics. */
  private read(
    fetch: () => Promise<ObjectsByEntityResponse>,
  ): Promise<ObjectsByEntityResponse> {
    return this.metrics ? this.metrics.observe(fetch) : fetch();
  }

  private async redact(
    response: ObjectsByEntityResponse,
    credentials: BackstageCredentials,
  ): Promise<ObjectsByEntityResponse> {
    // Asked only when there is a Secret to keep or drop, so ordinary
    // answers cost no extra policy decision.
    const keepSecrets =
      containsSecretLike(response) && (await this.maySeeSecrets(credentials));
    return redactObjectsResponse(response, keepSecrets);
  }

  private async maySeeSecrets(
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize(
      [{ permission: kubernetesSecretsReadPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }
}
