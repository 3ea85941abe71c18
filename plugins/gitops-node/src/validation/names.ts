/** DNS-1123 label: what a namespace (and most names) must be. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: labels joined by dots. */
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Why a value is not a DNS-1123 label (max 63 characters), or undefined
 * when it is one.
 */
export function dnsLabelProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return 'must be a non-empty string';
  }
  if (value.length > 63) {
    return `must be at most 63 characters (has ${value.length})`;
  }
  if (!DNS1123_LABEL.test(value)) {
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
  if (typeof value !== 'string' || value.length === 0) {
    return 'must be a non-empty string';
  }
  if (value.length > 63) {
    return `must be at most 63 characters (has ${value.length})`;
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return 'must consist of lower-case letters, digits, "-" and ".", and start and end with a letter or digit (DNS-1123)';
  }
  return undefined;
}

/** Namespaces that always belong to the platform. */
const BUILT_IN_PLATFORM_NAMESPACES = ['default', 'openshift'];
/** Prefixes of namespaces that always belong to the platform. */
const PLATFORM_NAMESPACE_PREFIXES = ['kube-', 'openshift-'];

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
