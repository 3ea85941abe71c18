/**
 * Development and test only: loopback stand-ins that answer in the shapes of
 * the APIs the portal talks to but that cannot run on a test machine.
 *
 * @packageDocumentation
 */
export { startArgoCdStandIn, startKubernetesStandIn } from './platformApis';
export type { StandIn } from './platformApis';
