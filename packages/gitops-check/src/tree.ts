import fs from 'node:fs';
import { isPlaceholder, readTree } from './files';
import {
  clusterScopedAllowedInTree,
  DEFAULT_PLATFORM_OPTIONS,
  isPlatformOwned,
  PlatformOptions,
  TreeProblem,
  validateTree,
} from './validate';

/**
 * Validates a whole GitOps tree (a checkout of the GitOps repository, or
 * gitops/ of this repository) with the rules the templates are held to,
 * so the GitOps repository's own CI can refuse hand-written changes that
 * the portal would never have produced.
 */
export async function checkTree(
  dir: string,
  platform: PlatformOptions = DEFAULT_PLATFORM_OPTIONS,
): Promise<TreeProblem[]> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return [{ path: dir, message: 'not a folder' }];
  }
  const tree = await readTree(dir);
  for (const file of [...tree.keys()]) {
    if (isPlaceholder(file)) {
      tree.delete(file);
    }
  }
  return validateTree(tree, {
    ...platform,
    allowClusterScoped: clusterScopedAllowedInTree,
    platformOwned: isPlatformOwned,
  });
}
