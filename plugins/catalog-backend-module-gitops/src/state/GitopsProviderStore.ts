import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { FolderState, FolderUpdates } from '../provider/keptState';

const STATE_TABLE = 'gitops_provider_state';
const FOLDERS_TABLE = 'gitops_provider_folders';
/** The state table holds one row, with this id. */
const STATE_ROW = 1;
/**
 * The catalog keeps its own migrations in `knex_migrations` of the same
 * database, so this module's are tracked in a table of their own.
 */
const MIGRATIONS_TABLE = 'gitops_provider_knex_migrations';
/** Folder rows per insert statement, far below SQLite's variable limit. */
const ROWS_PER_INSERT = 300;

/**
 * What was last applied to the catalog, as every replica sees it.
 *
 * @public
 */
export interface AppliedState {
  /** The commit last applied; undefined before the first run. */
  commit?: string;
  /** Counts applied runs; folder rows carry the one that last wrote them. */
  generation: number;
  /**
   * A run that claimed the catalog and has not recorded what it applied:
   * one under way, or one that died between its mutation and its record.
   */
  pendingRun?: string;
}

/**
 * The GitOps provider's state in the catalog's database, shared by all
 * replicas: the commit last applied to the catalog and each folder's kept
 * state, stamped with the generation that wrote it, so a replica whose
 * in-memory copy is from an older generation reads only the rows written
 * since. A removed folder keeps a row without state, so a replica that is
 * behind learns of the removal; there are at most as many rows as folders
 * the repository ever had.
 *
 * A run claims the state row before it hands the catalog a mutation and
 * records the result after; a claim seen at the start of a run marks a run
 * that may have changed the catalog without recording it, and the next run
 * then hands the catalog a full mutation.
 *
 * @public
 */
export class GitopsProviderStore {
  static async create(database: DatabaseService): Promise<GitopsProviderStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@internal/plugin-catalog-backend-module-gitops',
          'migrations',
        ),
        tableName: MIGRATIONS_TABLE,
      });
    }
    await knex(STATE_TABLE)
      .insert({ id: STATE_ROW, generation: 0 })
      .onConflict('id')
      .ignore();
    return new GitopsProviderStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  async applied(): Promise<AppliedState> {
    const row = await this.knex(STATE_TABLE).where({ id: STATE_ROW }).first();
    return {
      commit: row?.commit ?? undefined,
      generation: Number(row?.generation ?? 0),
      pendingRun: row?.pending_run ?? undefined,
    };
  }

  /**
   * Folder states written after generation `since` (removed folders as
   * undefined), or every folder's when `since` is undefined.
   */
  async folders(since?: number): Promise<FolderUpdates> {
    const query = this.knex(FOLDERS_TABLE).select('folder', 'state');
    const rows =
      since === undefined
        ? await query.whereNotNull('state')
        : await query.where('generation', '>', since);
    return new Map(
      rows.map(({ folder, state }): [string, FolderState | undefined] => [
        folder,
        state === null ? undefined : JSON.parse(state),
      ]),
    );
  }

  /**
   * Claims the catalog for a run, if the state is still `seen`: false when
   * another run applied or claimed since.
   */
  async claim(seen: AppliedState, runId: string): Promise<boolean> {
    const query = this.knex(STATE_TABLE).where({
      id: STATE_ROW,
      generation: seen.generation,
    });
    const updated = await (seen.pendingRun
      ? query.where('pending_run', seen.pendingRun)
      : query.whereNull('pending_run')
    ).update({ pending_run: runId });
    return updated === 1;
  }

  /** Gives a claim back when the catalog refused the run's mutation. */
  async release(runId: string): Promise<void> {
    await this.knex(STATE_TABLE)
      .where({ id: STATE_ROW, pending_run: runId })
      .update({ pending_run: null });
  }

  /**
   * Records what a claimed run applied: the commit, and the folders whose
   * state changed. Returns the new generation.
   */
  async record(
    seen: AppliedState,
    runId: string,
    commit: string,
    changed: FolderUpdates,
  ): Promise<number> {
    const generation = seen.generation + 1;
    await this.knex.transaction(async tx => {
      const updated = await tx(STATE_TABLE)
        .where({
          id: STATE_ROW,
          generation: seen.generation,
          pending_run: runId,
        })
        .update({ commit, generation, pending_run: null });
      if (updated !== 1) {
        throw new ConflictError(
          'Another run took the GitOps provider state over; the next run applies a full mutation',
        );
      }
      const rows = [...changed].map(([folder, state]) => ({
        folder,
        generation,
        state: state ? JSON.stringify(state) : null,
      }));
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx(FOLDERS_TABLE)
          .insert(rows.slice(i, i + ROWS_PER_INSERT))
          .onConflict('folder')
          .merge();
      }
    });
    return generation;
  }
}
