import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ChangeRequestRecord,
  changeRequestPagePath,
} from '@internal/plugin-gitops-common';
import express from 'express';
import { z } from 'zod';
import { ChangeRequestStore } from '../store/ChangeRequestStore';

/** Only the scaffolder publishes change requests. */
const RECORDING_PLUGIN = 'plugin:scaffolder';

const ref = z.string().min(1).max(300);
const commit = z.string().regex(/^[0-9a-f]{40,64}$/);

const recordSchema: z.ZodType<ChangeRequestRecord> = z.object({
  template: ref,
  requester: ref,
  team: ref.regex(/^group:/i),
  title: z.string().min(1).max(500),
  provider: z.enum(['git', 'github', 'gitlab']),
  branch: z.string().min(1).max(250),
  forgeUrl: z.string().url().max(2000),
  number: z.number().int().positive().optional(),
  paths: z.array(z.string().min(1).max(1000)).min(1).max(10_000),
  baseCommit: commit,
  headCommit: commit,
  merged: z.boolean(),
  taskId: z.string().max(100).optional(),
});

/**
 * `POST /change-requests`: the scaffolder's publish action records what it
 * published. Only the scaffolder plugin's own credentials are accepted;
 * users (and every other plugin) are refused.
 */
export function createRecordRoute(options: {
  httpAuth: HttpAuthService;
  store: ChangeRequestStore;
  appBaseUrl: string;
  onRecorded?: (
    id: string,
    record: ChangeRequestRecord,
    created: boolean,
  ) => void;
}): express.RequestHandler {
  return async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['service'],
    });
    if (credentials.principal.subject !== RECORDING_PLUGIN) {
      throw new NotAllowedError(
        `Only ${RECORDING_PLUGIN} records change requests`,
      );
    }
    const parsed = recordSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new InputError(
        `Invalid change request record: ${parsed.error.issues
          .map(i => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
    }
    const { id, created } = await options.store.record(parsed.data);
    options.onRecorded?.(id, parsed.data, created);
    res.status(created ? 201 : 200).json({
      id,
      url: `${options.appBaseUrl.replace(/\/+$/, '')}${changeRequestPagePath(
        id,
      )}`,
    });
  };
}
