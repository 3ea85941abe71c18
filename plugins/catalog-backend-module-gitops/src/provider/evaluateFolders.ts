import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { GitopsConfig, GitOpsRepository } from '@internal/plugin-gitops-node';
import { mapCatalogFile } from '../mapping/mapCatalogFile';
import {
  fileHistory,
  FolderScan,
  GitClock,
  listFiles,
  scanFolders,
} from './gitReads';
import { FolderState, FolderUpdates, KeptState, sameJson } from './keptState';

/** How far back a file's history is searched for its last good version. */
const HISTORY_LIMIT = 20;

/** What a run needs to turn folders into kept states. */
export interface EvaluationContext {
  repo: GitOpsRepository;
  gitops: GitopsConfig;
  head: string;
  state: KeptState;
  clock: GitClock;
  logger: LoggerService;
}

/** What evaluating some folders found. */
export interface Evaluation {
  updates: FolderUpdates;
  /** Files that are not usable at the head commit. */
  errors: number;
  /** File versions read from history, looking for a last good one. */
  historyReads: number;
}

/**
 * The newest good version of a file before its version at `head`, since it
 * was last added: after a restart, this is what the catalog last had.
 */
async function lastGoodInHistory(
  ctx: EvaluationContext,
  scan: FolderScan,
  file: string,
  evaluation: Evaluation,
): Promise<FolderState | undefined> {
  const commits = await ctx.clock.time(() =>
    fileHistory(ctx.repo, ctx.head, file, HISTORY_LIMIT),
  );
  for (const commit of commits.slice(1)) {
    const content = await ctx.clock.time(() => ctx.repo.readFile(commit, file));
    if (content === undefined) return undefined; // deleted there
    evaluation.historyReads++;
    const result = await mapCatalogFile(
      {
        path: file,
        folder: scan.folder,
        environments: scan.environments,
        content,
      },
      ctx.gitops,
    );
    if (result.ok) {
      return { file, entities: result.entities, goodCommit: commit };
    }
  }
  return undefined;
}

/** The new state of one folder whose catalog-info.yaml is not usable. */
async function keepLastGood(
  ctx: EvaluationContext,
  scan: FolderScan,
  file: string,
  error: string,
  evaluation: Evaluation,
): Promise<FolderState | undefined> {
  evaluation.errors++;
  const previous = ctx.state.folder(scan.folder.folder);
  const lastGood =
    previous?.file === file
      ? previous
      : await lastGoodInHistory(ctx, scan, file, evaluation);
  if (!lastGood) {
    ctx.logger.warn(
      `GitOps catalog: ${file} is not used and has never been good, so nothing of it is in the catalog: ${error}`,
    );
    return undefined;
  }
  ctx.logger.warn(
    `GitOps catalog: ${file} is not used; the catalog keeps its version of commit ${lastGood.goodCommit}: ${error}`,
  );
  return { ...lastGood, error };
}

/**
 * The state of a folder whose file is good at `head`. A version that is
 * already kept keeps its commit, so re-reading an unchanged folder (as a
 * full run does) changes nothing in the shared state.
 */
function goodState(
  previous: FolderState | undefined,
  file: string,
  entities: Entity[],
  head: string,
): FolderState {
  return previous &&
    !previous.error &&
    previous.file === file &&
    sameJson(previous.entities, entities)
    ? previous
    : { file, entities, goodCommit: head };
}

/**
 * The kept state of each scanned folder at the head commit: its entities,
 * or its last good ones with the error of the file at the head commit, or
 * nothing (no catalog-info.yaml, or one that was never good).
 */
async function evaluateFolders(
  scans: Map<string, FolderScan>,
  contents: Map<string, string>,
  ctx: EvaluationContext,
): Promise<Evaluation> {
  const evaluation: Evaluation = {
    updates: new Map(),
    errors: 0,
    historyReads: 0,
  };
  for (const [path, scan] of scans) {
    const file = scan.file;
    if (!file) {
      evaluation.updates.set(path, undefined);
      continue;
    }
    const result = await mapCatalogFile(
      {
        path: file,
        folder: scan.folder,
        environments: scan.environments,
        content: contents.get(file) ?? '',
      },
      ctx.gitops,
    );
    evaluation.updates.set(
      path,
      result.ok
        ? goodState(ctx.state.folder(path), file, result.entities, ctx.head)
        : await keepLastGood(ctx, scan, file, result.error, evaluation),
    );
  }
  return evaluation;
}

/** What reading some folders at the head commit found. */
export interface FolderReading extends Evaluation {
  /** Layout folders read at the head commit. */
  foldersRead: number;
  /** catalog-info.yaml versions read, from history included. */
  filesRead: number;
}

/**
 * Reads folders at the head commit (every folder of the layout when none
 * are given) into updates: one git process lists them and one reads their
 * catalog-info.yaml files. Folders that are gone (a merged decommission)
 * lose their entities.
 */
export async function readFolders(
  ctx: EvaluationContext,
  folders?: string[],
): Promise<FolderReading> {
  const { repo, head, clock } = ctx;
  const scans = scanFolders(
    await clock.time(() => listFiles(repo, head, folders)),
  );
  const files = [...scans.values()].flatMap(scan => scan.file ?? []);
  const contents = await clock.time(() => repo.readFiles(head, files));
  const evaluation = await evaluateFolders(scans, contents, ctx);
  for (const path of folders ?? ctx.state.folderPaths()) {
    if (!scans.has(path)) evaluation.updates.set(path, undefined);
  }
  return {
    ...evaluation,
    foldersRead: scans.size,
    filesRead: files.length + evaluation.historyReads,
  };
}
