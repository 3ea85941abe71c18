/**
 * Keeps Secret contents out of the Kubernetes plugin's answers: strips data
 * and data-carrying annotations, and refuses Secret queries the policy does
 * not grant.
 *
 * @packageDocumentation
 */
export { kubernetesModuleSecretGuard as default } from './module';
export { kubernetesSecretsReadPermission } from './permissions';
