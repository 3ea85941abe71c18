import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import gitopsModule from '@internal/plugin-scaffolder-backend-module-gitops';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { readTree } from './files';

/** The files of a template folder, as the dry-run API takes them. */
async function templateContents(templateDir: string) {
  return [...(await readTree(templateDir))]
    .filter(([file]) => !file.startsWith('fixtures/'))
    .map(([file, content]) => ({
      path: file,
      base64Content: Buffer.from(content).toString('base64'),
    }));
}

/** Reads a template's entity from `<templateDir>/template.yaml`. */
export function readTemplate(templateDir: string): Entity {
  return parse(
    fs.readFileSync(path.join(templateDir, 'template.yaml'), 'utf8'),
  );
}

/** The outcome of one scaffolder run. */
export type RunResult =
  | {
      ok: true;
      /** The workspace after the last step (dry run only). */
      workspace: Map<string, string>;
      output: Record<string, unknown>;
      log: string[];
    }
  | {
      ok: false;
      /** Why the scaffolder refused or failed, for a person. */
      message: string;
      log: string[];
    };

/** A result of a task run through the task API. */
export interface TaskRunResult {
  status: string;
  output?: Record<string, any>;
  /** Milliseconds from the task's creation to its completion. */
  durationMs: number;
  /** Milliseconds each step took, by step id. */
  steps: Record<string, number>;
  log: string[];
}

/** The real scaffolder backend with the GitOps actions, in process. */
export interface ScaffolderHarness {
  /** Runs a template through `POST /api/scaffolder/v2/dry-run`. */
  dryRun(
    templateDir: string,
    values: Record<string, unknown>,
  ): Promise<RunResult>;
  /**
   * Runs a template from the (mock) catalog as a real task, through
   * `POST /api/scaffolder/v2/tasks`, and waits for it to end.
   */
  runTask(
    templateName: string,
    values: Record<string, unknown>,
  ): Promise<TaskRunResult>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** App-config of the backend (the GitOps repository settings). */
  config: JsonObject;
  /** Template folders to put in the catalog for `runTask`. */
  templateDirs?: string[];
}

const userHeader = mockCredentials.user.header('user:default/guest');

function describeErrors(body: any): string {
  if (Array.isArray(body?.errors)) {
    return body.errors
      .map((e: any) => e.stack ?? `${e.property} ${e.message}`)
      .join('\n');
  }
  return body?.error?.message ?? JSON.stringify(body);
}

/**
 * Starts the scaffolder plugin with the GitOps module, a mock catalog and
 * mock auth (every request is the guest user, every permission allowed:
 * the portal's policy is tested elsewhere).
 */
export async function startHarness(
  options: HarnessOptions,
): Promise<ScaffolderHarness> {
  const entities = (options.templateDirs ?? []).map(dir => {
    const entity = readTemplate(dir);
    const location = `file:${path.resolve(dir, 'template.yaml')}`;
    entity.metadata.annotations = {
      ...entity.metadata.annotations,
      'backstage.io/managed-by-location': location,
      'backstage.io/managed-by-origin-location': location,
    };
    return entity;
  });
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      gitopsModule,
      mockServices.rootConfig.factory({ data: options.config }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  const { server } = backend;

  return {
    async dryRun(templateDir, values) {
      const response = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set('Authorization', userHeader)
        .send({
          template: readTemplate(templateDir),
          values,
          directoryContents: await templateContents(templateDir),
        });
      const log: string[] = (response.body?.log ?? []).map(
        (l: any) => l.body?.message ?? '',
      );
      if (response.status !== 200) {
        return { ok: false, message: describeErrors(response.body), log };
      }
      const workspace = new Map<string, string>();
      for (const file of response.body.directoryContents) {
        workspace.set(
          file.path,
          Buffer.from(file.base64Content, 'base64').toString('utf8'),
        );
      }
      return { ok: true, workspace, output: response.body.output, log };
    },

    async runTask(templateName, values) {
      const started = Date.now();
      const created = await request(server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', userHeader)
        .send({ templateRef: `template:default/${templateName}`, values });
      if (created.status !== 201) {
        throw new Error(
          `task not created (${created.status}): ${describeErrors(
            created.body,
          )}`,
        );
      }
      const id = created.body.id;
      const log: string[] = [];
      const stepStarts = new Map<string, number>();
      const steps: Record<string, number> = {};
      let after: number | undefined;
      // The events endpoint long-polls, so this loop does not spin.
      for (;;) {
        const events = await request(server)
          .get(`/api/scaffolder/v2/tasks/${id}/events`)
          .query(after === undefined ? {} : { after })
          .set('Authorization', userHeader);
        for (const event of events.body as any[]) {
          after = event.id;
          const { stepId, status, message, output } = event.body ?? {};
          if (message) {
            log.push(message);
          }
          const at = Date.parse(event.createdAt);
          if (stepId && status === 'processing') {
            stepStarts.set(stepId, at);
          } else if (stepId && stepStarts.has(stepId) && status) {
            steps[stepId] = at - stepStarts.get(stepId)!;
          }
          if (event.type === 'completion') {
            const task = await request(server)
              .get(`/api/scaffolder/v2/tasks/${id}`)
              .set('Authorization', userHeader);
            return {
              status: task.body.status,
              output,
              durationMs: Date.now() - started,
              steps,
              log,
            };
          }
        }
      }
    },

    async stop() {
      await backend.stop();
    },
  };
}
