/**
 * JSON schemas that several packages need and no npm package publishes.
 *
 * @packageDocumentation
 */
export { ROUTE_SCHEMA } from './routeSchema';
export { PROMETHEUS_RULE_SCHEMA } from './prometheusRuleSchema';
export { SERVICE_MONITOR_SCHEMA } from './serviceMonitorSchema';
