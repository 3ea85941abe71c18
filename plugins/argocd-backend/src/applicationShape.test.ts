import {
  ArgoCdApplication,
  applicationEnvironment,
  cardApplication,
} from './applicationShape';

describe('cardApplication', () => {
  it('keeps what the card reads and drops everything else', () => {
    const source = {
      repoURL: 'https://git.example.com/gitops.git',
      path: 'apps/x',
      targetRevision: 'main',
      helm: { values: 'password: hunter2', parameters: [{ name: 'token' }] },
      plugin: { env: [{ name: 'API_KEY', value: 'k' }] },
    };
    const app = {
      metadata: {
        name: 'x',
        namespace: 'openshift-gitops',
        labels: { 'portal.platform/team': 'team-a' },
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
        },
        managedFields: [{}],
      },
      spec: { project: 'team-a', source, sources: [source] },
      status: {
        sync: { status: 'Synced', revision: 'abc', comparedTo: { source } },
        health: { status: 'Healthy', message: 'ok' },
        operationState: {
          phase: 'Succeeded',
          startedAt: 't0',
          finishedAt: 't1',
          message: 'error: secret "db" has password hunter2',
          syncResult: { resources: [] },
        },
        history: [{ id: 1, revision: 'abc', deployedAt: 't1', source }],
        resources: [{ kind: 'Secret', name: 'db' }],
        summary: { images: ['img:1'], externalURLs: ['https://internal'] },
      },
    };
    const card = cardApplication(app as unknown as ArgoCdApplication);
    const kept = {
      repoURL: source.repoURL,
      path: 'apps/x',
      targetRevision: 'main',
    };
    expect(card).toEqual({
      metadata: {
        name: 'x',
        namespace: 'openshift-gitops',
        labels: { 'portal.platform/team': 'team-a' },
      },
      spec: { project: 'team-a', source: kept, sources: [kept] },
      status: {
        sync: { status: 'Synced', revision: 'abc' },
        health: { status: 'Healthy' },
        operationState: {
          phase: 'Succeeded',
          startedAt: 't0',
          finishedAt: 't1',
        },
        history: [{ id: 1, revision: 'abc', deployedAt: 't1', source: kept }],
        summary: { images: ['img:1'] },
      },
    });
    expect(JSON.stringify(card)).not.toContain('hunter2');
  });
});

describe('applicationEnvironment', () => {
  const app = (name: string, labels?: Record<string, string>) => ({
    metadata: { name, labels },
  });

  it('reads the env label first, then a <team>.<service>.<env> name', () => {
    expect(
      applicationEnvironment(
        app('a.b.prod', { 'portal.platform/env': 'test' }),
      ),
    ).toBe('test');
    expect(applicationEnvironment(app('team-a.api.dev'))).toBe('dev');
    expect(applicationEnvironment(app('developer-portal'))).toBeUndefined();
  });
});
