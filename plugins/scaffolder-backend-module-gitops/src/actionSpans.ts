import { TracingService } from '@backstage/backend-plugin-api/alpha';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * The action with each run in a `scaffolder.action <id>` span, with the
 * task, step and template it ran for. The scaffolder has no span of its
 * own per step, so this is where a slow golden path shows which step (and
 * within it, which git command) took the time.
 */
export function withActionSpan<A extends TemplateAction<any, any, any>>(
  action: A,
  tracing: TracingService,
): A {
  return {
    ...action,
    handler: ctx =>
      tracing.startActiveSpan(
        `scaffolder.action ${action.id}`,
        {
          kind: 'internal',
          attributes: {
            'scaffolder.action.id': action.id,
            'scaffolder.task.id': ctx.task.id,
            'scaffolder.step.id': ctx.step?.id,
            'scaffolder.template': ctx.templateInfo?.entityRef,
            'scaffolder.dry_run': Boolean(ctx.isDryRun),
          },
        },
        () => action.handler(ctx),
      ),
  };
}
