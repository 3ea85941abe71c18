/**
 * The portal's GitOps backend: change requests recorded at publish, their
 * state followed at the provider and in Argo CD, the change-request API
 * behind the permission policy, and notifications.
 *
 * @packageDocumentation
 */
export { gitopsPlugin as default } from './plugin';
export {
  changeRequestConditions,
  createChangeRequestConditionalDecision,
} from './service/permissions';
