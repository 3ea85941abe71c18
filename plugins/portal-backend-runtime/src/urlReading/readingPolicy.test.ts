import { ConfigReader } from '@backstage/config';
import { guardedLookup, refuseAddress } from './guardedLookup';
import { isInternalAddress } from './internalAddresses';
import { ReadingPolicy } from './readingPolicy';

describe('isInternalAddress', () => {
  it.each([
    '0.0.0.0',
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '0:0:0:0:0:ffff:7f00:1',
    '::ffff:10.0.0.1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
  ])('%s is internal', address => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '140.82.112.3',
    '172.32.0.1',
    '192.169.0.1',
    '2606:4700::1111',
    '64:ff9b::808:808',
  ])('%s is public', address => {
    expect(isInternalAddress(address)).toBe(false);
  });
});

describe('ReadingPolicy', () => {
  const policy = ReadingPolicy.fromConfig(
    new ConfigReader({
      integrations: {
        gitea: [{ host: '127.0.0.1:3000', baseUrl: 'http://127.0.0.1:3000' }],
        github: [
          { host: 'localhost', apiBaseUrl: 'https://10.0.0.5:8443/api/v3' },
        ],
        googleGcs: { clientEmail: 'x@example.com' },
      },
      backend: {
        reading: {
          allow: [
            { host: 'localhost:5000' },
            { host: '*.localhost' },
            { host: 'localhost:1024-65535' },
          ],
        },
      },
    }),
  );

  it.each([
    ['127.0.0.1', 3000, '127.0.0.1'],
    ['localhost', 443, '::1'],
    ['localhost', 80, '127.0.0.1'],
    ['10.0.0.5', 8443, '10.0.0.5'],
    ['localhost', 5000, '127.0.0.1'],
  ])('lets %s:%s, configured for reading, be at %s', (host, port, address) => {
    expect(() => policy.check(host, port, [address])).not.toThrow();
  });

  it.each([
    ['127.0.0.1', 3001, '127.0.0.1'],
    ['127.0.0.1', 80, '127.0.0.1'],
    ['10.0.0.5', 443, '10.0.0.5'],
    ['::1', 3000, '::1'],
    ['localhost', 8080, '127.0.0.1'],
    ['api.localhost', 443, '127.0.0.1'],
    ['metadata.example.com', 80, '169.254.169.254'],
    ['rebinding.example.com', 443, '93.184.216.34,10.1.2.3'],
  ])('refuses %s:%s at %s, not configured', (host, port, addresses) => {
    expect(() => policy.check(host, port, addresses.split(','))).toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message: expect.stringContaining('which is not a public address'),
      }),
    );
  });

  it('lets any host at public addresses through', () => {
    expect(() =>
      policy.check('codeload.github.com', 443, ['140.82.112.10']),
    ).not.toThrow();
  });
});

describe('guardedLookup and refuseAddress', () => {
  const policy = ReadingPolicy.fromConfig(
    new ConfigReader({
      backend: { reading: { allow: [{ host: 'localhost:5000' }] } },
    }),
  );
  const lookup = (host: string, port: number, all: boolean) =>
    new Promise((resolve, reject) =>
      guardedLookup(policy, port)(host, { all }, (error, address) =>
        error ? reject(error) : resolve(address),
      ),
    );

  it('resolves a name and hands back only checked addresses', async () => {
    const all = (await lookup('localhost', 5000, true)) as Array<{
      address: string;
    }>;
    expect(all.length).toBeGreaterThan(0);
    expect(all.every(a => isInternalAddress(a.address))).toBe(true);
    expect(
      isInternalAddress((await lookup('localhost', 5000, false)) as string),
    ).toBe(true);
  });

  it('refuses a name that resolves to an internal address', async () => {
    await expect(lookup('localhost', 5001, true)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('checks hosts that are addresses, which Node does not look up', () => {
    expect(refuseAddress(policy, '[::1]', 5001)?.name).toBe('NotAllowedError');
    expect(refuseAddress(policy, '127.0.0.1', 5001)?.name).toBe(
      'NotAllowedError',
    );
    expect(refuseAddress(policy, '8.8.8.8', 443)).toBeUndefined();
    expect(refuseAddress(policy, 'localhost', 5001)).toBeUndefined();
  });
});
