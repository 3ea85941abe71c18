import { LoggerService } from '@backstage/backend-plugin-api';
import { GitopsConfig, GitOpsRepository } from '@internal/plugin-gitops-node';
import { mapCatalogFile } from '../mapping/mapCatalogFile';
import { fileHistory, FolderScan, GitClock } from './gitReads';
import { FolderState, FolderUpdates, KeptState } from './keptState';

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
 * The kept state of each scanned folder at the head commit: its entities,
 * or its last good ones with the error of the file at the head commit, or
 * nothing (no catalog-info.yaml, or one that was never good).
 */
export async function evaluateFolders(
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
        ? { file, entities: result.entities, goodCommit: ctx.head }
        : await keepLastGood(ctx, scan, file, result.error, evaluation),
    );
  }
  return evaluation;
}
