import { globMeetsPrefix, matchesGlob } from '../glob';
import {
  BUILT_IN_PLATFORM_NAMESPACES,
  isPlatformNamespace,
  PLATFORM_NAMESPACE_PREFIXES,
} from '../names';
import { isObject } from '../parse';
import { ValidateManifestsOptions } from '../types';
import { ObjectContext, ObjectRule, Report } from './types';

/** Where Applications and ApplicationSets name their destination namespace. */
function destinationNamespaces(
  object: ObjectContext,
): Array<[string, unknown]> {
  const spec = object.object.spec;
  if (object.kind === 'Application') {
    return [['spec.destination.namespace', spec?.destination?.namespace]];
  }
  if (object.kind === 'ApplicationSet') {
    return [
      [
        'spec.template.spec.destination.namespace',
        spec?.template?.spec?.destination?.namespace,
      ],
    ];
  }
  return [];
}

/** Well-known namespaces of the platform-owned prefixes, named in messages. */
const PREFIX_SAMPLES = ['kube-system', 'kube-public', 'openshift-config'];

/**
 * The first platform namespace an AppProject destination glob would allow
 * (Argo CD matches them with `{a,b}` alternatives), if any: a named one,
 * else any namespace of a platform-owned prefix (`kube-*`).
 */
function platformNamespaceAllowedBy(
  glob: string,
  options: ValidateManifestsOptions,
): string | undefined {
  const named = [
    ...BUILT_IN_PLATFORM_NAMESPACES,
    ...PREFIX_SAMPLES,
    options.argocdNamespace,
    ...options.platformNamespaces,
  ];
  const exact = named.find(ns => matchesGlob(glob, ns, { braces: true }));
  if (exact) return exact;
  const prefix = PLATFORM_NAMESPACE_PREFIXES.find(p =>
    globMeetsPrefix(glob, p, { braces: true }),
  );
  return prefix ? `${prefix}*` : undefined;
}

function appProjectDestinations(object: ObjectContext, report: Report) {
  const list = object.object.spec?.destinations;
  for (const destination of Array.isArray(list) ? list : []) {
    const pattern = isObject(destination) ? destination.namespace : undefined;
    // `!ns` denies; only allowing patterns can open a namespace.
    if (typeof pattern !== 'string' || pattern.startsWith('!')) continue;
    const owned = platformNamespaceAllowedBy(pattern, object.options);
    if (owned) {
      report(
        'platform-namespace',
        `spec.destinations namespace "${pattern}" would allow the platform namespace "${owned}"`,
      );
    }
  }
}

/**
 * Argo CD Applications and ApplicationSets do not deploy into the
 * platform's namespaces, and AppProjects do not allow them.
 */
export const argocdDestinationsRule: ObjectRule = (object, report) => {
  if (!object.apiVersion.startsWith('argoproj.io/')) return;
  for (const [field, namespace] of destinationNamespaces(object)) {
    if (
      typeof namespace === 'string' &&
      // A Go template of an ApplicationSet is rendered per application.
      !namespace.includes('{{') &&
      isPlatformNamespace(namespace, object.options)
    ) {
      report(
        'platform-namespace',
        `${field} "${namespace}" belongs to the platform`,
      );
    }
  }
  if (object.kind === 'AppProject') {
    appProjectDestinations(object, report);
  }
};
