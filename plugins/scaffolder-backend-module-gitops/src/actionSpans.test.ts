import { tracingServiceMock } from '@backstage/backend-test-utils/alpha';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { withActionSpan } from './actionSpans';

describe('withActionSpan', () => {
  it('runs every run of the action in a span naming the action, task, step and template', async () => {
    const tracing = tracingServiceMock.mock();
    const runs: string[] = [];
    const action = withActionSpan(
      createTemplateAction({
        id: 'gitops:test:action',
        supportsDryRun: true,
        async handler(ctx) {
          runs.push(ctx.task.id);
          if (ctx.step?.id === 'fails') throw new Error('step failed');
        },
      }),
      tracing,
    );
    expect(action.id).toBe('gitops:test:action');
    expect(action.supportsDryRun).toBe(true);

    const ctx = {
      ...createMockActionContext({
        task: { id: 'task-1' },
        templateInfo: { entityRef: 'template:default/deploy-service' },
      }),
      step: { id: 'publish' },
    };
    await action.handler(ctx);
    await expect(
      action.handler({ ...ctx, step: { id: 'fails' } }),
    ).rejects.toThrow('step failed');

    expect(runs).toEqual(['task-1', 'task-1']);
    expect(tracing.startActiveSpan).toHaveBeenCalledTimes(2);
    expect(tracing.startActiveSpan).toHaveBeenCalledWith(
      'scaffolder.action gitops:test:action',
      expect.objectContaining({
        attributes: {
          'scaffolder.action.id': 'gitops:test:action',
          'scaffolder.task.id': 'task-1',
          'scaffolder.step.id': 'publish',
          'scaffolder.template': 'template:default/deploy-service',
          'scaffolder.dry_run': false,
        },
      }),
      expect.any(Function),
    );
  });
});
