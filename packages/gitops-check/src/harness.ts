import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startCheckBackend } from './checkBackend';
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
   * Runs a template from the catalog as a real task, through
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
  /** Log level of the backend; default `warn`. */
  logLevel?: string;
}

/** How long the catalog may take to ingest the templates under check. */
const CATALOG_WAIT = { attempts: 240, intervalMs: 250 };

function describeErrors(body: any): string {
  if (Array.isArray(body?.errors)) {
    return body.errors
      .map((e: any) => e.stack ?? `${e.property} ${e.message}`)
      .join('\n');
  }
  return body?.error?.message ?? JSON.stringify(body);
}

type Call = (
  method: string,
  apiPath: string,
  body?: unknown,
) => Promise<{ status: number; body: any }>;

/** Calls the backend with the tool's own token. */
function client(baseUrl: string, token: string): Call {
  return async (method, apiPath, body) => {
    const response = await fetch(`${baseUrl}${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the error message
    }
    return { status: response.status, body: parsed };
  };
}

/** Waits (bounded) until the catalog holds every template by name. */
async function waitForTemplates(call: Call, names: string[]) {
  const missing = new Set(names);
  for (let i = 0; i < CATALOG_WAIT.attempts && missing.size > 0; i++) {
    for (const name of [...missing]) {
      const found = await call(
        'GET',
        `/api/catalog/entities/by-name/template/default/${name}`,
      );
      if (found.status === 200) missing.delete(name);
    }
    if (missing.size > 0) {
      await new Promise(r => setTimeout(r, CATALOG_WAIT.intervalMs));
    }
  }
  if (missing.size > 0) {
    throw new Error(
      `the catalog did not ingest ${[...missing].join(', ')} in time`,
    );
  }
}

async function dryRun(
  call: Call,
  templateDir: string,
  values: Record<string, unknown>,
): Promise<RunResult> {
  const response = await call('POST', '/api/scaffolder/v2/dry-run', {
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
}

async function runTask(
  call: Call,
  templateName: string,
  values: Record<string, unknown>,
): Promise<TaskRunResult> {
  const started = Date.now();
  const created = await call('POST', '/api/scaffolder/v2/tasks', {
    templateRef: `template:default/${templateName}`,
    values,
  });
  if (created.status !== 201) {
    throw new Error(
      `task not created (${created.status}): ${describeErrors(created.body)}`,
    );
  }
  const id = created.body.id;
  const log: string[] = [];
  const stepStarts = new Map<string, number>();
  const steps: Record<string, number> = {};
  let after: number | undefined;
  // The events endpoint long-polls, so this loop does not spin; the task
  // itself ends on its own (the GitOps actions bound every git command).
  for (;;) {
    const events = await call(
      'GET',
      `/api/scaffolder/v2/tasks/${id}/events${
        after === undefined ? '' : `?after=${after}`
      }`,
    );
    if (events.status !== 200) {
      throw new Error(`task ${id} events: ${describeErrors(events.body)}`);
    }
    for (const event of events.body as any[]) {
      after = event.id;
      const { stepId, status, message, output } = event.body ?? {};
      if (message) log.push(message);
      const at = Date.parse(event.createdAt);
      if (stepId && status === 'processing') {
        stepStarts.set(stepId, at);
      } else if (stepId && stepStarts.has(stepId) && status) {
        steps[stepId] = at - stepStarts.get(stepId)!;
      }
      if (event.type === 'completion') {
        const task = await call('GET', `/api/scaffolder/v2/tasks/${id}`);
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
}

/**
 * Starts the real scaffolder with the GitOps actions and the real catalog
 * holding the given templates (see `startCheckBackend`), and waits until
 * the catalog has them.
 */
export async function startHarness(
  options: HarnessOptions,
): Promise<ScaffolderHarness> {
  const templateDirs = options.templateDirs ?? [];
  const backend = await startCheckBackend({
    config: options.config,
    templateFiles: templateDirs.map(dir => path.join(dir, 'template.yaml')),
    logLevel: options.logLevel,
  });
  const call = client(backend.baseUrl, backend.token);
  try {
    await waitForTemplates(
      call,
      templateDirs.map(dir => readTemplate(dir).metadata.name),
    );
  } catch (error) {
    await backend.stop();
    throw error;
  }
  return {
    dryRun: (templateDir, values) => dryRun(call, templateDir, values),
    runTask: (templateName, values) => runTask(call, templateName, values),
    stop: () => backend.stop(),
  };
}
