import { Config } from '@backstage/config';
import {
  IMAGE_DIGEST,
  IMAGE_NAME,
  IMAGE_NAME_MAX_LENGTH,
  IMAGE_TAG,
} from '@internal/plugin-gitops-common';

/** An image reference (`[registry/]path[:tag][@digest]`), taken apart. */
export interface ImageReference {
  /** The name as written, without tag and digest. */
  name: string;
  /** Whether the name starts with a registry host (`quay.io/…`). */
  hasRegistry: boolean;
  /** The name a node pulls, Docker Hub short names expanded. */
  normalized: string;
}

/** Docker Hub, as the container runtimes name it. */
const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = ['docker.io', 'index.docker.io'];

/**
 * Whether the first path component of a name is a registry host: it has a
 * `.` or a port, or is `localhost` (the rule of Docker's reference parser).
 */
function isRegistryHost(component: string): boolean {
  return /[.:]/.test(component) || component === 'localhost';
}

/** The registry host of a name (with its port), if it names one. */
function registryOf(name: string): string | undefined {
  const slash = name.indexOf('/');
  return slash > 0 && isRegistryHost(name.slice(0, slash))
    ? name.slice(0, slash)
    : undefined;
}

/**
 * Takes an image reference apart, or returns undefined when it is not a
 * valid one. Names without a registry are normalised as the runtimes pull
 * them: `alpine` is `docker.io/library/alpine`, `acme/api` is
 * `docker.io/acme/api`.
 */
export function parseImageReference(
  reference: string,
): ImageReference | undefined {
  const [nameAndTag, digest, ...extra] = reference.split('@');
  if (
    extra.length > 0 ||
    (digest !== undefined && !IMAGE_DIGEST.test(digest))
  ) {
    return undefined;
  }
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  if (hasTag && !IMAGE_TAG.test(nameAndTag.slice(colon + 1))) {
    return undefined;
  }
  if (name.length > IMAGE_NAME_MAX_LENGTH || !IMAGE_NAME.test(name)) {
    return undefined;
  }
  const registry = registryOf(name);
  let normalized = name;
  if (!registry) {
    normalized = `${DOCKER_HUB}/${name.includes('/') ? '' : 'library/'}${name}`;
  } else if (DOCKER_HUB_ALIASES.includes(registry)) {
    const path = name.slice(registry.length + 1);
    normalized = `${DOCKER_HUB}/${path.includes('/') ? '' : 'library/'}${path}`;
  }
  return { name, hasRegistry: registry !== undefined, normalized };
}

/** Whether a normalised image name lies under one of the prefixes. */
export function isAllowedImage(normalized: string, allowed: string[]): boolean {
  return allowed.some(
    prefix => normalized === prefix || normalized.startsWith(`${prefix}/`),
  );
}

/** The end of a registry message: what is allowed instead. */
export function allowedRegistriesText(allowed: string[]): string {
  return allowed.length === 0
    ? 'no registry is allowed: set gitops.allowedImageRegistries'
    : `allowed: ${allowed.join(', ')}`;
}

/**
 * Why an image may not run, or undefined when it may: it must be a valid
 * reference whose name lies under an allowed prefix.
 */
export function imageRegistryProblem(
  image: unknown,
  allowed: string[],
): string | undefined {
  const reference =
    typeof image === 'string' ? parseImageReference(image) : undefined;
  if (!reference) {
    return `"${String(image)}" is not a valid image reference`;
  }
  if (isAllowedImage(reference.normalized, allowed)) {
    return undefined;
  }
  const shown =
    reference.normalized === reference.name
      ? `"${image}"`
      : `"${image}" (${reference.normalized})`;
  return `${shown} is not from an allowed registry (${allowedRegistriesText(
    allowed,
  )})`;
}

/** A configured prefix in the form images are compared in. */
function normalizePrefix(prefix: string): string {
  const registry = registryOf(`${prefix}/`);
  if (!registry || !IMAGE_NAME.test(`${prefix}/x`)) {
    throw new Error(
      `gitops.allowedImageRegistries: "${prefix}" must be a registry host with an optional path, e.g. quay.io/acme or image-registry.openshift-image-registry.svc:5000`,
    );
  }
  // Docker Hub prefixes are written in full (docker.io/library/alpine,
  // docker.io/acme): a prefix is not expanded like an image name.
  return DOCKER_HUB_ALIASES.includes(registry)
    ? `${DOCKER_HUB}${prefix.slice(registry.length)}`
    : prefix;
}

/**
 * Reads `gitops.allowedImageRegistries`: the registry prefixes images may
 * come from. A missing key allows no image at all; an invalid prefix
 * throws.
 *
 * @public
 */
export function readAllowedImageRegistries(config: Config): string[] {
  const prefixes =
    config.getOptionalStringArray('gitops.allowedImageRegistries') ?? [];
  return prefixes.map(prefix => normalizePrefix(prefix.replace(/\/+$/, '')));
}
