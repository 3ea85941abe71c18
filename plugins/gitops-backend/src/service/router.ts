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
import Router from 'express-promise-router';
import { z } from 'zod';
import { ChangeRequestStore } from '../store/ChangeRequestStore';
import { ChangeRequestFilter } from '../store/filters';
import { EntityFolders } from './entityFolders';
import { changeRequestFiles } from './files';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  store: ChangeRequestStore;
  gitops: GitopsService;
  entityFolders: EntityFolders;
  /** What the caller may read; undefined for everything. */
  readAccess: (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ) => Promise<ChangeRequestFilter | undefined>;
  /** Records a published change request; the scaffolder calls it. */
  recordRoute: express.RequestHandler;
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
 * The change-request API, `/api/gitops`: reads for signed-in users, each
 * answer limited to what the permission policy lets them read.
 */
export function createRouter(options: RouterOptions): express.Router {
  const { httpAuth, userInfo, store, entityFolders } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  async function reader(req: express.Request) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, permission: await options.readAccess(credentials) };
  }

  /** mine: asked by the caller; team: for one of the caller's groups. */
  async function scopeFilter(
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
      const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
      const groups = ownershipEntityRefs.filter(r => r.startsWith('group:'));
      return { column: 'team', values: groups };
    }
    return undefined;
  }

  router.get('/change-requests', async (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    const { credentials, permission } = await reader(req);
    const scope = await scopeFilter(query.scope, credentials);
    const entity = query.entityRef
      ? await entityFolders.forEntity(query.entityRef, credentials)
      : undefined;
    const parts = [scope, entity?.teamFilter].filter(
      (f): f is ChangeRequestFilter => f !== undefined,
    );
    res.json(
      await store.list({
        permission,
        filter: parts.length > 0 ? { allOf: parts } : undefined,
        folders: entity?.teamFilter ? undefined : entity?.folders,
        states: query.state ? [query.state] : undefined,
        limit: query.limit,
        offset: query.offset,
      }),
    );
  });

  async function readable(req: express.Request) {
    const id = parse(z.string().uuid(), req.params.id, 'change request id');
    const { permission } = await reader(req);
    const [found] = (await store.list({ permission, id, limit: 1 })).items;
    if (!found) {
      // The same answer whether it is missing or not for this caller.
      throw new NotFoundError(`No change request ${id}`);
    }
    return found;
  }

  router.get('/change-requests/:id', async (req, res) => {
    res.json(await readable(req));
  });

  router.get('/change-requests/:id/files', async (req, res) => {
    const request = await readable(req);
    res.json(await changeRequestFiles(options.gitops.repository(), request));
  });

  router.get('/entity-summary', async (req, res) => {
    const entityRef = parse(
      z.string().min(1).max(300),
      req.query.entityRef,
      'entityRef',
    );
    const { credentials, permission } = await reader(req);
    const entity = await entityFolders.forEntity(entityRef, credentials);
    const team = entity.teamFilter;
    const folders = team ? undefined : entity.folders;
    const [open, merged] = await Promise.all([
      store.list({
        permission,
        filter: team,
        folders,
        states: ['open'],
        limit: 20,
      }),
      store.list({
        permission,
        filter: team,
        folders,
        states: ['merged'],
        limit: 1,
      }),
    ]);
    res.json({
      folder: entity.folders[0],
      folderUrl: entity.folderUrl,
      openChangeRequests: open.items,
      lastMerged: merged.items[0],
    });
  });

  router.post('/change-requests', options.recordRoute);
  return router;
}
