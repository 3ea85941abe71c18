/**
 * Shared by the portal's GitOps plugins, front end and back end: the layout
 * contract of the GitOps repository, naming patterns, permissions and API
 * types.
 *
 * @packageDocumentation
 */
export * from './layout';
export * from './permissions';
export * from './api';
export * from './patterns';
