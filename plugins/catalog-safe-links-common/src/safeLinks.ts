import { Entity, EntityLink } from '@backstage/catalog-model';

/**
 * The schemes an entity link may have: web pages and mail. Any other
 * (`javascript:`, `data:`, `vbscript:`, `file:`, an app's own scheme) runs
 * or opens something in the reader's browser rather than leading to a page.
 */
export const SAFE_LINK_SCHEMES: readonly string[] = [
  'http:',
  'https:',
  'mailto:',
];

/*
 * Relative links resolve against the portal's own origin, so they count as
 * https. The host is never contacted.
 */
const RELATIVE_LINK_BASE = 'https://portal.invalid/';

/**
 * The scheme a browser follows for a link, parsed as the URL standard does
 * (which ignores leading control characters and spaces and drops tabs and
 * newlines, so `" java\tscript:"` is `javascript:` too), or undefined for
 * text that is no URL at all.
 */
export function linkScheme(url: unknown): string | undefined {
  if (typeof url !== 'string') {
    return undefined;
  }
  try {
    return new URL(url, RELATIVE_LINK_BASE).protocol;
  } catch {
    return undefined;
  }
}

/** Whether a portal page may offer this link. */
export function isSafeLinkUrl(url: unknown): boolean {
  const scheme = linkScheme(url);
  return scheme !== undefined && SAFE_LINK_SCHEMES.includes(scheme);
}

/**
 * The entity without the links a page may not offer, and what was removed.
 * The entity itself is not changed; one without unsafe links comes back as
 * it is.
 */
export function withoutUnsafeLinks<T extends Entity>(
  entity: T,
): { entity: T; removed: EntityLink[] } {
  const links = entity.metadata.links;
  if (!Array.isArray(links)) {
    return { entity, removed: [] };
  }
  const removed = links.filter(link => !isSafeLinkUrl(link?.url));
  if (removed.length === 0) {
    return { entity, removed };
  }
  return {
    entity: {
      ...entity,
      metadata: {
        ...entity.metadata,
        links: links.filter(link => isSafeLinkUrl(link?.url)),
      },
    },
    removed,
  };
}
