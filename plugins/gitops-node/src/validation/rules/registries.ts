import { imageRegistryProblem, parseImageReference } from '../images';
import { isKustomizeBuilt } from '../kustomizeArea';
import { isObject } from '../parse';
import { imagesOf } from '../workloads';
import { KustomizationRule, ObjectRule } from './types';

/**
 * Every image an object would run comes from an allowed registry. An image
 * without a registry in a kustomize-built folder is a kustomize placeholder
 * (deploy-service's base names the image after the service); whether the
 * overlays map it is the placeholders rule's to check (placeholders.ts).
 */
export const imageRegistriesRule: ObjectRule = (object, report) => {
  const allowed = object.options.allowedImageRegistries;
  const kustomized = isKustomizeBuilt(object.path);
  for (const use of imagesOf(object.apiVersion, object.kind, object.object)) {
    const reference =
      typeof use.image === 'string'
        ? parseImageReference(use.image)
        : undefined;
    if (kustomized && reference && !reference.hasRegistry) continue;
    const problem = imageRegistryProblem(use.image, allowed);
    if (problem) report('image-registry', `${use.where} image ${problem}`);
  }
};

/**
 * A kustomization only maps images to allowed registries: each
 * `images[].newName`, or the `name` of an entry without `newName` when it
 * names a registry (an entry that only retags a placeholder changes no
 * registry).
 */
export const kustomizationImagesRule: KustomizationRule = (
  kustomization,
  report,
) => {
  const allowed = kustomization.options.allowedImageRegistries;
  const images = kustomization.fields.images;
  if (!Array.isArray(images)) return;
  images.forEach((entry, index) => {
    if (!isObject(entry)) return;
    const field = entry.newName !== undefined ? 'newName' : ('name' as const);
    const image = entry[field];
    if (field === 'name') {
      const reference =
        typeof image === 'string' ? parseImageReference(image) : undefined;
      if (!reference?.hasRegistry) return;
    }
    const problem = imageRegistryProblem(image, allowed);
    if (problem) {
      report('image-registry', `images[${index}].${field} ${problem}`);
    }
  });
};
