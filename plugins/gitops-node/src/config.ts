import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { readAllowedImageRegistries } from './validation/images';

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
  /** Basic-auth credentials of provider `git` (`gitops.auth`). */
  auth?: { username: string; password: string };
  /** Where this backend keeps its mirror of the repository. */
  mirrorDirectory: string;
  /** How long one git command against the remote may take. */
  gitTimeoutMs: number;
  /** Registry prefixes images may come from (`gitops.allowedImageRegistries`). */
  allowedImageRegistries: string[];
}

const PROVIDERS: GitopsProvider[] = ['git', 'github', 'gitlab'];

/** Default commit author when `scaffolder.defaultAuthor` is not set. */
export const DEFAULT_AUTHOR = {
  name: 'Developer Portal',
  email: 'developer-portal@localhost',
};

/** A hanging Git server must not hold a task or a provider run for long. */
const DEFAULT_GIT_TIMEOUT_MS = 60_000;

function readRepoUrl(repoUrl: string): URL {
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
      'gitops.repoUrl must not carry credentials; put them in gitops.auth or the integrations config',
    );
  }
  return url;
}

function readAuth(gitops: Config): GitopsConfig['auth'] {
  const auth = gitops.getOptionalConfig('auth');
  if (!auth) {
    return undefined;
  }
  return {
    username: auth.getString('username'),
    password: auth.getString('password'),
  };
}

/**
 * The default mirror folder: one per repository and backend under the OS
 * temporary folder, which the image and the chart keep writable. The
 * backend's listen address is part of the key because two backends on one
 * machine (replicas, or a test beside `yarn start`) must not fetch into one
 * mirror at once: git's ref locks would fail one of them.
 */
function defaultMirrorDirectory(repoUrl: string, config: Config): string {
  const listen = JSON.stringify(config.getOptional('backend.listen') ?? null);
  const id = crypto
    .createHash('sha256')
    .update(`${repoUrl}\n${listen}`)
    .digest('hex');
  return path.join(os.tmpdir(), 'developer-portal-gitops', id.slice(0, 16));
}

/**
 * Reads the `gitops` block. Returns undefined when `gitops.repoUrl` is not
 * configured (the GitOps features then refuse to run); throws on invalid
 * values.
 *
 * @public
 */
export function readGitopsConfig(config: Config): GitopsConfig | undefined {
  const gitops = config.getOptionalConfig('gitops');
  const repoUrl = gitops?.getOptionalString('repoUrl');
  if (!gitops || !repoUrl) {
    return undefined;
  }
  readRepoUrl(repoUrl);
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
    auth: readAuth(gitops),
    mirrorDirectory:
      gitops.getOptionalString('mirrorDirectory') ??
      defaultMirrorDirectory(repoUrl, config),
    gitTimeoutMs: gitops.has('gitTimeout')
      ? durationToMilliseconds(
          readDurationFromConfig(gitops, { key: 'gitTimeout' }),
        )
      : DEFAULT_GIT_TIMEOUT_MS,
    allowedImageRegistries: readAllowedImageRegistries(config),
  };
}
