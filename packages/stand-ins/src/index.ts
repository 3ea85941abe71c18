/**
 * Development and test only: loopback stand-ins that answer in the shapes of
 * the APIs the portal talks to but that cannot run on a test machine,
 * among them a Keycloak realm (its OIDC issuer and its admin API).
 *
 * @packageDocumentation
 */
export { startKubernetesStandIn } from './platformApis';
export {
  ARGOCD_STAND_IN_APPLICATIONS,
  setServiceStatusOver,
  startArgoCdStandIn,
} from './argoCdStandIn';
export type {
  ArgoCdStandIn,
  ArgoCdStandInOptions,
  ServiceStatus,
} from './argoCdStandIn';
export { KUBERNETES_SECRET_CANARIES } from './platformApis';
export type { StandIn } from './platformApis';
export { ForgeRepository } from './forgeRepository';
export type { ForgeStandIn, ForgeStandInOptions } from './forgeRepository';
export { startGithubStandIn } from './githubStandIn';
export type { GithubStandIn } from './githubStandIn';
export { startGitlabStandIn } from './gitlabStandIn';
export type { GitlabStandIn } from './gitlabStandIn';
export { startKeycloakAdminStandIn } from './keycloakAdmin';
export type {
  FaultOptions,
  GeneratedOrg,
  KeycloakAdminStandIn,
  KeycloakAdminStandInOptions,
  KeycloakAdminStats,
  KeycloakOrgUser,
  KeycloakRequestKind,
} from './keycloakAdmin';
export { startCanaryServer, startGiteaStandIn } from './gitea';
export type { CanaryServer, GiteaStandIn } from './gitea';
export {
  KEYCLOAK_PROVIDER_ID,
  keycloakProviderConfig,
  keycloakRedirectUri,
  startOidcIssuer,
} from './oidcIssuer';
export type { OidcIssuer, OidcIssuerOptions } from './oidcIssuer';
export { ISSUER_ACCOUNTS, keycloakOrgUsers } from './oidcAccounts';
export type { IssuerAccount, IssuerUsername } from './oidcAccounts';
export { recordMetrics, recordSpans } from './metricsRecorder';
export type {
  MetricsRecorder,
  RecordedPoint,
  SpanRecorder,
} from './metricsRecorder';
export { startOtlpReceiver } from './otlpReceiver';
export type { OtlpReceiver, ReceivedSpan } from './otlpReceiver';
export { startFaultProxy } from './faultProxy';
export type { FaultMode, FaultProxy, FaultProxyOptions } from './faultProxy';
