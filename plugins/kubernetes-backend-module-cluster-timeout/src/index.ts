/**
 * Bounds every read of the Kubernetes plugin from a cluster by
 * `kubernetes.requestTimeout`.
 *
 * @packageDocumentation
 */
export { kubernetesModuleClusterTimeout as default } from './module';
