import {
  allowedRegistriesText,
  isAllowedImage,
  parseImageReference,
} from '../images';
import { affectedOverlays, kustomizeBuild, mappedName } from '../kustomize';
import { isKustomizeBuilt } from '../kustomizeArea';
import { isObject } from '../parse';
import { RepositoryView } from '../repositoryView';
import { ManifestProblem, ValidateManifestsOptions } from '../types';
import { imagesOf } from '../workloads';

/** An image without a registry in a kustomize-built file. */
interface Placeholder {
  file: string;
  documentIndex: number;
  kind: string;
  name?: string;
  where: string;
  image: string;
  /** The name kustomize matches (the image without its tag). */
  imageName: string;
  /** The overlays that build the file. */
  builtBy: string[];
  /** The kustomization files of those that do not map it to an allowed image. */
  unmappedIn: string[];
}

/** The images without a registry that a file would run and that are not allowed as they are. */
function placeholdersIn(
  file: string,
  view: RepositoryView,
  allowed: string[],
): Placeholder[] {
  const found: Placeholder[] = [];
  for (const { documentIndex, object } of view.documents(file)) {
    if (!isObject(object) || typeof object.apiVersion !== 'string') continue;
    const kind = String(object.kind);
    for (const use of imagesOf(object.apiVersion, kind, object)) {
      const ref =
        typeof use.image === 'string'
          ? parseImageReference(use.image)
          : undefined;
      if (!ref || ref.hasRegistry || isAllowedImage(ref.normalized, allowed)) {
        continue;
      }
      const name = object.metadata?.name;
      found.push({
        file,
        documentIndex,
        kind,
        name: typeof name === 'string' ? name : undefined,
        where: use.where,
        image: use.image as string,
        imageName: ref.name,
        builtBy: [],
        unmappedIn: [],
      });
    }
  }
  return found;
}

function keyOf(p: Placeholder): string {
  return JSON.stringify([p.file, p.documentIndex, p.where, p.image]);
}

/** The problems of one placeholder, on the files the change touched. */
function describe(
  p: Placeholder,
  view: RepositoryView,
  allowed: string[],
): ManifestProblem[] {
  const hint = `images: [{ name: ${p.imageName}, newName: <an allowed image> }]`;
  const allowedText = allowedRegistriesText(allowed);
  const image = `${p.where} image "${p.image}" names no registry`;
  const onFile = (message: string): ManifestProblem[] => [
    {
      path: p.file,
      documentIndex: p.documentIndex,
      kind: p.kind,
      name: p.name,
      rule: 'image-registry',
      message,
    },
  ];
  if (view.isChanged(p.file) && p.unmappedIn.length > 0) {
    const overlays = p.unmappedIn.join(', ');
    return onFile(
      `${image} and is not mapped to an allowed image in ${overlays} (${hint}; ${allowedText})`,
    );
  }
  if (view.isChanged(p.file) && p.builtBy.length === 0) {
    return onFile(
      `${image}, and no overlay builds this file to map it to an allowed image (${allowedText})`,
    );
  }
  // The file is as it was: the problem is the overlay's that changed.
  return p.unmappedIn
    .filter(kustomization => view.isChanged(kustomization))
    .map(kustomization => ({
      path: kustomization,
      documentIndex: 0,
      kind: 'Kustomization',
      rule: 'image-registry',
      message: `images: "${p.imageName}" (${p.where} of ${p.file}) names no registry, and this kustomization does not map it to an allowed image (${hint}; ${allowedText})`,
    }));
}

/**
 * Images without a registry in kustomize-built folders are placeholders
 * that every overlay building them must map to an allowed image: checked
 * over the kustomize builds the change can alter (the overlays of every
 * service folder it touches, through the bases they include).
 */
export function unmappedPlaceholders(
  view: RepositoryView,
  options: ValidateManifestsOptions,
): ManifestProblem[] {
  const allowed = options.allowedImageRegistries;
  const placeholders = new Map<string, Placeholder>();
  for (const file of view.changedPaths().filter(isKustomizeBuilt)) {
    for (const p of placeholdersIn(file, view, allowed)) {
      placeholders.set(keyOf(p), p);
    }
  }
  for (const overlay of affectedOverlays(view)) {
    for (const { file, chain } of kustomizeBuild(overlay, view)) {
      for (const found of placeholdersIn(file, view, allowed)) {
        const p = placeholders.get(keyOf(found)) ?? found;
        placeholders.set(keyOf(p), p);
        if (p.builtBy.includes(overlay)) continue;
        p.builtBy.push(overlay);
        const target = mappedName(chain, p.imageName);
        const ref =
          target === undefined ? undefined : parseImageReference(target);
        if (!ref || !isAllowedImage(ref.normalized, allowed)) {
          p.unmappedIn.push(chain[chain.length - 1].path);
        }
      }
    }
  }
  return [...placeholders.values()].flatMap(p => describe(p, view, allowed));
}
