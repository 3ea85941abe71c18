import { isBaseBranchPush } from './pushEvents';

const github = {
  repoUrl: 'https://github.example.com/platform/gitops.git',
  baseBranch: 'main',
};
const gitlab = {
  repoUrl: 'https://gitlab.example.com/platform/infra/gitops.git',
  baseBranch: 'production',
};

describe('isBaseBranchPush', () => {
  it('accepts a GitHub push to the base branch of the repository', () => {
    const payload = {
      ref: 'refs/heads/main',
      repository: {
        clone_url: 'https://github.example.com/Platform/GitOps.git',
        html_url: 'https://github.example.com/Platform/GitOps',
      },
    };
    expect(
      isBaseBranchPush({ topic: 'github.push', eventPayload: payload }, github),
    ).toBe(true);
    for (const other of [
      { ...payload, ref: 'refs/heads/feature' },
      { ...payload, ref: 'refs/tags/main' },
      {
        ...payload,
        repository: { clone_url: 'https://github.example.com/evil/gitops.git' },
      },
      { ref: 'refs/heads/main' },
      'refs/heads/main',
    ]) {
      expect(
        isBaseBranchPush({ topic: 'github.push', eventPayload: other }, github),
      ).toBe(false);
    }
    expect(
      isBaseBranchPush(
        { topic: 'github.issues', eventPayload: payload },
        github,
      ),
    ).toBe(false);
  });

  it('accepts a GitLab push to the base branch of the project', () => {
    const payload = {
      object_kind: 'push',
      ref: 'refs/heads/production',
      project: {
        git_http_url: 'https://gitlab.example.com/platform/infra/gitops.git',
        web_url: 'https://gitlab.example.com/platform/infra/gitops',
      },
    };
    expect(
      isBaseBranchPush({ topic: 'gitlab.push', eventPayload: payload }, gitlab),
    ).toBe(true);
    expect(
      isBaseBranchPush(
        {
          topic: 'gitlab.push',
          eventPayload: { ...payload, ref: 'refs/heads/main' },
        },
        gitlab,
      ),
    ).toBe(false);
  });

  it('takes only push events from the plain-Git webhook', () => {
    const config = {
      repoUrl: 'https://git.example.com/platform/gitops.git',
      baseBranch: 'main',
    };
    const eventPayload = {
      ref: 'refs/heads/main',
      repository: { clone_url: config.repoUrl },
    };
    expect(isBaseBranchPush({ topic: 'gitops', eventPayload }, config)).toBe(
      true,
    );
    expect(
      isBaseBranchPush(
        {
          topic: 'gitops',
          eventPayload,
          metadata: { 'x-gitea-event': 'push' },
        },
        config,
      ),
    ).toBe(true);
    expect(
      isBaseBranchPush(
        {
          topic: 'gitops',
          eventPayload,
          metadata: { 'x-forgejo-event': 'release' },
        },
        config,
      ),
    ).toBe(false);
  });
});
