/**
 * The entity page's Links card, kept alive by a bad link.
 *
 * @packageDocumentation
 */
export {
  catalogModuleSafeLinks as default,
  safeEntityLinksCard,
} from './module';
