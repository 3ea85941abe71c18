/**
 * Test support: a loopback Git smart-HTTP server and a seeding helper.
 *
 * @packageDocumentation
 */
export { startGitHttpServer, seedRepository } from './gitHttpServer';
export type { GitHttpServer, GitHttpServerOptions } from './gitHttpServer';
