/**
 * Catalog entity provider that follows the base branch of the GitOps repository and emits the teams' namespaces, services and databases the golden paths write there
 *
 * @packageDocumentation
 */
export {};
