/**
 * The portal's GitOps backend: change requests recorded at publish, their state followed at the provider, the change-request API behind the permission policy, and notifications
 *
 * @packageDocumentation
 */
export {};
