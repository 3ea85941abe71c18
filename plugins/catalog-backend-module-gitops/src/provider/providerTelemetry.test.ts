import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { tracingServiceMock } from '@backstage/backend-test-utils/alpha';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createGitopsService } from '@internal/plugin-gitops-node';
import { recordMetrics } from '@internal/stand-ins';
import { serviceFiles, teamFiles } from '../__testUtils__/fixtures';
import { startGitopsRepository } from '../__testUtils__/gitopsRepository';
import { sqliteStore } from '../__testUtils__/providerStore';
import { GitopsEntityProvider } from './GitopsEntityProvider';
import { GitopsProviderTelemetry } from './providerTelemetry';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('GitopsProviderTelemetry', () => {
  it("counts and times the provider's runs, failed ones too, each in a span", async () => {
    const repo = await startGitopsRepository({
      ...teamFiles('team-payments'),
      ...serviceFiles('team-payments', 'payments-api'),
    });
    const recorder = recordMetrics();
    const tracing = tracingServiceMock.mock();
    const config = repo.config();
    const service = createGitopsService(
      config,
      ScmIntegrations.fromConfig(new ConfigReader({})),
    );
    const provider = new GitopsEntityProvider({
      gitops: config,
      repository: () => service.repository(),
      store: (await sqliteStore(databases)).store,
      logger: mockServices.logger.mock(),
      telemetry: new GitopsProviderTelemetry(recorder.meter, tracing),
    });
    await provider.connect({
      applyMutation: async () => {},
      refresh: async () => {},
    });
    // A full run, and one more.
    await provider.refresh();
    await provider.refresh();

    // The Git server goes away: the run fails, the catalog keeps its entities.
    await repo.stop();
    await expect(provider.refresh()).rejects.toThrow();

    expect(await recorder.points('portal.gitops.provider.runs')).toEqual(
      expect.arrayContaining([
        { attributes: { result: 'success' }, value: 2 },
        { attributes: { result: 'failure' }, value: 1 },
      ]),
    );
    const durations = await recorder.points(
      'portal.gitops.provider.run.duration',
    );
    expect(durations.map(p => [p.attributes.result, p.value])).toEqual(
      expect.arrayContaining([
        ['success', 2],
        ['failure', 1],
      ]),
    );
    expect(
      await recorder.descriptor('portal.gitops.provider.run.duration'),
    ).toMatchObject({ type: 'HISTOGRAM', unit: 's' });

    expect(tracing.startActiveSpan).toHaveBeenCalledTimes(3);
    expect(tracing.startActiveSpan).toHaveBeenCalledWith(
      'portal.gitops.provider.run',
      expect.anything(),
      expect.any(Function),
    );
    expect(tracing.spans[0].setAttribute).toHaveBeenCalledWith(
      'portal.gitops.run.kind',
      'full',
    );
  });
});
