import {
  DeferredEntity,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { CatalogView } from './catalogView';
import { sameJson } from './keptState';

/** What a run handed the catalog. */
export interface HandedMutation {
  kind: 'full' | 'delta';
  /** Entities added or changed, and removed. */
  added: number;
  removed: number;
}

/**
 * Hands the catalog what the view now holds: every entity as a full
 * mutation when there is no `before`, or else a delta mutation of the
 * touched entities that changed or went since `before` (none at all when
 * nothing did).
 */
export async function handCatalog(
  connection: EntityProviderConnection,
  view: CatalogView,
  before: Map<string, DeferredEntity> | undefined,
  touched: Set<string>,
): Promise<HandedMutation> {
  if (!before) {
    const entities = [...(await view.entities(view.refs())).values()];
    await connection.applyMutation({ type: 'full', entities });
    return { kind: 'full', added: entities.length, removed: 0 };
  }
  const after = await view.entities(touched);
  const added: DeferredEntity[] = [...after]
    .filter(([ref, e]) => !sameJson(before.get(ref), e))
    .map(([, e]) => e);
  const removed = [...before.keys()]
    .filter(ref => !after.has(ref))
    .map(entityRef => ({ entityRef }));
  if (added.length || removed.length) {
    await connection.applyMutation({ type: 'delta', added, removed });
  }
  return { kind: 'delta', added: added.length, removed: removed.length };
}
