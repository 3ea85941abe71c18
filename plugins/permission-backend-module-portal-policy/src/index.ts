/**
 * The portal's role-based, default-deny permission policy.
 *
 * @packageDocumentation
 */
export { permissionModulePortalPolicy as default } from './module';
export { portalPolicyExplainPermission } from './permissions';
