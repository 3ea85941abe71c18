import { dnsLabelProblem, isPlatformNamespace } from '../names';
import { ObjectRule } from './types';

/** Argo CD's kinds, which live in the Argo CD namespace by design. */
const ARGOCD_KINDS = ['Application', 'ApplicationSet', 'AppProject'];

/**
 * Objects stay out of the platform's namespaces (Argo CD's own kinds may
 * live in the Argo CD namespace), and no Namespace is a platform one.
 */
export const namespacesRule: ObjectRule = (object, report) => {
  const { apiVersion, kind, name, metadata, options } = object;
  const namespace = metadata.namespace;
  // A namespace that is not a DNS-1123 label is the names rule's.
  if (namespace !== undefined && !dnsLabelProblem(namespace)) {
    const argocdOwn =
      ARGOCD_KINDS.includes(kind) &&
      apiVersion.startsWith('argoproj.io/') &&
      namespace === options.argocdNamespace;
    if (isPlatformNamespace(namespace, options) && !argocdOwn) {
      report(
        'platform-namespace',
        `metadata.namespace "${namespace}" belongs to the platform`,
      );
    }
  }
  if (kind === 'Namespace' && name && isPlatformNamespace(name, options)) {
    report('platform-namespace', `namespace "${name}" belongs to the platform`);
  }
};
