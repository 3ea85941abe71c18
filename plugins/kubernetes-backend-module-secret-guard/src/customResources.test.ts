import { InputError } from '@backstage/errors';
import { asksForSecrets, checkCustomResources } from './customResources';

describe('checkCustomResources', () => {
  it('accepts resource lists of the core group and of named groups', () => {
    const matchers = [
      { group: '', apiVersion: 'v1', plural: 'pods' },
      { group: 'argoproj.io', apiVersion: 'v1alpha1', plural: 'rollouts' },
    ];
    expect(checkCustomResources(matchers)).toEqual(matchers);
  });

  it('passes on only the fields that name the resource', () => {
    expect(
      checkCustomResources([
        { group: '', apiVersion: 'v1', plural: 'pods', objectType: 'secrets' },
      ]),
    ).toEqual([{ group: '', apiVersion: 'v1', plural: 'pods' }]);
  });

  it.each([
    [
      'one Secret by name',
      { group: '', apiVersion: 'v1', plural: 'secrets/db' },
    ],
    ['a dot segment', { group: '', apiVersion: 'v1', plural: '..' }],
    [
      'an encoded slash',
      { group: '', apiVersion: 'v1', plural: 'a%2Fsecrets' },
    ],
    [
      'a path in the version',
      { group: '..', apiVersion: 'api/v1', plural: 'secrets' },
    ],
    ['a query', { group: '', apiVersion: 'v1', plural: 'pods?watch=1' }],
    ['uppercase', { group: '', apiVersion: 'v1', plural: 'Secrets' }],
    ['a missing field', { group: '', plural: 'pods' }],
    ['a number', { group: '', apiVersion: 1, plural: 'pods' }],
    ['no object', 'pods'],
  ])('refuses %s', (_name, matcher) => {
    expect(() => checkCustomResources([matcher])).toThrow(InputError);
  });

  it('names the field at fault', () => {
    expect(() =>
      checkCustomResources([
        { group: '', apiVersion: 'v1', plural: 'pods' },
        { group: '', apiVersion: 'v1', plural: 'secrets/db' },
      ]),
    ).toThrow(
      'customResources[1].plural must be a lowercase Kubernetes name, not "secrets/db"',
    );
  });

  it.each([undefined, [], {}])('refuses %p as the list', matchers => {
    expect(() => checkCustomResources(matchers)).toThrow(
      'customResources must be a non-empty array',
    );
  });
});

describe('asksForSecrets', () => {
  it('finds secrets in the core group, in any group, among others', () => {
    expect(
      asksForSecrets([
        { group: '', apiVersion: 'v1', plural: 'pods' },
        { group: '', apiVersion: 'v1', plural: 'secrets' },
      ]),
    ).toBe(true);
    expect(
      asksForSecrets([
        { group: 'example.com', apiVersion: 'v1', plural: 'secrets' },
      ]),
    ).toBe(true);
    expect(
      asksForSecrets([
        {
          group: 'external-secrets.io',
          apiVersion: 'v1',
          plural: 'externalsecrets',
        },
      ]),
    ).toBe(false);
  });
});
