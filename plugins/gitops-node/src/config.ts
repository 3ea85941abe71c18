import { Config } from '@backstage/config';

/**
 * How a change reaches the GitOps repository.
 *
 * @public
 */
export type GitopsProvider = 'git' | 'github' | 'gitlab';

/**
 * The `gitops` configuration, with its defaults applied.
 *
 * @public
 */
export interface GitopsConfig {
  repoUrl: string;
  provider: GitopsProvider;
  baseBranch: string;
  commitToBaseBranch: boolean;
  changeUrlTemplate?: string;
  argocdNamespace: string;
  platformNamespaces: string[];
  author: { name: string; email: string };
}

const PROVIDERS: GitopsProvider[] = ['git', 'github', 'gitlab'];

/** Default commit author when `scaffolder.defaultAuthor` is not set. */
export const DEFAULT_AUTHOR = {
  name: 'Developer Portal',
  email: 'developer-portal@localhost',
};

/**
 * Reads the `gitops` block. Returns undefined when `gitops.repoUrl` is not
 * configured (the actions then refuse to run); throws on invalid values.
 *
 * @public
 */
export function readGitopsConfig(config: Config): GitopsConfig | undefined {
  const gitops = config.getOptionalConfig('gitops');
  const repoUrl = gitops?.getOptionalString('repoUrl');
  if (!gitops || !repoUrl) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    throw new Error(`gitops.repoUrl must be an HTTP(S) URL, got "${repoUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `gitops.repoUrl must be an HTTP(S) URL, got "${url.protocol}"`,
    );
  }
  if (url.username || url.password) {
    throw new Error(
      'gitops.repoUrl must not carry credentials; put them in the integrations config',
    );
  }
  const provider = (gitops.getOptionalString('provider') ??
    'git') as GitopsProvider;
  if (!PROVIDERS.includes(provider)) {
    throw new Error(
      `gitops.provider must be one of ${PROVIDERS.join(
        ', ',
      )}, got "${provider}"`,
    );
  }
  return {
    repoUrl,
    provider,
    baseBranch: gitops.getOptionalString('baseBranch') ?? 'main',
    commitToBaseBranch:
      gitops.getOptionalBoolean('commitToBaseBranch') ?? false,
    changeUrlTemplate: gitops.getOptionalString('changeUrlTemplate'),
    argocdNamespace:
      gitops.getOptionalString('argocdNamespace') ?? 'openshift-gitops',
    platformNamespaces:
      gitops.getOptionalStringArray('platformNamespaces') ?? [],
    author: {
      name:
        config.getOptionalString('scaffolder.defaultAuthor.name') ??
        DEFAULT_AUTHOR.name,
      email:
        config.getOptionalString('scaffolder.defaultAuthor.email') ??
        DEFAULT_AUTHOR.email,
    },
  };
}
