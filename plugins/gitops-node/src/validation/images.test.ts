import { ConfigReader } from '@backstage/config';
import {
  imageRegistryProblem,
  isAllowedImage,
  parseImageReference,
  readAllowedImageRegistries,
} from './images';

describe('parseImageReference', () => {
  it.each([
    ['alpine', 'alpine', false, 'docker.io/library/alpine'],
    ['alpine:3.20', 'alpine', false, 'docker.io/library/alpine'],
    ['acme/api', 'acme/api', false, 'docker.io/acme/api'],
    ['docker.io/alpine', 'docker.io/alpine', true, 'docker.io/library/alpine'],
    [
      'index.docker.io/acme/api:1',
      'index.docker.io/acme/api',
      true,
      'docker.io/acme/api',
    ],
    ['127.0.0.1:5000/x/y', '127.0.0.1:5000/x/y', true, '127.0.0.1:5000/x/y'],
    ['localhost/x', 'localhost/x', true, 'localhost/x'],
    [
      'quay.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'quay.io/acme/api',
      true,
      'quay.io/acme/api',
    ],
  ])('%s', (reference, name, hasRegistry, normalized) => {
    expect(parseImageReference(reference)).toEqual({
      name,
      hasRegistry,
      normalized,
    });
  });

  it.each([
    '',
    'Quay.io/acme/api',
    'quay.io/acme/../api',
    'quay.io/acme/api:bad tag',
    'quay.io/acme/api@md5',
    'a@b@c',
    `quay.io/${'a'.repeat(260)}`,
  ])('refuses %p', reference => {
    expect(parseImageReference(reference)).toBeUndefined();
  });
});

describe('isAllowedImage', () => {
  it('matches a prefix on a / boundary only', () => {
    const allowed = ['quay.io/acme', 'registry.local:5000'];
    expect(isAllowedImage('quay.io/acme/api', allowed)).toBe(true);
    expect(isAllowedImage('quay.io/acme', allowed)).toBe(true);
    expect(isAllowedImage('quay.io/acme-evil/api', allowed)).toBe(false);
    expect(isAllowedImage('registry.local:5000/x', allowed)).toBe(true);
    expect(isAllowedImage('registry.local:50001/x', allowed)).toBe(false);
  });

  it('describes a refusal with the name a node would pull', () => {
    expect(imageRegistryProblem('alpine', ['quay.io/acme'])).toBe(
      '"alpine" (docker.io/library/alpine) is not from an allowed registry (allowed: quay.io/acme)',
    );
    expect(imageRegistryProblem(42, ['quay.io/acme'])).toBe(
      '"42" is not a valid image reference',
    );
  });
});

describe('readAllowedImageRegistries', () => {
  const read = (allowedImageRegistries?: string[]) =>
    readAllowedImageRegistries(
      new ConfigReader({ gitops: { repoUrl: 'x', allowedImageRegistries } }),
    );

  it('reads the prefixes, Docker Hub spelled docker.io', () => {
    expect(
      read([
        'quay.io/acme/',
        'image-registry.openshift-image-registry.svc:5000',
        'index.docker.io/library/alpine',
      ]),
    ).toEqual([
      'quay.io/acme',
      'image-registry.openshift-image-registry.svc:5000',
      'docker.io/library/alpine',
    ]);
  });

  it('allows nothing when the key is missing', () => {
    expect(read()).toEqual([]);
    expect(readAllowedImageRegistries(new ConfigReader({}))).toEqual([]);
  });

  it.each(['alpine', 'acme/api', 'https://quay.io/acme', 'quay.io/acme:1'])(
    'refuses the prefix %p',
    prefix => {
      expect(() => read([prefix])).toThrow(
        /gitops.allowedImageRegistries: .* must be a registry host/,
      );
    },
  );
});
