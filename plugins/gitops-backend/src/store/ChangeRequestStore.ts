import crypto from 'node:crypto';
import { Knex } from 'knex';
import {
  ChangeRequest,
  ChangeRequestChecks,
  ChangeRequestRecord,
  ChangeRequestState,
  folderOfPath,
} from '@internal/plugin-gitops-common';
import { applyFilter, ChangeRequestFilter } from './filters';

const TABLE = 'gitops_change_requests';
const FOLDERS = 'gitops_change_request_folders';

/** Where Argo CD stood after the merge, as last told to the requester. */
export type DeployStatus = 'healthy' | 'degraded';

/** A change request with what the poller keeps about it. */
export interface StoredChangeRequest extends ChangeRequest {
  deployStatus?: DeployStatus;
}

/** Which change requests to list. */
export interface ChangeRequestQuery {
  /** The permission policy's conditions; undefined when all are allowed. */
  permission?: ChangeRequestFilter;
  /** Further conditions of the caller's choice (mine, my team's). */
  filter?: ChangeRequestFilter;
  states?: ChangeRequestState[];
  id?: string;
  /** Only those touching one of these layout folders. */
  folders?: string[];
  limit?: number;
  offset?: number;
}

type Row = Record<string, any>;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value as string).toISOString();
}

function fromRow(row: Row, folders: string[]): StoredChangeRequest {
  return {
    id: row.id,
    template: row.template,
    requester: row.requester,
    team: row.team,
    title: row.title,
    provider: row.provider,
    branch: row.branch,
    forgeUrl: row.forge_url,
    number: row.number ?? undefined,
    paths: JSON.parse(row.paths),
    folders,
    baseCommit: row.base_commit,
    headCommit: row.head_commit,
    state: row.state,
    checks: row.checks ?? undefined,
    taskId: row.task_id ?? undefined,
    deployStatus: row.deploy_status ?? undefined,
    createdAt: toIso(row.created_at)!,
    updatedAt: toIso(row.updated_at)!,
    closedAt: toIso(row.closed_at),
  };
}

/** The layout folders of some paths, sorted. */
export function foldersOf(paths: string[]): string[] {
  const folders = new Set<string>();
  for (const p of paths) {
    const folder = folderOfPath(p);
    if (folder) folders.add(folder.folder);
  }
  return [...folders].sort();
}

/** The change requests in the plugin's database. */
export class ChangeRequestStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records a published change request. A re-run of the same request (an
   * open one on the same branch) updates it; anything else is a new one.
   */
  async record(
    record: ChangeRequestRecord,
  ): Promise<{ id: string; created: boolean }> {
    const now = new Date();
    const fields = {
      template: record.template,
      requester: lower(record.requester),
      team: lower(record.team),
      title: record.title,
      provider: record.provider,
      forge_url: record.forgeUrl,
      number: record.number ?? null,
      paths: JSON.stringify([...record.paths].sort()),
      base_commit: record.baseCommit,
      head_commit: record.headCommit,
      task_id: record.taskId ?? null,
      updated_at: now,
    };
    const folders = foldersOf(record.paths);
    return this.db.transaction(async tx => {
      const open = record.merged
        ? undefined
        : await tx(TABLE)
            .where({ branch: record.branch, state: 'open' })
            .first('id');
      const id: string = open?.id ?? crypto.randomUUID();
      if (open) {
        await tx(TABLE).where({ id }).update(fields);
        await tx(FOLDERS).where({ change_request_id: id }).delete();
      } else {
        await tx(TABLE).insert({
          id,
          ...fields,
          branch: record.branch,
          state: record.merged ? 'merged' : 'open',
          created_at: now,
          closed_at: record.merged ? now : null,
        });
      }
      if (folders.length > 0) {
        await tx(FOLDERS).insert(
          folders.map(folder => ({ change_request_id: id, folder })),
        );
      }
      return { id, created: !open };
    });
  }

  async list(
    query: ChangeRequestQuery,
  ): Promise<{ items: StoredChangeRequest[]; totalCount: number }> {
    const base = this.db(TABLE).where(q => {
      if (query.permission) applyFilter(q, query.permission);
      if (query.filter) applyFilter(q, query.filter);
      if (query.states?.length) q.whereIn('state', query.states);
      if (query.id) q.where('id', query.id);
      if (query.folders) {
        q.whereIn(
          'id',
          this.db(FOLDERS)
            .select('change_request_id')
            .whereIn('folder', query.folders),
        );
      }
    });
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows: Row[] = await base
      .clone()
      .select('*')
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0);
    return {
      items: await this.#withFolders(rows),
      totalCount: Number(count),
    };
  }

  async #withFolders(rows: Row[]): Promise<StoredChangeRequest[]> {
    const ids = rows.map(r => r.id);
    const links: Row[] = ids.length
      ? await this.db(FOLDERS).whereIn('change_request_id', ids)
      : [];
    return rows.map(row =>
      fromRow(
        row,
        links
          .filter(l => l.change_request_id === row.id)
          .map(l => l.folder)
          .sort(),
      ),
    );
  }

  /** Every change request the poller still follows. */
  async following(deployWatchSince: Date): Promise<StoredChangeRequest[]> {
    const rows: Row[] = await this.db(TABLE)
      .where('state', 'open')
      .orWhere(q =>
        q
          .where('state', 'merged')
          .andWhere('closed_at', '>=', deployWatchSince),
      )
      .orderBy('updated_at');
    return this.#withFolders(rows);
  }

  /** What the poller saw at the provider. */
  async update(
    id: string,
    change: {
      state?: ChangeRequestState;
      headCommit?: string;
      checks?: ChangeRequestChecks | null;
      deployStatus?: DeployStatus;
    },
  ): Promise<void> {
    const now = new Date();
    await this.db(TABLE)
      .where({ id })
      .update({
        ...(change.state && {
          state: change.state,
          closed_at: change.state === 'open' ? null : now,
        }),
        ...(change.headCommit && { head_commit: change.headCommit }),
        ...(change.checks !== undefined && { checks: change.checks }),
        ...(change.deployStatus && { deploy_status: change.deployStatus }),
        updated_at: now,
      });
  }
}
