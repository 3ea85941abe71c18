/**
 * The portal's default-deny permission policy.
 *
 * @packageDocumentation
 */
export { permissionModulePortalPolicy as default } from './module';
export { BrowsePolicy, BROWSE_PERMISSIONS } from './browsePolicy';
export type { BrowsePolicyOptions } from './browsePolicy';
