import {
  ManifestProblem,
  validateManifests,
} from '@internal/plugin-scaffolder-backend-module-gitops';
import { directoriesOf } from './discovery';
import { checkLayout, LayoutProblem } from './layout';

/** Platform settings the manifest rules depend on. */
export interface PlatformOptions {
  argocdNamespace: string;
  platformNamespaces: string[];
}

export const DEFAULT_PLATFORM_OPTIONS: PlatformOptions = {
  argocdNamespace: 'openshift-gitops',
  platformNamespaces: [],
};

/** A problem of a tree, from the manifest rules or the layout contract. */
export interface TreeProblem {
  path: string;
  message: string;
}

function isManifestFile(file: string) {
  return (
    /\.ya?ml$/.test(file) &&
    // Bootstrap-only data a person applies by hand is still a manifest;
    // only files that are plainly not cluster objects are skipped.
    !file.startsWith('.github/') &&
    !file.startsWith('.gitlab')
  );
}

function describeManifestProblem(problem: ManifestProblem): TreeProblem {
  const what = [problem.kind, problem.name].filter(Boolean).join(' ');
  return {
    path: problem.path,
    message: `${what ? `${what}: ` : ''}${problem.message} [${problem.rule}]${
      problem.documentIndex > 0
        ? ` (document ${problem.documentIndex + 1})`
        : ''
    }`,
  };
}

/**
 * Validates `files` (a subset of `tree`, or all of it) with the platform's
 * manifest rules, and the whole `tree` with the layout contract.
 */
export function validateTree(
  tree: Map<string, string>,
  options: PlatformOptions & {
    /** Only these files get the manifest rules; default: every file. */
    files?: string[];
    allowClusterScoped?: (file: string) => boolean;
    /**
     * Files of the platform team itself (bootstrap, the portal's own
     * Application): they may target the platform's namespaces.
     */
    platformOwned?: (file: string) => boolean;
  },
): TreeProblem[] {
  const selected = (options.files ?? [...tree.keys()]).filter(isManifestFile);
  const problems: TreeProblem[] = [];
  // Kustomizations refer to folders (../../base) as well as files.
  const dirs = directoriesOf(tree.keys());
  // Cluster-scoped objects are allowed per file, so the call is split in
  // two groups rather than made once per file.
  const groups = new Map<boolean, string[]>();
  for (const file of selected) {
    const allowed = options.allowClusterScoped?.(file) ?? false;
    groups.set(allowed, [...(groups.get(allowed) ?? []), file]);
  }
  for (const [allowClusterScoped, files] of groups) {
    problems.push(
      ...validateManifests(
        files.map(path => ({ path, content: tree.get(path)! })),
        {
          allowClusterScoped,
          argocdNamespace: options.argocdNamespace,
          platformNamespaces: options.platformNamespaces,
          fileExists: path => tree.has(path) || dirs.has(path),
        },
      )
        .filter(
          p =>
            !(
              p.rule === 'platform-namespace' && options.platformOwned?.(p.path)
            ),
        )
        .map(describeManifestProblem),
    );
  }
  problems.push(
    ...checkLayout(tree).map((p: LayoutProblem) => ({
      path: p.path,
      message: p.message,
    })),
  );
  return problems.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The platform team's own folders: the Argo CD bootstrap and the
 * Applications of platform components such as the portal. Only they may
 * target the platform's namespaces (the repository's CODEOWNERS keep them
 * to the platform team).
 */
export function isPlatformOwned(file: string): boolean {
  return file.startsWith('bootstrap/') || file.startsWith('apps/');
}

/**
 * Where the platform allows cluster-scoped objects in a whole tree: team
 * onboarding (teams/) and the platform's own folders.
 */
export function clusterScopedAllowedInTree(file: string): boolean {
  return file.startsWith('teams/') || isPlatformOwned(file);
}
