import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
} from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import {
  APPLICATION_TEAM_LABEL,
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
} from '@internal/plugin-argocd-common';
import {
  argocdApplicationName,
  GITOPS_FOLDER_ANNOTATION,
  GitopsFolder,
  namespaceOf,
  serviceApplicationSelector,
} from '@internal/plugin-gitops-common';
import { forgeFolderUrl, GitopsConfig } from '@internal/plugin-gitops-node';

/** The one namespace the Kubernetes plugin reads an entity's objects in. */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Set on an entity the provider emits in its last good version because the
 * file at the base commit is not usable; the module's processor turns it
 * into a processing error, so the catalog keeps the entity it last processed
 * and shows why on the entity.
 *
 * @public
 */
export const GITOPS_CATALOG_ERROR_ANNOTATION = 'gitops.portal/catalog-error';

/**
 * The Argo CD application of an entity in one environment.
 *
 * @public
 */
export function argocdAppAnnotation(env: string): string {
  return `gitops.portal/argocd-app.${env}`;
}

/**
 * The namespace of an entity in one environment.
 *
 * @public
 */
export function namespaceAnnotation(env: string): string {
  return `gitops.portal/namespace.${env}`;
}

/**
 * Annotation prefixes only the provider sets, from the file's path: what a
 * file says under them is dropped, so a file cannot point its entity at
 * another team's namespaces, Argo CD applications, locations or TechDocs
 * sources, nor plant the error annotation.
 */
const RESERVED_PREFIXES = [
  'backstage.io/',
  'argocd/',
  'gitops.portal/',
  'kubernetes.io/',
  'portal.platform/',
];

/** The file's own annotations, without the reserved ones. */
export function ownAnnotations(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      ([key]) => !RESERVED_PREFIXES.some(prefix => key.startsWith(prefix)),
    ),
  ) as Record<string, string>;
}

/** What one entity of a folder covers: its environments. */
export interface EntityPlace {
  folder: GitopsFolder;
  /** The catalog-info.yaml the entity comes from. */
  file: string;
  /** Environments the entity runs in, in promotion order. */
  environments: string[];
}

function perEnvironment(place: EntityPlace): Record<string, string> {
  const { folder, environments } = place;
  return Object.fromEntries(
    environments.flatMap(env => [
      [argocdAppAnnotation(env), argocdApplicationName(folder, env)],
      [namespaceAnnotation(env), namespaceOf(folder.team, env)],
    ]),
  );
}

/** Argo CD and Kubernetes annotations, by folder kind. */
function platformAnnotations(place: EntityPlace): Record<string, string> {
  const { folder, environments } = place;
  const last = environments[environments.length - 1];
  const namespace: Record<string, string> = last
    ? { [KUBERNETES_NAMESPACE_ANNOTATION]: namespaceOf(folder.team, last) }
    : {};
  switch (folder.kind) {
    case 'service':
      return {
        [ARGOCD_APP_SELECTOR_ANNOTATION]: serviceApplicationSelector(
          folder.team,
          folder.service,
        ),
        [KUBERNETES_ANNOTATION]: folder.service,
        ...namespace,
      };
    case 'database':
      return {
        [ARGOCD_APP_NAME_ANNOTATION]: argocdApplicationName(folder, folder.env),
        [KUBERNETES_ANNOTATION]: folder.database,
        ...namespace,
      };
    default:
      return {
        [ARGOCD_APP_NAME_ANNOTATION]: argocdApplicationName(folder, last),
        [KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION]: `${APPLICATION_TEAM_LABEL}=${folder.team}`,
        ...namespace,
      };
  }
}

/**
 * Every annotation the provider derives from an entity's place: its folder,
 * where it is read at the Git forge, its Argo CD applications and Kubernetes
 * objects, overall and per environment.
 */
export function derivedAnnotations(
  place: EntityPlace,
  gitops: GitopsConfig,
): Record<string, string> {
  const fileUrl = `url:${forgeFolderUrl(gitops, place.file)}`;
  return {
    [GITOPS_FOLDER_ANNOTATION]: place.folder.folder,
    [ANNOTATION_LOCATION]: fileUrl,
    [ANNOTATION_ORIGIN_LOCATION]: fileUrl,
    [ANNOTATION_SOURCE_LOCATION]: `url:${forgeFolderUrl(
      gitops,
      place.folder.folder,
    )}/`,
    ...platformAnnotations(place),
    ...perEnvironment(place),
  };
}
