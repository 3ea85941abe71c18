/**
 * What the portal backend adds around its plugins: start-up checks, readiness that follows the database, guarded URL reading, and (later) metrics
 *
 * @packageDocumentation
 */
export {};
