/**
 * Which entity links a portal page may offer, shared by the catalog
 * processor that removes unsafe links and the Links card.
 *
 * @packageDocumentation
 */
export {
  SAFE_LINK_SCHEMES,
  isSafeLinkUrl,
  linkScheme,
  withoutUnsafeLinks,
} from './safeLinks';
