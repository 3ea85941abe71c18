import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { LoggerService } from '@backstage/backend-plugin-api';
import { DeferredEntity } from '@backstage/plugin-catalog-node';
import { GITOPS_CATALOG_ERROR_ANNOTATION } from '../mapping/annotations';
import { FolderState, KeptState } from './keptState';

/** Decides which of several folders' files gets an entity ref. */
export type FirstAdded = (files: string[]) => Promise<string | undefined>;

/** Cached decisions are dropped past this many, to bound memory. */
const MAX_DECISIONS = 1000;

/** The catalog's key of the entities of one file. */
export function locationKeyOf(file: string): string {
  return `gitops:${file}`;
}

/** The entity as emitted: the last good version, with its error if any. */
function emitted(entity: Entity, state: FolderState): Entity {
  if (!state.error) return entity;
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        [GITOPS_CATALOG_ERROR_ANNOTATION]: `${state.file}: ${
          state.error
        } (the catalog keeps the version of commit ${state.goodCommit.slice(
          0,
          12,
        )})`,
      },
    },
  };
}

/**
 * What the catalog gets from the kept state: per entity ref, the entity of
 * the one folder that holds it. When several folders name the same entity,
 * the file that was added first in the repository's history keeps it, so
 * a newer folder (another team's, say) can never take an entity over, and
 * the others are logged.
 */
export class CatalogView {
  readonly #decisions = new Map<string, string>();

  constructor(
    private readonly state: KeptState,
    private readonly firstAdded: FirstAdded,
    private readonly logger: LoggerService,
  ) {}

  async #holder(ref: string): Promise<FolderState | undefined> {
    const claimants = this.state.claimants(ref);
    if (claimants.length < 2) return this.state.folder(claimants[0] ?? '');
    const key = claimants.join('\n');
    let holder = this.#decisions.get(key);
    if (!holder) {
      const files = claimants.map(path => this.state.folder(path)!.file);
      const first = (await this.firstAdded(files)) ?? files[0];
      holder = claimants[files.indexOf(first)];
      if (this.#decisions.size >= MAX_DECISIONS) this.#decisions.clear();
      this.#decisions.set(key, holder);
      this.logger.warn(
        `${ref} is described in ${files.join(
          ' and ',
        )}; only ${first}, the oldest, is used`,
      );
    }
    return this.state.folder(holder);
  }

  /** Every entity ref some folder claims. */
  refs(): string[] {
    return this.state.refs();
  }

  /** The emitted entities of some refs (absent when no folder holds one). */
  async entities(refs: Iterable<string>): Promise<Map<string, DeferredEntity>> {
    const result = new Map<string, DeferredEntity>();
    for (const ref of refs) {
      const state = await this.#holder(ref);
      const entity = state?.entities.find(e => stringifyEntityRef(e) === ref);
      if (state && entity) {
        result.set(ref, {
          entity: emitted(entity, state),
          locationKey: locationKeyOf(state.file),
        });
      }
    }
    return result;
  }
}
