/**
 * One problem found in a manifest file.
 *
 * @public
 */
export interface ManifestProblem {
  /** Path of the file, as given to {@link validateManifests}. */
  path: string;
  /** Index of the YAML document in the file, from 0. */
  documentIndex: number;
  /** `kind` of the object, when it has one. */
  kind?: string;
  /** `metadata.name` of the object, when it has one. */
  name?: string;
  /**
   * The rule that failed: `yaml`, `object`, `unknown-kind`, `schema`,
   * `dns-name`, `required-label`, `resources`, `platform-namespace`,
   * `cluster-scoped` or `kustomization`.
   */
  rule: ManifestRule;
  /** What is wrong, for a person. */
  message: string;
}

/**
 * The rules of {@link validateManifests}.
 *
 * @public
 */
export type ManifestRule =
  | 'yaml'
  | 'object'
  | 'unknown-kind'
  | 'schema'
  | 'dns-name'
  | 'required-label'
  | 'resources'
  | 'platform-namespace'
  | 'cluster-scoped'
  | 'kustomization';

/**
 * A manifest file to validate: its path relative to the root of the tree
 * (the GitOps repository) and its text.
 *
 * @public
 */
export interface ManifestFile {
  path: string;
  content: string;
}

/**
 * Options of {@link validateManifests}.
 *
 * @public
 */
export interface ValidateManifestsOptions {
  /** Allow cluster-scoped kinds (Namespace, ClusterRole, ...): team onboarding only. */
  allowClusterScoped: boolean;
  /** Namespaces the platform owns beyond the built-in ones. */
  platformNamespaces: string[];
  /** The Argo CD namespace; owned by the platform. */
  argocdNamespace: string;
  /**
   * Tells whether a path relative to the root of the tree exists; when
   * given, the local resources of kustomization files must exist.
   */
  fileExists?: (path: string) => boolean;
}
