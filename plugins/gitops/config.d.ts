export interface Config {
  gitops?: {
    /**
     * Whether the Git forge of the GitOps repository has web pages that the
     * portal's GitOps pages may link to: change requests (pull or merge
     * requests, compare pages) and folders. Default: true (the loopback Git
     * server of ./scripts/start serves Gitea-style folder and compare pages
     * too). Set it to false for a bare Git server without a web UI, so no
     * page offers a link that leads nowhere; the portal's own change view
     * shows the diff either way.
     * @visibility frontend
     */
    forgeWebPages?: boolean;
  };
}
