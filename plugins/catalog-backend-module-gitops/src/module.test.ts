import crypto from 'node:crypto';
import {
  createServiceFactory,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import eventsPlugin from '@backstage/plugin-events-backend';
import request from 'supertest';
import { serviceFiles } from './__testUtils__/fixtures';
import {
  startGitopsRepository,
  TestGitopsRepository,
} from './__testUtils__/gitopsRepository';
import { catalogModuleGitops } from './module';
import { eventsModuleGitopsWebhook } from './webhookModule';

const SECRET = 'module-test-webhook-secret';

function sign(body: string, secret = SECRET) {
  return `sha256=${crypto
    .createHmac('sha256', secret)
    .update(body)
    .digest('hex')}`;
}

async function waitFor(check: () => boolean, what: string) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

jest.setTimeout(60_000);

describe('catalogModuleGitops with the plain-Git webhook', () => {
  let repo: TestGitopsRepository;

  beforeEach(async () => {
    repo = await startGitopsRepository(serviceFiles('team-payments', 'api'));
  });

  afterEach(() => repo.stop());

  async function start(config: object) {
    const providers: EntityProvider[] = [];
    const processors: CatalogProcessor[] = [];
    const events = mockServices.events();
    const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
    const scheduler = mockServices.scheduler.mock({
      createScheduledTaskRunner: schedule => ({
        run: async task => {
          tasks.push({ ...task, ...schedule });
        },
      }),
    });
    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addProcessor: (...p: CatalogProcessor[]) => processors.push(...p),
            addEntityProvider: (...p: EntityProvider[]) => providers.push(...p),
            addPlaceholderResolver: () => {},
            setOnProcessingErrorHandler: () => {},
          },
        ],
      ],
      features: [
        catalogModuleGitops,
        eventsPlugin,
        eventsModuleGitopsWebhook,
        // One bus for the events plugin and the catalog module, as the
        // events backend makes it in a real backend.
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
        scheduler.factory,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return { backend, providers, processors, tasks, scheduler };
  }

  const config = (overrides: object = {}) => ({
    gitops: { ...repo.config(), ...overrides },
    catalog: {
      providers: {
        gitops: {
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
        },
      },
    },
    events: { modules: { gitops: { webhookSecret: SECRET } } },
  });

  it('asks the scheduler for a run of its global task at start-up and on a signed push to the base branch, and on nothing else', async () => {
    const { backend, providers, processors, tasks, scheduler } = await start(
      config(),
    );
    expect(processors.map(p => p.getProcessorName())).toEqual([
      'GitopsCatalogErrorProcessor',
    ]);
    const [provider] = providers;
    const mutations: EntityProviderMutation[] = [];
    await provider.connect({
      applyMutation: async m => {
        mutations.push(m);
      },
      refresh: async () => {},
    });
    expect(tasks).toMatchObject([
      {
        id: 'gitops-repository:refresh',
        frequency: { hours: 1 },
        scope: 'global',
      },
    ]);
    // The catch-up at start-up goes through the scheduler too.
    await waitFor(
      () => scheduler.triggerTask.mock.calls.length === 1,
      'the start-up trigger',
    );
    expect(mutations).toEqual([]);
    await tasks[0].fn(new AbortController().signal);
    expect(mutations).toMatchObject([{ type: 'full' }]);

    await repo.push({ files: serviceFiles('team-payments', 'refunds') });
    const post = (payload: object, headers: Record<string, string> = {}) => {
      const body = JSON.stringify(payload);
      return request(backend.server)
        .post('/api/events/http/gitops')
        .set('content-type', 'application/json')
        .set({ 'x-hub-signature-256': sign(body), ...headers })
        .send(body);
    };
    const repository = { clone_url: repo.config().repoUrl };
    // Another branch, another repository, another event: no run.
    for (const ignored of [
      post({ ref: 'refs/heads/feature', repository }),
      post({
        ref: 'refs/heads/main',
        repository: { clone_url: 'http://127.0.0.1:1/other.git' },
      }),
      post(
        { ref: 'refs/heads/main', repository },
        { 'x-gitea-event': 'create' },
      ),
    ]) {
      expect((await ignored).status).toBe(202);
    }
    await new Promise(r => setTimeout(r, 500));
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);

    expect((await post({ ref: 'refs/heads/main', repository })).status).toBe(
      202,
    );
    await waitFor(
      () => scheduler.triggerTask.mock.calls.length === 2,
      'a trigger after the push',
    );
    expect(scheduler.triggerTask).toHaveBeenLastCalledWith(
      'gitops-repository:refresh',
    );
    // The provider never ran by itself: the scheduler's run does it.
    expect(mutations).toHaveLength(1);
    await tasks[0].fn(new AbortController().signal);
    expect(mutations[1]).toMatchObject({
      type: 'delta',
      added: [{ entity: { metadata: { name: 'refunds' } } }],
    });
    await backend.stop();
  });

  it('refuses unsigned, forged and malformed webhook requests, which change nothing', async () => {
    const { backend, scheduler } = await start(config());
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const post = () =>
      request(backend.server)
        .post('/api/events/http/gitops')
        .set('content-type', 'application/json');

    expect((await post().send(body)).status).toBe(401);
    expect(
      (
        await post()
          .set('x-hub-signature-256', sign(body, 'guessed'))
          .send(body)
      ).status,
    ).toBe(401);
    // A signed body changed on the way.
    expect(
      (
        await post()
          .set('x-hub-signature-256', sign(body))
          .send(body.replace('main', 'mainx'))
      ).status,
    ).toBe(401);
    expect(
      (await post().set('x-hub-signature-256', 'sha256=zz').send(body)).status,
    ).toBe(401);
    expect(
      (await post().set('x-gitea-signature', sign(body).slice(7)).send(body))
        .status,
    ).toBe(202);
    const broken = '{"ref": ';
    expect(
      (await post().set('x-hub-signature-256', sign(broken)).send(broken))
        .status,
    ).toBe(400);
    // Not one of them asked for a run.
    expect(scheduler.triggerTask).not.toHaveBeenCalled();
    await backend.stop();
  });

  it('serves no plain-Git webhook without a secret or for another provider', async () => {
    for (const overrides of [
      { events: {} },
      { gitops: { ...repo.config(), provider: 'github' } },
    ]) {
      const { backend } = await start({ ...config(), ...overrides });
      const body = JSON.stringify({ ref: 'refs/heads/main' });
      const res = await request(backend.server)
        .post('/api/events/http/gitops')
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', sign(body))
        .send(body);
      expect(res.status).toBe(404);
      await backend.stop();
    }
  });

  it('adds no provider without a GitOps repository, and keeps the processor', async () => {
    const { backend, providers, processors } = await start({});
    expect(providers).toEqual([]);
    expect(processors).toHaveLength(1);
    await backend.stop();
  });
});
