import { waitFor } from '@internal/test-harness';

/** How a scaffolder task ended, with the messages of its log. */
export interface TaskOutcome {
  id: string;
  status: string;
  output: Record<string, any>;
  log: string[];
}

/**
 * Starts a task of a template from the catalog as the token's user, and
 * waits (bounded) for it to end. A refusal before the task exists
 * (permission, schema) comes back as the HTTP status.
 */
export async function runTask(
  baseUrl: string,
  token: string,
  templateName: string,
  values: Record<string, unknown>,
): Promise<TaskOutcome | { refused: number; body: string }> {
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const created = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      templateRef: `template:default/${templateName}`,
      values,
    }),
  });
  if (created.status !== 201) {
    return { refused: created.status, body: await created.text() };
  }
  const { id } = await created.json();
  let task: any;
  await waitFor(
    `task ${id} of ${templateName}`,
    async () => {
      const res = await fetch(`${baseUrl}/api/scaffolder/v2/tasks/${id}`, {
        headers,
      });
      task = await res.json();
      return ['completed', 'failed', 'cancelled'].includes(task.status);
    },
    { attempts: 240, intervalMs: 500 },
  );
  const events = await fetch(
    `${baseUrl}/api/scaffolder/v2/tasks/${id}/events`,
    { headers },
  ).then(r => r.json());
  return {
    id,
    status: task.status,
    output:
      events.find((e: any) => e.type === 'completion')?.body?.output ?? {},
    log: events.map((e: any) => e.body?.message ?? '').filter(Boolean),
  };
}
