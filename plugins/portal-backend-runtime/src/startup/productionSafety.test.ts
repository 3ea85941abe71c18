import { findDangerousSwitches } from './productionSafety';

describe('findDangerousSwitches', () => {
  it('finds switches by name at any depth, in arrays too', () => {
    expect(
      findDangerousSwitches({
        backend: { auth: { dangerouslyDisableDefaultAuthPolicy: true } },
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'config', dangerouslyAllowSkipTLSVerify: 'true' },
          ],
        },
        techdocs: {
          generator: {
            mkdocs: { dangerouslyAllowAdditionalPlugins: ['mermaid'] },
          },
        },
        some: { future: { DangerouslyDoSomething: { enabled: true } } },
      }),
    ).toEqual([
      'backend.auth.dangerouslyDisableDefaultAuthPolicy',
      'kubernetes.clusterLocatorMethods.0.dangerouslyAllowSkipTLSVerify',
      'techdocs.generator.mkdocs.dangerouslyAllowAdditionalPlugins',
      'some.future.DangerouslyDoSomething',
    ]);
  });

  it('finds a value that is itself the switch', () => {
    expect(
      findDangerousSwitches({
        proxy: {
          endpoints: {
            '/x': { credentials: 'dangerously-allow-unauthenticated' },
            '/y': { credentials: 'require' },
          },
        },
      }),
    ).toEqual([
      'proxy.endpoints./x.credentials: dangerously-allow-unauthenticated',
    ]);
  });

  it('ignores switches that are off', () => {
    expect(
      findDangerousSwitches({
        a: { dangerouslyA: false, dangerouslyB: 'false', dangerouslyC: '' },
        b: { dangerouslyD: [], dangerouslyE: {}, dangerouslyF: 0 },
        c: { dangerouslyG: null },
      }),
    ).toEqual([]);
  });
});
