import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { ChangeRequestState } from '@internal/plugin-gitops-common';
import { GitopsService } from '@internal/plugin-gitops-node';
import express from 'express';
import { z } from 'zod';
import { ChangeRequestStore } from '../store/ChangeRequestStore';
import { ChangeRequestFilter } from '../store/filters';
import { EntityFolders } from './entityFolders';
import { changeRequestFiles } from './files';

/** What the reads of the change-request API need. */
export interface ReadsOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  store: ChangeRequestStore;
  gitops: GitopsService;
  entityFolders: EntityFolders;
  /** What the caller may read; undefined for everything. */
  readAccess: (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ) => Promise<ChangeRequestFilter | undefined>;
}

const STATES: ChangeRequestState[] = ['open', 'merged', 'closed'];

const listQuery = z.object({
  scope: z.enum(['mine', 'team', 'all']).default('all'),
  state: z
    .enum(STATES as [ChangeRequestState, ...ChangeRequestState[]])
    .optional(),
  entityRef: z.string().min(1).max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${result.error.issues
        .map(i => `${i.path.join('.') || 'value'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/**
 * The reads of the change-request API, each answer limited to what the
 * permission policy lets the caller read.
 */
export class ChangeRequestReads {
  constructor(private readonly options: ReadsOptions) {}

  async #reader(req: express.Request) {
    const credentials = await this.options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    return {
      credentials,
      permission: await this.options.readAccess(credentials),
    };
  }

  /** mine: asked by the caller; team: for one of the caller's groups. */
  async #scopeFilter(
    scope: 'mine' | 'team' | 'all',
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<ChangeRequestFilter | undefined> {
    if (scope === 'mine') {
      return {
        column: 'requester',
        values: [credentials.principal.userEntityRef],
      };
    }
    if (scope === 'team') {
      const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
        credentials,
      );
      const groups = ownershipEntityRefs.filter(r => r.startsWith('group:'));
      return { column: 'team', values: groups };
    }
    return undefined;
  }

  /** `GET /change-requests`: a page of what the caller may read. */
  async list(req: express.Request) {
    const query = parse(listQuery, req.query, 'query');
    const { credentials, permission } = await this.#reader(req);
    const scope = await this.#scopeFilter(query.scope, credentials);
    const entity = query.entityRef
      ? await this.options.entityFolders.forEntity(query.entityRef, credentials)
      : undefined;
    const parts = [scope, entity?.teamFilter].filter(
      (f): f is ChangeRequestFilter => f !== undefined,
    );
    return this.options.store.list({
      permission,
      filter: parts.length > 0 ? { allOf: parts } : undefined,
      folders: entity?.teamFilter ? undefined : entity?.folders,
      states: query.state ? [query.state] : undefined,
      limit: query.limit,
      offset: query.offset,
    });
  }

  /** `GET /change-requests/:id`: one the caller may read, else 404. */
  async get(req: express.Request) {
    const id = parse(z.string().uuid(), req.params.id, 'change request id');
    const { permission } = await this.#reader(req);
    const [found] = (
      await this.options.store.list({ permission, id, limit: 1 })
    ).items;
    if (!found) {
      // The same answer whether it is missing or not for this caller.
      throw new NotFoundError(`No change request ${id}`);
    }
    return found;
  }

  /** `GET /change-requests/:id/files`: its files and diff. */
  async files(req: express.Request) {
    const request = await this.get(req);
    return changeRequestFiles(this.options.gitops.repository(), request);
  }

  /** `GET /entity-summary`: an entity's folder, open and last merged requests. */
  async entitySummary(req: express.Request) {
    const entityRef = parse(
      z.string().min(1).max(300),
      req.query.entityRef,
      'entityRef',
    );
    const { credentials, permission } = await this.#reader(req);
    const entity = await this.options.entityFolders.forEntity(
      entityRef,
      credentials,
    );
    const filter = entity.teamFilter;
    const folders = filter ? undefined : entity.folders;
    const { store } = this.options;
    const [open, merged] = await Promise.all([
      store.list({ permission, filter, folders, states: ['open'], limit: 20 }),
      store.list({ permission, filter, folders, states: ['merged'], limit: 1 }),
    ]);
    return {
      folder: entity.folders[0],
      folderUrl: entity.folderUrl,
      openChangeRequests: open.items,
      lastMerged: merged.items[0],
    };
  }
}
