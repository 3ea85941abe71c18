import { ConfigReader } from '@backstage/config';
import { readGitopsConfig } from './config';

function mirrorOf(data: object) {
  return readGitopsConfig(new ConfigReader(data))!.mirrorDirectory;
}

describe('readGitopsConfig mirrorDirectory', () => {
  const gitops = { repoUrl: 'https://git.example.com/platform/gitops.git' };

  it('gives two backends on one machine their own default mirror', () => {
    const first = mirrorOf({ gitops, backend: { listen: { port: 7007 } } });
    const second = mirrorOf({ gitops, backend: { listen: { port: 7008 } } });
    expect(first).not.toEqual(second);
    // A restart of the same backend finds its mirror again.
    expect(mirrorOf({ gitops, backend: { listen: { port: 7007 } } })).toEqual(
      first,
    );
  });

  it('keeps a configured mirror folder as it is', () => {
    expect(
      mirrorOf({ gitops: { ...gitops, mirrorDirectory: '/data/m' } }),
    ).toBe('/data/m');
  });
});
