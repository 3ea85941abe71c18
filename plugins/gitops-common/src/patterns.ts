/**
 * The naming patterns of the GitOps golden paths, in one place: the manifest
 * validation, `gitops-check` and the scaffolder actions use these, and the
 * parameter schemas of templates/shared/parameters/ must spell the same
 * expressions (a test of `gitops-check` compares them).
 */

/** A DNS-1123 label without anchors, to build the patterns below. */
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

/** The longest DNS-1123 label (and the longest name the platform writes). */
export const DNS_LABEL_MAX_LENGTH = 63;

/** DNS-1123 label: a namespace, a team, most object names. */
export const DNS1123_LABEL = new RegExp(`^${LABEL}$`);

/** DNS-1123 subdomain: labels joined by dots (object names). */
export const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/**
 * DNS-1035 label: a Kubernetes Service name, which may not start with a
 * digit; services and databases are named with it.
 */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The team picker's value: a Group of the default namespace. */
export const TEAM_GROUP_REF = new RegExp(`^group:default/${LABEL}$`);

/** Free text that must stay on one line (descriptions, reasons). */
export const ONE_LINE = /^[^\r\n]*$/;

/** A Docker tag, as kustomize's `images[].newTag` must be. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * An image repository with its registry and without a tag, as a developer
 * enters it (`quay.io/acme/payments-api`,
 * `image-registry.openshift-image-registry.svc:5000/team/app`).
 */
export const IMAGE_REPOSITORY =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;

/**
 * An image name as kustomize matches it, without tag or digest:
 * `[registry[:port]/]path`, where the registry part is optional (a
 * Docker Hub name or a kustomize placeholder such as `payments-api`).
 */
export const IMAGE_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** The longest image name a registry accepts. */
export const IMAGE_NAME_MAX_LENGTH = 255;

/** An image digest (`sha256:<hex>`). */
export const IMAGE_DIGEST = /^[a-z0-9]+([+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/** File names kustomize reads as a kustomization, in its order of search. */
export const KUSTOMIZATION_FILES: readonly string[] = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];
