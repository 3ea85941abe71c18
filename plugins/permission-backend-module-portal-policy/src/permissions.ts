import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Lets the holder ask the policy why another user is allowed or denied
 * something. It reveals group memberships and role bindings, so only
 * platform admins get it.
 *
 * @public
 */
export const portalPolicyExplainPermission = createPermission({
  name: 'portal.policy.explain',
  attributes: { action: 'read' },
});
