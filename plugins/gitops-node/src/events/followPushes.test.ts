import { mockServices } from '@backstage/backend-test-utils';
import { followBaseBranchPushes } from './followPushes';

describe('followBaseBranchPushes', () => {
  it('acts on pushes to the base branch of the repository only', async () => {
    const events = mockServices.events();
    const onPush = jest.fn(async () => {});
    const gitops = {
      repoUrl: 'https://git.example.com/platform/gitops.git',
      baseBranch: 'main',
    };
    await followBaseBranchPushes({
      events,
      gitops,
      logger: mockServices.logger.mock(),
      subscriberId: 'test',
      onPush,
    });
    const repository = { clone_url: gitops.repoUrl };
    for (const [topic, eventPayload] of [
      ['gitops', { ref: 'refs/heads/feature', repository }],
      ['gitops', { ref: 'refs/heads/main', repository: { clone_url: 'x' } }],
      ['github.issues', { ref: 'refs/heads/main', repository }],
    ] as const) {
      await events.publish({ topic, eventPayload });
    }
    expect(onPush).not.toHaveBeenCalled();
    await events.publish({
      topic: 'github.push',
      eventPayload: { ref: 'refs/heads/main', repository },
    });
    expect(onPush).toHaveBeenCalledTimes(1);
  });
});
