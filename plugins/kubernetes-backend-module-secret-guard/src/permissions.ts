import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Lets the holder see Secret objects in the Kubernetes plugin's answers:
 * query `secrets` through the custom resource route, and get the Secrets
 * that the workloads routes find. Even then only their metadata: contents
 * (`data`, `stringData`, data-carrying annotations) never leave the backend.
 *
 * @public
 */
export const kubernetesSecretsReadPermission = createPermission({
  name: 'kubernetes.secrets.read',
  attributes: { action: 'read' },
});
