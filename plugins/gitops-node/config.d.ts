import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * The GitOps repository that the portal's golden-path templates write to
   * (plugins/scaffolder-backend-module-gitops). The portal never calls a
   * platform API: templates write manifests into this repository as a
   * change request, and Argo CD reconciles them after the merge.
   *
   * Credentials: for `provider: git`, `gitops.auth` (basic auth over
   * HTTPS; works with any Git server, a token as the password); for
   * `github` and `gitlab`, the `integrations.github` / `integrations.gitlab`
   * entry of the host of `repoUrl`, with its `token` (git pushes with it,
   * and the pull or merge request is opened through the forge's API).
   * Without credentials the repository is used anonymously (development
   * only).
   */
  gitops?: {
    /**
     * HTTP(S) clone URL of the GitOps repository, without credentials,
     * e.g. `https://git.example.com/platform/gitops.git`.
     */
    repoUrl: string;
    /**
     * How a change reaches the repository, chosen here and never in
     * templates. `git` (default): any Git remote over HTTP(S); the change
     * is pushed as a branch named after the request (or committed to the
     * base branch, see `commitToBaseBranch`). `github`: a pull request,
     * through the GitHub REST API. `gitlab`:
     * a merge request, through the GitLab REST API.
     */
    provider?: 'git' | 'github' | 'gitlab';
    /**
     * Provider `git` only: basic-auth credentials of the Git server.
     */
    auth?: {
      /** The user name, e.g. the portal's bot account. */
      username: string;
      /**
       * The password or access token.
       * @visibility secret
       */
      password: string;
    };
    /**
     * Where this backend keeps its mirror of the repository (a bare
     * repository, fetched incrementally; tasks get worktrees of it). It
     * should survive restarts of the process but need not be shared between
     * replicas. Default: a folder per repository and backend listen
     * address under the OS temporary folder.
     */
    mirrorDirectory?: string;
    /**
     * How long one git command against the remote (fetch, push, ls-remote)
     * may take before it is stopped and the step or run fails, e.g.
     * `{ seconds: 60 }`. Default: 60 seconds.
     */
    gitTimeout?: HumanDuration | string;
    /**
     * Branch that is fetched and that changes are requested against.
     * Default: `main`.
     */
    baseBranch?: string;
    /**
     * Provider `git` only: commit straight to the base branch instead of
     * pushing a branch per request (for a repository without review).
     * Default: false.
     */
    commitToBaseBranch?: boolean;
    /**
     * Address shown as the change request of provider `git`, with the
     * placeholders `{branch}`, `{baseBranch}` and `{commit}`, e.g.
     * `https://git.example.com/platform/gitops/compare/main...{branch}`.
     * Default: `<repoUrl without .git>/compare/<baseBranch>...<branch>`
     * (Gitea, Forgejo and GitHub style), or the commit page when committing
     * to the base branch.
     */
    changeUrlTemplate?: string;
    /**
     * Namespace of Argo CD, which belongs to the platform: manifests may not
     * use it, except Argo CD's own kinds (Application, ApplicationSet,
     * AppProject). Default: `openshift-gitops`.
     */
    argocdNamespace?: string;
    /**
     * More namespaces the platform owns, besides `default`, `openshift`,
     * `kube-*`, `openshift-*` and the Argo CD namespace; manifests may not
     * place objects in them or point Argo CD applications at them.
     */
    platformNamespaces?: string[];
    /**
     * Registry prefixes that manifests may run images from, e.g.
     * `quay.io/acme` or `image-registry.openshift-image-registry.svc:5000`
     * (OpenShift's internal registry). A prefix matches on a `/` boundary
     * (`quay.io/acme` allows `quay.io/acme/api`, not `quay.io/acme-evil/x`),
     * against the name a node pulls: short Docker Hub names are expanded
     * (`alpine` is `docker.io/library/alpine`), so Docker Hub prefixes are
     * written in full (`docker.io/library/alpine`, `docker.io/acme`). The
     * image rule checks containers, CloudNativePG images and kustomize
     * `images[].newName`; an image without a registry in a service's base
     * must be mapped to an allowed image by every overlay. When the key is
     * missing, no image is allowed. The embedded app-config.yaml allows
     * `quay.io/acme` and OpenShift's internal registry; a list in a later
     * config file replaces it.
     */
    allowedImageRegistries?: string[];
  };
}
