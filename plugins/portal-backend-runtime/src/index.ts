/**
 * What the portal backend adds around its plugins: start-up checks, readiness that follows the database, guarded URL reading, and (later) metrics
 *
 * @packageDocumentation
 */
export { startupAndHealth } from './startupAndHealth';
export { startBackend } from './startup/startBackend';
export { guardedUrlReaderServiceFactory } from './urlReading';
