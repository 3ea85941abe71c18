import { globMeetsPrefix, matchesGlob } from './glob';

describe('matchesGlob', () => {
  it.each([
    ['services/*/*/overlays/*', 'services/a/b/overlays/prod', true],
    ['services/*/*/overlays/*', 'services/a/b/base', false],
    ['services/*/*/overlays/*', 'services/a/b/c/overlays/prod', false],
    ['teams/*', 'teams/a/dev', false],
    ['teams/?', 'teams/a', true],
    ['teams/team-[a-c]*', 'teams/team-b1', true],
    ['teams/team-[!a-c]*', 'teams/team-b1', false],
    ['a.b+c', 'a.b+c', true],
    ['a.b', 'axb', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['[', '[', true],
  ])('with / as separator: %s on %s is %s', (glob, text, expected) => {
    expect(matchesGlob(glob, text, { separator: '/' })).toBe(expected);
  });

  it('lets * cross / without a separator, and expands braces only when asked', () => {
    expect(matchesGlob('a*', 'a/b/c')).toBe(true);
    expect(matchesGlob('{x,y}-dev', 'y-dev', { braces: true })).toBe(true);
    expect(matchesGlob('{x,y}-dev', 'y-dev')).toBe(false);
    expect(matchesGlob('{x,y}-dev', '{x,y}-dev')).toBe(true);
    expect(matchesGlob('{a,{b,c}}', 'c', { braces: true })).toBe(true);
  });

  it('refuses brace bombs', () => {
    expect(() =>
      matchesGlob('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}', 'a', { braces: true }),
    ).toThrow(/too many alternatives/);
  });
});

describe('globMeetsPrefix', () => {
  it.each([
    ['*', 'kube-', true],
    ['k*', 'kube-', true],
    ['kube-system', 'kube-', true],
    ['k?be-x', 'kube-', true],
    ['[jk]ube', 'kube-', false],
    ['[jk]ube-*', 'kube-', true],
    ['team-*', 'kube-', false],
    ['ku', 'kube-', false],
  ])('%s meets %s: %s', (glob, prefix, expected) => {
    expect(globMeetsPrefix(glob, prefix)).toBe(expected);
  });
});
