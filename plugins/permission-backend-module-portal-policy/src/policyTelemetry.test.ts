import { AuditorService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { tracingServiceMock } from '@backstage/backend-test-utils/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  actionExecutePermission,
  taskCreatePermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { Permission } from '@backstage/plugin-permission-common';
import { recordMetrics } from '@internal/stand-ins';
import { PolicyTelemetry } from './policyTelemetry';
import { PortalPolicy } from './portalPolicy';

const DEVELOPER = 'user:default/dev';

const auditor: AuditorService = {
  createEvent: async () => ({ success: async () => {}, fail: async () => {} }),
};

function setup() {
  const recorder = recordMetrics();
  const tracing = tracingServiceMock.mock();
  const policy = new PortalPolicy({
    bindings: [{ role: 'developer', groups: ['group:default/devs'] }],
    auditor,
    telemetry: new PolicyTelemetry(recorder.meter, tracing),
  });
  const decide = (permission: Permission, signedIn = true) =>
    policy.handle(
      { permission } as Parameters<PortalPolicy['handle']>[0],
      signedIn
        ? {
            credentials: mockCredentials.user(DEVELOPER),
            info: {
              userEntityRef: DEVELOPER,
              ownershipEntityRefs: [DEVELOPER, 'group:default/devs'],
            },
          }
        : undefined,
    );
  return { recorder, tracing, decide };
}

describe('PolicyTelemetry', () => {
  it('counts and times every decision by result and deciding role', async () => {
    const { recorder, decide } = setup();
    await decide(taskCreatePermission);
    await decide(taskCreatePermission);
    await decide(actionExecutePermission);
    await decide(kubernetesProxyPermission);
    await decide(taskCreatePermission, false);

    const decisions = await recorder.points('portal.permission.decisions');
    expect(decisions).toEqual(
      expect.arrayContaining([
        { attributes: { result: 'ALLOW', role: 'developer' }, value: 2 },
        { attributes: { result: 'CONDITIONAL', role: 'developer' }, value: 1 },
        // Default deny: no role decided.
        { attributes: { result: 'DENY', role: 'none' }, value: 2 },
      ]),
    );
    expect(decisions).toHaveLength(3);

    const durations = await recorder.points(
      'portal.permission.decision.duration',
    );
    expect(durations.map(p => [p.attributes, p.value])).toEqual(
      expect.arrayContaining([
        [{ result: 'ALLOW', role: 'developer' }, 2],
        [{ result: 'DENY', role: 'none' }, 2],
      ]),
    );
    for (const point of durations) {
      expect(point.sum).toBeGreaterThan(0);
    }
    expect(
      await recorder.descriptor('portal.permission.decision.duration'),
    ).toMatchObject({ type: 'HISTOGRAM', unit: 'ms' });
    expect(
      await recorder.descriptor('portal.permission.decisions'),
    ).toMatchObject({ type: 'SUM' });
  });

  it('runs each decision in a span with the permission, result and role', async () => {
    const { tracing, decide } = setup();
    await decide(actionExecutePermission);
    expect(tracing.startActiveSpan).toHaveBeenCalledWith(
      'portal.permission.decide',
      expect.objectContaining({
        attributes: { 'portal.permission.name': actionExecutePermission.name },
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ userEntityRef: DEVELOPER }),
        }),
      }),
      expect.any(Function),
    );
    const [span] = tracing.spans;
    expect(span.setAttribute).toHaveBeenCalledWith(
      'portal.permission.result',
      'CONDITIONAL',
    );
    expect(span.setAttribute).toHaveBeenCalledWith(
      'portal.permission.role',
      'developer',
    );
  });
});
