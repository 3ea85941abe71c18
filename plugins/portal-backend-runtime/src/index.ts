/**
 * What the portal backend adds around its plugins: start-up checks, readiness that follows the database, guarded URL reading, and OpenTelemetry metrics (the SDK itself is on the `./telemetry` entry point)
 *
 * @packageDocumentation
 */
export { startupAndHealth } from './startupAndHealth';
export { startBackend } from './startup/startBackend';
export { portalSchedulerManagePermission } from './scheduler/schedulerPermission';
export { guardedUrlReaderServiceFactory } from './urlReading';
export { portalTelemetry } from './telemetry/portalTelemetry';
