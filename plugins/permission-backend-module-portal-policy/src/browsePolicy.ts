import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/**
 * What a signed-in person needs to look around the portal: read the catalog
 * (TechDocs and search results are filtered by catalog reads), see what runs
 * in Kubernetes, and open a template's form. Nothing here changes anything.
 */
export const BROWSE_PERMISSIONS: ReadonlySet<string> = new Set([
  'catalog.entity.read',
  'catalog.location.read',
  'kubernetes.clusters.read',
  'kubernetes.resources.read',
  'scaffolder.template.parameter.read',
  'scaffolder.template.step.read',
]);

/** Options of {@link BrowsePolicy}. */
export interface BrowsePolicyOptions {
  /** Extra permission names granted to every signed-in user. */
  additionalUserPermissions?: Iterable<string>;
}

/**
 * Denies by default: only signed-in users get the browse set (plus any
 * configured additions); every other permission, including ones this policy
 * has never heard of, is denied.
 */
export class BrowsePolicy implements PermissionPolicy {
  readonly #granted: ReadonlySet<string>;

  constructor(options: BrowsePolicyOptions = {}) {
    this.#granted = new Set([
      ...BROWSE_PERMISSIONS,
      ...(options.additionalUserPermissions ?? []),
    ]);
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    // The permission backend passes `user` only for user principals.
    if (user && this.#granted.has(request.permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    return { result: AuthorizeResult.DENY };
  }
}
