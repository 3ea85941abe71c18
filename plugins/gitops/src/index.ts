/**
 * The portal's GitOps pages: my and my team's change requests, a change
 * request with its diff, the GitOps card of an entity, the home page
 * widgets and the service picker of the golden paths.
 *
 * @packageDocumentation
 */
export { gitopsPlugin as default } from './plugin';
