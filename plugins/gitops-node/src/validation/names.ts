import {
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  DNS_LABEL_MAX_LENGTH,
} from '@internal/plugin-gitops-common';

/** Why a value is not a string of at most 63 characters, if it is not. */
function lengthProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return 'must be a non-empty string';
  }
  if (value.length > DNS_LABEL_MAX_LENGTH) {
    return `must be at most ${DNS_LABEL_MAX_LENGTH} characters (has ${value.length})`;
  }
  return undefined;
}

/**
 * Why a value is not a DNS-1123 label (max 63 characters), or undefined
 * when it is one.
 */
export function dnsLabelProblem(value: unknown): string | undefined {
  const problem = lengthProblem(value);
  if (problem) return problem;
  if (!DNS1123_LABEL.test(value as string)) {
    return 'must consist of lower-case letters, digits and "-", and start and end with a letter or digit (DNS-1123 label)';
  }
  return undefined;
}

/**
 * Why a value is not a platform object name, or undefined when it is one:
 * a DNS-1123 subdomain of at most 63 characters (the platform keeps every
 * name usable as a label value and a Service name).
 */
export function dnsNameProblem(value: unknown): string | undefined {
  const problem = lengthProblem(value);
  if (problem) return problem;
  if (!DNS1123_SUBDOMAIN.test(value as string)) {
    return 'must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit (DNS-1123)';
  }
  return undefined;
}

/** Namespaces that always belong to the platform. */
export const BUILT_IN_PLATFORM_NAMESPACES = ['default', 'openshift'];
/** Prefixes of namespaces that always belong to the platform. */
export const PLATFORM_NAMESPACE_PREFIXES = ['kube-', 'openshift-'];

/**
 * Whether a namespace belongs to the platform: `default`, `openshift`,
 * `kube-*`, `openshift-*`, the Argo CD namespace and the configured extras.
 */
export function isPlatformNamespace(
  namespace: string,
  options: { argocdNamespace: string; platformNamespaces: string[] },
): boolean {
  return (
    BUILT_IN_PLATFORM_NAMESPACES.includes(namespace) ||
    PLATFORM_NAMESPACE_PREFIXES.some(prefix => namespace.startsWith(prefix)) ||
    namespace === options.argocdNamespace ||
    options.platformNamespaces.includes(namespace)
  );
}
