import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  linkScheme,
  withoutUnsafeLinks,
} from '@internal/plugin-catalog-safe-links-common';

/**
 * Removes entity links whose scheme is not http, https or mailto before the
 * entity is stored, so no page or API client of the catalog ever gets one.
 * The entity itself stays: one bad link should not hide a component.
 */
export class SafeLinksProcessor implements CatalogProcessor {
  constructor(private readonly logger: LoggerService) {}

  getProcessorName(): string {
    return 'SafeLinksProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const { entity: safe, removed } = withoutUnsafeLinks(entity);
    if (removed.length > 0) {
      // The scheme, never the link itself: it is someone's script.
      const schemes = [
        ...new Set(removed.map(link => linkScheme(link?.url) ?? 'no URL')),
      ];
      this.logger.warn(
        `Removed ${removed.length} link(s) from ${stringifyEntityRef(
          entity,
        )}: only http, https and mailto links are kept, not ${schemes.join(
          ', ',
        )}`,
      );
    }
    return safe;
  }
}
