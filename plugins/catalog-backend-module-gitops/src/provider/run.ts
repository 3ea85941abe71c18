/**
 * What one run did: `none` when the base branch had not moved since the
 * commit last applied (by any replica), `full` for this replica's first run
 * and after an interrupted one (every file read, a full mutation), `delta`
 * otherwise (only changed folders read, a delta mutation).
 *
 * @public
 */
export interface GitopsProviderRun {
  kind: 'none' | 'full' | 'delta';
  commit: string;
  wallMs: number;
  /** Time spent waiting for git, fetch included. */
  gitMs: number;
  /** Layout folders read at the new commit. */
  foldersRead: number;
  /** catalog-info.yaml versions read, from history included. */
  filesRead: number;
  /** Entities given to the catalog (added or changed), and removed. */
  added: number;
  removed: number;
  /** Files read in this run that are not usable. */
  errors: number;
  /** Folder states read from the shared state, written by other runs. */
  statesLoaded: number;
}

/** A run to `head` that has done nothing yet. */
export function newRun(head: string): GitopsProviderRun {
  return {
    kind: 'none',
    commit: head,
    wallMs: 0,
    gitMs: 0,
    foldersRead: 0,
    filesRead: 0,
    added: 0,
    removed: 0,
    errors: 0,
    statesLoaded: 0,
  };
}
