import { mockServices } from '@backstage/backend-test-utils';
import {
  ArgoCdStandIn,
  recordMetrics,
  startArgoCdStandIn,
} from '@internal/stand-ins';
import { ArgoCdClient } from './ArgoCdClient';
import { ArgoCdRequestMetrics } from './requestMetrics';

const TOKEN = 'metrics-test-token';

describe('ArgoCdRequestMetrics', () => {
  let argocd: ArgoCdStandIn;

  beforeAll(async () => {
    argocd = await startArgoCdStandIn({ token: TOKEN });
  });
  afterAll(() => argocd.close());

  it('counts and times every call to Argo CD by outcome', async () => {
    const recorder = recordMetrics();
    const client = new ArgoCdClient(
      { name: 'main', url: argocd.url, frontendUrl: argocd.url, token: TOKEN },
      300,
      mockServices.logger.mock(),
      new ArgoCdRequestMetrics(recorder.meter),
    );
    await client.getApplication('developer-portal');
    // Absent (Argo CD answers 403 or 404): a usable answer.
    await client.getApplication('nobody-has-this-one');
    argocd.setFault('error');
    await expect(client.listApplications({})).rejects.toThrow('answered 500');
    argocd.setFault('hang');
    await expect(client.listApplications({})).rejects.toThrow(
      'did not answer within 0.3 seconds',
    );
    argocd.setFault(undefined);

    expect(await recorder.points('portal.argocd.requests')).toEqual(
      expect.arrayContaining([
        { attributes: { outcome: 'ok' }, value: 2 },
        { attributes: { outcome: 'error' }, value: 1 },
        { attributes: { outcome: 'timeout' }, value: 1 },
      ]),
    );
    const durations = await recorder.points('portal.argocd.request.duration');
    const timeout = durations.find(p => p.attributes.outcome === 'timeout');
    expect(timeout?.sum).toBeGreaterThanOrEqual(290);
    expect(
      await recorder.descriptor('portal.argocd.request.duration'),
    ).toMatchObject({ type: 'HISTOGRAM', unit: 'ms' });
  });
});
