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
   * `cluster-scoped`, `kustomization` or `image-registry`.
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
  | 'kustomization'
  | 'image-registry';

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
 * Options of {@link validateManifests}. Paths given to the callbacks are
 * relative to the root of the repository, like {@link ManifestFile.path}.
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
   * Registry prefixes images may come from (`gitops.allowedImageRegistries`,
   * read with `readAllowedImageRegistries`). An empty list allows no image.
   */
  allowedImageRegistries: string[];
  /**
   * Tells whether a path relative to the root of the tree exists; when
   * given, the local resources of kustomization files must exist.
   */
  fileExists?: (path: string) => boolean;
  /**
   * The text of a file of the repository that is not among the files
   * validated, or undefined when there is none. With
   * {@link ValidateManifestsOptions.listDirectory}, it lets the image rule
   * follow kustomize from what changed to the overlays that build it and
   * the bases they include.
   */
  readFile?: (path: string) => string | undefined;
  /** The names in a folder of the repository, or undefined when there is none. */
  listDirectory?: (path: string) => string[] | undefined;
}
