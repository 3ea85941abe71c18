import path from 'node:path';
import { folderOfPath, serviceFolder } from '@internal/plugin-gitops-common';
import { isObject, Obj } from './parse';
import { RepositoryView } from './repositoryView';
import { INCLUDE_FIELDS, isRemote } from './rules/kustomization';

/** A kustomization met on the way from a file to the overlay that builds it. */
export interface KustomizationStep {
  path: string;
  fields: Obj;
}

/** A file an overlay builds, and the kustomizations between them. */
export interface BuiltFile {
  file: string;
  /** From the kustomization listing the file up to the overlay itself. */
  chain: KustomizationStep[];
}

/** The repository is not ours: a build is followed this far and no further. */
const MAX_KUSTOMIZATIONS = 50;
const MAX_FILES = 1000;

/** The local folder or file a kustomization entry points at, if any. */
function localTarget(dir: string, ref: unknown): string | undefined {
  if (typeof ref !== 'string' || ref === '' || isRemote(ref)) return undefined;
  if (path.posix.isAbsolute(ref) || ref.includes('\\')) return undefined;
  const target = path.posix.normalize(path.posix.join(dir, ref));
  return target === '..' || target.startsWith('../') ? undefined : target;
}

/**
 * The files kustomize would build from the overlay in `root` (a folder
 * with a kustomization), following resources, bases, components and crds
 * into other kustomizations; each with the chain of kustomizations whose
 * `images` apply to it.
 */
export function kustomizeBuild(
  root: string,
  view: RepositoryView,
): BuiltFile[] {
  const built: BuiltFile[] = [];
  const visited = new Set<string>();
  const visit = (dir: string, below: KustomizationStep[]) => {
    const kustomization = view.kustomizationIn(dir);
    if (
      !kustomization ||
      visited.has(dir) ||
      visited.size >= MAX_KUSTOMIZATIONS
    ) {
      return;
    }
    visited.add(dir);
    const chain = [kustomization, ...below];
    for (const field of INCLUDE_FIELDS) {
      const refs = kustomization.fields[field];
      for (const ref of Array.isArray(refs) ? refs : []) {
        const target = localTarget(dir, ref);
        if (!target || built.length >= MAX_FILES) continue;
        if (view.kustomizationIn(target)) visit(target, chain);
        else built.push({ file: target, chain });
      }
    }
  };
  visit(root, []);
  return built;
}

/**
 * The overlays whose builds a change can alter: those of every service
 * folder the change touches (an edited base reaches all of them, and an
 * edited overlay is one of them).
 */
export function affectedOverlays(view: RepositoryView): string[] {
  const services = new Set<string>();
  for (const file of view.changedPaths()) {
    const folder = folderOfPath(file);
    if (folder?.kind === 'service') {
      services.add(serviceFolder(folder.team, folder.service));
    }
  }
  return [...services].sort().flatMap(service =>
    view
      .list(`${service}/overlays`)
      .map(env => `${service}/overlays/${env}`)
      .filter(dir => view.kustomizationIn(dir)),
  );
}

/** The `newName` one kustomization gives an image name, if any. */
function renamedBy(step: KustomizationStep, name: string): string | undefined {
  const images = step.fields.images;
  const entry = (Array.isArray(images) ? images : []).find(
    e => isObject(e) && e.name === name && typeof e.newName === 'string',
  );
  return entry?.newName;
}

/**
 * The name an image ends up with after the `images` of a chain of
 * kustomizations, as kustomize applies them from the innermost out;
 * undefined when none renames it.
 */
export function mappedName(
  chain: KustomizationStep[],
  name: string,
): string | undefined {
  let current = name;
  for (const step of chain) {
    current = renamedBy(step, current) ?? current;
  }
  return current === name ? undefined : current;
}
