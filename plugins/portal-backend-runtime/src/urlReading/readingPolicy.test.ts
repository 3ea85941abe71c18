import { ConfigReader } from '@backstage/config';
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
    ['127.0.0.1', 3000],
    ['localhost', 443],
    ['localhost', 80],
    ['10.0.0.5', 8443],
    ['localhost', 5000],
  ])('lets %s:%s, configured for reading, be internal', async (host, port) => {
    expect(isInternalAddress(await policy.resolve(host, port))).toBe(true);
  });

  it.each([
    ['127.0.0.1', 3001],
    ['127.0.0.1', 80],
    ['10.0.0.5', 443],
    ['[::1]', 3000],
    ['localhost', 8080],
    ['169.254.169.254', 80],
  ])(
    'refuses %s:%s, which is internal and not configured',
    async (host, port) => {
      await expect(policy.resolve(host, port)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('which is not a public address'),
      });
    },
  );

  it('lets a public address through', async () => {
    await expect(policy.resolve('8.8.8.8', 443)).resolves.toBe('8.8.8.8');
  });
});
