import { randomUUID } from 'node:crypto';
import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  CoalescedRuns,
  GitopsConfig,
  GitOpsRepository,
} from '@internal/plugin-gitops-node';
import {
  AppliedState,
  GitopsProviderStore,
} from '../state/GitopsProviderStore';
import { CatalogView } from './catalogView';
import { readFolders } from './evaluateFolders';
import { changedFolders, firstAdded, GitClock } from './gitReads';
import { FolderUpdates, KeptState } from './keptState';
import { handCatalog } from './mutation';
import { GitopsProviderRun, newRun } from './run';
import { GitopsProviderTelemetry } from './providerTelemetry';

/** Options of {@link GitopsEntityProvider}. */
export interface GitopsEntityProviderOptions {
  gitops: GitopsConfig;
  repository: () => GitOpsRepository;
  /** What was last applied to the catalog, shared by all replicas. */
  store: GitopsProviderStore;
  logger: LoggerService;
  /**
   * Runs the provider on a schedule once connected, as the global task
   * {@link GitopsEntityProvider.taskId}; none in tests.
   */
  taskRunner?: SchedulerServiceTaskRunner;
  /** Asks the scheduler for a run of that task now. */
  trigger?: () => Promise<void>;
  /** Metrics and a span per run; none without it. */
  telemetry?: GitopsProviderTelemetry;
}

/**
 * Emits the entities of the GitOps repository's catalog-info.yaml files
 * (teams' namespaces, services, databases), following the base branch in
 * the gitops service's persistent mirror. A run diffs the commit last
 * applied to the catalog (by whichever replica) against the new one,
 * re-reads only the changed folders and applies a delta mutation of the
 * entities that changed, so a run costs what changed. What was applied is
 * kept in the catalog's database ({@link GitopsProviderStore}); this
 * replica keeps a copy in memory and reads only the folder states other
 * replicas' runs wrote since its own last run. Its first run reads
 * everything and applies a full mutation, so what a new version of the
 * mapping makes of unchanged files reaches the catalog.
 *
 * @public
 */
export class GitopsEntityProvider implements EntityProvider {
  static readonly providerName = 'gitops-repository';
  /** The scheduled task: global, so runs never overlap across replicas. */
  static readonly taskId = `${GitopsEntityProvider.providerName}:refresh`;

  readonly #options: GitopsEntityProviderOptions;
  /** A copy of the shared state, as of {@link #generation}. */
  readonly #state = new KeptState();
  readonly #runs = new CoalescedRuns(() =>
    this.#options.telemetry
      ? this.#options.telemetry.observe(() => this.#run())
      : this.#run(),
  );
  readonly #view: CatalogView;
  #connection?: EntityProviderConnection;
  /** The shared generation the copy is at; undefined before any is read. */
  #generation?: number;
  /** Whether this replica has applied its full run. */
  #fullRunDone = false;
  /** The commit the current run reads. */
  #head = '';

  constructor(options: GitopsEntityProviderOptions) {
    this.#options = options;
    this.#view = new CatalogView(
      this.#state,
      files => firstAdded(options.repository(), this.#head, files),
      options.logger,
    );
  }

  getProviderName(): string {
    return GitopsEntityProvider.providerName;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#options.taskRunner?.run({
      id: GitopsEntityProvider.taskId,
      fn: () => this.#refreshAndLog(),
    });
    // Catch up at start-up: the schedule is kept across restarts, so its
    // next run may be a whole period away, and a push made while no
    // replica ran was announced to nobody.
    void this.#options.trigger?.();
  }

  async #refreshAndLog(): Promise<void> {
    await this.refresh().catch(error =>
      this.#options.logger.warn(
        `GitOps catalog: run failed, the catalog keeps what it had: ${error}`,
      ),
    );
  }

  /**
   * Runs now, or right after the run under way (requests during a run
   * share one more run). Only the scheduled task calls this in a backend,
   * so runs never overlap across replicas.
   */
  refresh(): Promise<GitopsProviderRun> {
    return this.#runs.request();
  }

  async #run(): Promise<GitopsProviderRun> {
    const connection = this.#connection;
    if (!connection) throw new Error('The GitOps provider is not connected');
    const started = performance.now();
    const clock = new GitClock();
    const repo = this.#options.repository();
    const head = await clock.time(() => repo.fetch());
    this.#head = head;
    const run = newRun(head);
    const applied = await this.#options.store.applied();
    const since = await this.#deltaBase(repo, applied, clock);
    if (since !== head) {
      run.statesLoaded = await this.#sync(applied.generation);
      const folders = since
        ? await clock.time(() => changedFolders(repo, since, head))
        : undefined;
      const reading = await readFolders(
        {
          repo,
          gitops: this.#options.gitops,
          head,
          state: this.#state,
          clock,
          logger: this.#options.logger,
        },
        folders,
      );
      run.foldersRead = reading.foldersRead;
      run.filesRead = reading.filesRead;
      run.errors = reading.errors;
      await this.#apply(connection, applied, reading.updates, since, run);
    }
    run.wallMs = Math.round(performance.now() - started);
    run.gitMs = Math.round(clock.ms);
    if (run.kind !== 'none') {
      this.#options.logger.info(
        `GitOps catalog: ${run.kind} run to ${head.slice(0, 12)}: ${
          run.foldersRead
        } folders read, ${run.added} entities added or changed, ${
          run.removed
        } removed, ${run.errors} files not usable, ${
          run.statesLoaded
        } folder states loaded (${run.wallMs} ms, git ${run.gitMs} ms)`,
      );
    }
    return run;
  }

  /**
   * The commit a delta starts from: the one last applied, unless this
   * replica has not made its full run yet, a run died between changing the
   * catalog and recording it, or the mirror does not have that commit (a
   * rewritten branch); undefined then, for a full run.
   */
  async #deltaBase(
    repo: GitOpsRepository,
    applied: AppliedState,
    clock: GitClock,
  ): Promise<string | undefined> {
    const { commit, pendingRun } = applied;
    if (pendingRun) {
      this.#options.logger.warn(
        `GitOps catalog: run ${pendingRun} changed the catalog without recording what it applied (or is still at it past its timeout); this run applies a full mutation`,
      );
      return undefined;
    }
    if (!this.#fullRunDone || !commit) return undefined;
    return (await clock.time(() => repo.resolve(commit))) ? commit : undefined;
  }

  /**
   * Brings the copy to the shared generation: the folder states written
   * since its own, or all of them when it has none (or the database is
   * newer than what it saw). Returns how many states it read.
   */
  async #sync(generation: number): Promise<number> {
    if (this.#generation === generation) return 0;
    const all = this.#generation === undefined || this.#generation > generation;
    const rows = await this.#options.store.folders(
      all ? undefined : this.#generation,
    );
    const loaded = rows.size;
    if (all) {
      for (const path of this.#state.folderPaths()) {
        if (!rows.has(path)) rows.set(path, undefined);
      }
    }
    this.#state.apply(rows);
    this.#generation = generation;
    return loaded;
  }

  /**
   * Applies updates to the catalog, the shared state and the copy, or to
   * none of them: the run claims the shared state first, so no other run
   * changes the catalog meanwhile, and records what it applied after.
   */
  async #apply(
    connection: EntityProviderConnection,
    applied: AppliedState,
    updates: FolderUpdates,
    since: string | undefined,
    run: GitopsProviderRun,
  ): Promise<void> {
    const { store } = this.#options;
    const touched = this.#state.touchedRefs(updates);
    // What the catalog has of those entities; none for a full mutation.
    const before = since ? await this.#view.entities(touched) : undefined;
    const changed = this.#state.changes(updates);
    const runId = randomUUID();
    if (!(await store.claim(applied, runId))) {
      this.#generation = undefined;
      throw new ConflictError(
        'Another run changed the catalog meanwhile; the next run starts from what it applied',
      );
    }
    const undo = this.#state.apply(updates);
    try {
      Object.assign(
        run,
        await handCatalog(connection, this.#view, before, touched),
      );
    } catch (error) {
      undo();
      // Left claimed if this fails too: the next run applies a full mutation.
      await store.release(runId).catch(() => {});
      throw error;
    }
    try {
      this.#generation = await store.record(
        applied,
        runId,
        run.commit,
        changed,
      );
    } catch (error) {
      this.#generation = undefined;
      throw error;
    }
    this.#fullRunDone ||= !since;
  }
}
