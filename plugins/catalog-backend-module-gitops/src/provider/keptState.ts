import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** What the provider keeps of one folder's catalog-info.yaml. */
export interface FolderState {
  /** The catalog-info.yaml. */
  file: string;
  /** Its entities in their last good version. */
  entities: Entity[];
  /** The commit of that version. */
  goodCommit: string;
  /** Why the file at the base commit is not used, when it is not. */
  error?: string;
}

/** New states of folders; undefined removes a folder. */
export type FolderUpdates = Map<string, FolderState | undefined>;

/**
 * Whether two states (or entities) are the same. Kept states may come from
 * the shared database, a JSON round trip, so they compare as JSON: a field
 * that JSON drops (undefined) makes no difference.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The entities of every folder as last processed, and which folders claim
 * each entity ref (two folders can name the same entity, as
 * `services/a/x` and `services/b/x` both name Component x), so a run only
 * looks at the folders that changed.
 */
export class KeptState {
  readonly #folders = new Map<string, FolderState>();
  readonly #claims = new Map<string, Set<string>>();

  get size(): number {
    return this.#folders.size;
  }

  folder(path: string): FolderState | undefined {
    return this.#folders.get(path);
  }

  folderPaths(): string[] {
    return [...this.#folders.keys()];
  }

  /** Every entity ref some folder claims. */
  refs(): string[] {
    return [...this.#claims.keys()];
  }

  /** The folders that claim an entity ref, sorted. */
  claimants(ref: string): string[] {
    return [...(this.#claims.get(ref) ?? [])].sort();
  }

  /** The refs of a folder's entities, before and after some updates. */
  touchedRefs(updates: FolderUpdates): Set<string> {
    const refs = new Set<string>();
    for (const [path, next] of updates) {
      for (const state of [this.#folders.get(path), next]) {
        state?.entities.forEach(e => refs.add(stringifyEntityRef(e)));
      }
    }
    return refs;
  }

  /** The updates that change something. */
  changes(updates: FolderUpdates): FolderUpdates {
    return new Map(
      [...updates].filter(
        ([path, next]) => !sameJson(this.#folders.get(path), next),
      ),
    );
  }

  /** Applies updates; the returned function undoes them. */
  apply(updates: FolderUpdates): () => void {
    const previous: FolderUpdates = new Map();
    for (const [path, next] of updates) {
      previous.set(path, this.#folders.get(path));
      this.#set(path, next);
    }
    return () => {
      for (const [path, state] of previous) this.#set(path, state);
    };
  }

  #set(path: string, state: FolderState | undefined) {
    for (const entity of this.#folders.get(path)?.entities ?? []) {
      const ref = stringifyEntityRef(entity);
      const claimants = this.#claims.get(ref);
      claimants?.delete(path);
      if (!claimants?.size) this.#claims.delete(ref);
    }
    if (!state) {
      this.#folders.delete(path);
      return;
    }
    this.#folders.set(path, state);
    for (const entity of state.entities) {
      const ref = stringifyEntityRef(entity);
      const claimants = this.#claims.get(ref) ?? new Set<string>();
      claimants.add(path);
      this.#claims.set(ref, claimants);
    }
  }
}
