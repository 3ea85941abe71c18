import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { isDeepStrictEqual } from 'node:util';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { GitopsConfig, GitOpsRepository } from '@internal/plugin-gitops-node';
import { CatalogView } from './catalogView';
import { CoalescedRuns } from './coalescedRuns';
import { evaluateFolders } from './evaluateFolders';
import {
  changedFolders,
  firstAdded,
  GitClock,
  listFiles,
  readFiles,
  scanFolders,
} from './gitReads';
import { FolderUpdates, KeptState } from './keptState';
import { GitopsProviderTelemetry } from './providerTelemetry';

/**
 * What one run did: `none` when the base branch had not moved, `full` for
 * the first run (every file read, a full mutation), `delta` afterwards
 * (only changed folders read, a delta mutation).
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
}

/** Options of {@link GitopsEntityProvider}. */
export interface GitopsEntityProviderOptions {
  gitops: GitopsConfig;
  repository: () => GitOpsRepository;
  logger: LoggerService;
  /** Runs the provider on a schedule once connected; none in tests. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** Metrics and a span per run; none without it. */
  telemetry?: GitopsProviderTelemetry;
}

/**
 * Emits the entities of the GitOps repository's catalog-info.yaml files
 * (teams' namespaces, services, databases), following the base branch in
 * the gitops service's persistent mirror. The first run reads every file
 * and applies a full mutation; later runs diff the last processed commit
 * against the new one, re-read only the changed folders and apply a delta
 * mutation of the entities that changed, so a run costs what changed.
 *
 * @public
 */
export class GitopsEntityProvider implements EntityProvider {
  static readonly providerName = 'gitops-repository';

  readonly #options: GitopsEntityProviderOptions;
  readonly #state = new KeptState();
  readonly #runs = new CoalescedRuns(() =>
    this.#options.telemetry
      ? this.#options.telemetry.observe(() => this.#run())
      : this.#run(),
  );
  readonly #view: CatalogView;
  #connection?: EntityProviderConnection;
  /** The last commit applied to the catalog. */
  #commit?: string;
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
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.#refreshAndLog(),
    });
    // Catch up at start-up: the schedule is shared by all replicas and kept
    // across restarts, so its next run may be a whole period away, and a
    // push made while the portal was down was announced to nobody.
    void this.#refreshAndLog();
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
   * share one more run).
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
    const run: GitopsProviderRun = {
      kind: 'none',
      commit: head,
      wallMs: 0,
      gitMs: 0,
      foldersRead: 0,
      filesRead: 0,
      added: 0,
      removed: 0,
      errors: 0,
    };
    if (head !== this.#commit) {
      const since =
        this.#commit && (await clock.time(() => repo.resolve(this.#commit!)))
          ? this.#commit
          : undefined;
      const folders = since
        ? await clock.time(() => changedFolders(repo, since, head))
        : undefined;
      const updates = await this.#read(repo, head, folders, clock, run);
      await this.#apply(connection, updates, since, run);
      this.#commit = head;
    }
    run.wallMs = Math.round(performance.now() - started);
    run.gitMs = Math.round(clock.ms);
    if (run.kind !== 'none') {
      this.#options.logger.info(
        `GitOps catalog: ${run.kind} run to ${head.slice(0, 12)}: ${
          run.foldersRead
        } folders read, ${run.added} entities added or changed, ${
          run.removed
        } removed, ${run.errors} files not usable (${run.wallMs} ms, git ${
          run.gitMs
        } ms)`,
      );
    }
    return run;
  }

  /** Reads folders at `head` (all when none are given) into updates. */
  async #read(
    repo: GitOpsRepository,
    head: string,
    folders: string[] | undefined,
    clock: GitClock,
    run: GitopsProviderRun,
  ): Promise<FolderUpdates> {
    const scans = scanFolders(
      await clock.time(() => listFiles(repo, head, folders)),
    );
    const files = [...scans.values()].flatMap(scan => scan.file ?? []);
    const contents = await clock.time(() => readFiles(repo, head, files));
    const evaluation = await evaluateFolders(scans, contents, {
      repo,
      gitops: this.#options.gitops,
      head,
      state: this.#state,
      clock,
      logger: this.#options.logger,
    });
    // Folders that are gone (a merged decommission) lose their entities.
    for (const path of folders ?? this.#state.folderPaths()) {
      if (!scans.has(path)) evaluation.updates.set(path, undefined);
    }
    run.foldersRead = scans.size;
    run.filesRead = files.length + evaluation.historyReads;
    run.errors = evaluation.errors;
    return evaluation.updates;
  }

  /** Applies updates to the kept state and the catalog, or to neither. */
  async #apply(
    connection: EntityProviderConnection,
    updates: FolderUpdates,
    since: string | undefined,
    run: GitopsProviderRun,
  ): Promise<void> {
    const view = this.#view;
    const touched = this.#state.touchedRefs(updates);
    const before = since ? await view.entities(touched) : undefined;
    const undo = this.#state.apply(updates);
    try {
      if (!before) {
        const entities = [
          ...(await view.entities(this.#state.refs())).values(),
        ];
        await connection.applyMutation({ type: 'full', entities });
        run.kind = 'full';
        run.added = entities.length;
        return;
      }
      const after = await view.entities(touched);
      const added: DeferredEntity[] = [...after]
        .filter(([ref, e]) => !isDeepStrictEqual(before.get(ref), e))
        .map(([, e]) => e);
      const removed = [...before.keys()]
        .filter(ref => !after.has(ref))
        .map(entityRef => ({ entityRef }));
      if (added.length || removed.length) {
        await connection.applyMutation({ type: 'delta', added, removed });
      }
      run.kind = 'delta';
      run.added = added.length;
      run.removed = removed.length;
    } catch (error) {
      undo();
      throw error;
    }
  }
}
