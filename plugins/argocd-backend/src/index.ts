/**
 * Read-only Argo CD API of the portal, behind the permission policy: the
 * routes Roadie's Argo CD card reads, limited to applications of entities
 * the user's team owns, and per-entity sync and health status.
 *
 * @packageDocumentation
 */
export { argocdPlugin as default } from './plugin';
