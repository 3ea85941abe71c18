/**
 * Keeps entity links that are not http, https or mailto out of the catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleSafeLinks as default } from './module';
export { SafeLinksProcessor } from './SafeLinksProcessor';
