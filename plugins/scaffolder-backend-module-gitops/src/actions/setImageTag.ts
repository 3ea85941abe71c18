import fs from 'node:fs/promises';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { resolveWorkspacePath } from '@internal/plugin-gitops-node';
import {
  IMAGE_NAME,
  IMAGE_NAME_MAX_LENGTH,
  IMAGE_TAG,
  KUSTOMIZATION_FILES,
} from '@internal/plugin-gitops-common';

/**
 * Sets `newTag` of an image in the `images:` of the kustomization in a
 * workspace folder, keeping the rest of the file (comments, order,
 * formatting) as it is; returns the file, relative to the workspace.
 */
export async function setImageTag(
  workspacePath: string,
  input: { path: string; image: string; newTag: string },
  logger: LoggerService,
): Promise<string> {
  const { image, newTag } = input;
  if (!IMAGE_TAG.test(newTag)) {
    throw new InputError(
      `newTag "${newTag}" is not a valid image tag (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters)`,
    );
  }
  if (!IMAGE_NAME.test(image) || image.length > IMAGE_NAME_MAX_LENGTH) {
    throw new InputError(`image "${image}" is not a valid image name`);
  }
  const dir = resolveWorkspacePath(workspacePath, input.path);
  let file: string | undefined;
  for (const name of KUSTOMIZATION_FILES) {
    const candidate = path.join(dir, name);
    if ((await fs.stat(candidate).catch(() => undefined))?.isFile()) {
      file = candidate;
      break;
    }
  }
  if (!file) {
    throw new InputError(`There is no kustomization.yaml in ${input.path}`);
  }
  const doc = parseDocument(await fs.readFile(file, 'utf8'));
  if (doc.errors.length > 0) {
    throw new InputError(
      `${input.path}/${path.basename(file)} is not valid YAML: ${
        doc.errors[0].message
      }`,
    );
  }
  if (!isMap(doc.contents)) {
    throw new InputError(
      `${input.path}/${path.basename(file)} is not a kustomization`,
    );
  }
  let images = doc.get('images');
  if (images === undefined || images === null) {
    images = new YAMLSeq();
    doc.set('images', images);
  }
  if (!isSeq(images)) {
    throw new InputError(
      `images of ${input.path}/${path.basename(file)} is not a list`,
    );
  }
  const entry = (images as YAMLSeq).items.find(
    item => isMap(item) && item.get('name') === image,
  ) as YAMLMap | undefined;
  if (entry) {
    entry.set('newTag', newTag);
    if (entry.has('digest')) {
      entry.delete('digest');
      logger.info(
        `Removed the digest of ${image}: a digest would override the tag`,
      );
    }
  } else {
    (images as YAMLSeq).add(doc.createNode({ name: image, newTag }));
  }
  await fs.writeFile(file, doc.toString());
  const relative = path.relative(workspacePath, file).split(path.sep).join('/');
  logger.info(`Set ${image} to tag ${newTag} in ${relative}`);
  return relative;
}
