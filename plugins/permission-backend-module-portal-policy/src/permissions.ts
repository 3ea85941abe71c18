import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Lets the holder ask the policy why another user is allowed or denied
 * something, and read which policy file is in force and why a newer one was
 * not applied. It reveals group memberships and role bindings, so only
 * platform admins get it.
 *
 * @public
 */
export const portalPolicyExplainPermission = createPermission({
  name: 'portal.policy.explain',
  attributes: { action: 'read' },
});
