import fs from 'node:fs';
import { ConfigReader } from '@backstage/config';
import {
  ManifestProblem,
  readAllowedImageRegistries,
  validateManifests,
} from '@internal/plugin-gitops-node';
import { parse } from 'yaml';
import { directoriesOf, directoryListing } from './discovery';
import { checkLayout, LayoutProblem } from './layout';
import { appConfigFile } from './paths';

/** Platform settings the manifest rules depend on. */
export interface PlatformOptions {
  argocdNamespace: string;
  platformNamespaces: string[];
  /**
   * Registry prefixes images may come from; default: those of the
   * portal's embedded app-config.yaml.
   */
  allowedImageRegistries?: string[];
}

export const DEFAULT_PLATFORM_OPTIONS: Required<PlatformOptions> = {
  argocdNamespace: 'openshift-gitops',
  platformNamespaces: [],
  allowedImageRegistries: readAllowedImageRegistries(
    new ConfigReader(parse(fs.readFileSync(appConfigFile, 'utf8'))),
  ),
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

/** What validateManifests may look up in a tree held in memory. */
function treeLookups(tree: Map<string, string>) {
  // Kustomizations refer to folders (../../base) as well as files.
  const dirs = directoriesOf(tree.keys());
  const listing = directoryListing(tree.keys());
  return {
    fileExists: (path: string) => tree.has(path) || dirs.has(path),
    readFile: (path: string) => tree.get(path),
    listDirectory: (path: string) => listing.get(path),
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
  const lookups = treeLookups(tree);
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
          allowedImageRegistries:
            options.allowedImageRegistries ??
            DEFAULT_PLATFORM_OPTIONS.allowedImageRegistries,
          ...lookups,
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
