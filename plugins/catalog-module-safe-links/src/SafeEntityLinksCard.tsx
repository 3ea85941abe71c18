import { EntityLinksCard } from '@backstage/plugin-catalog';
import { EntityProvider, useEntity } from '@backstage/plugin-catalog-react';
import { withoutUnsafeLinks } from '@internal/plugin-catalog-safe-links-common';
import { useMemo } from 'react';

/**
 * The catalog's own Links card, shown an entity without the links a page
 * may not offer. Backstage's Link refuses to render a `javascript:` URL by
 * throwing, which takes the whole card down; the catalog processor of
 * `@internal/plugin-catalog-backend-module-safe-links` removes such links
 * at ingestion, and this keeps the card standing for any that still arrive.
 */
export function SafeEntityLinksCard() {
  const { entity } = useEntity();
  const safe = useMemo(() => withoutUnsafeLinks(entity).entity, [entity]);
  return (
    <EntityProvider entity={safe}>
      <EntityLinksCard />
    </EntityProvider>
  );
}
