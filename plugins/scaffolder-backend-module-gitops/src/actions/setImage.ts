import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { resolveWorkspacePath } from '@internal/plugin-gitops-node';
import {
  IMAGE_NAME,
  IMAGE_NAME_MAX_LENGTH,
  IMAGE_TAG,
  KUSTOMIZATION_FILES,
} from '@internal/plugin-gitops-common';
import { examples } from './setImage.examples';

/**
 * Creates the `gitops:kustomize:set-image` action: sets `newTag` of an
 * image in the `images:` of a kustomization, keeping the rest of the file
 * (comments, order, formatting) as it is.
 *
 * @public
 */
export function createGitopsKustomizeSetImageAction() {
  return createTemplateAction({
    id: 'gitops:kustomize:set-image',
    description:
      'Sets the tag of an image in the images of a kustomization.yaml (like `kustomize edit set image`), leaving the rest of the file as it is.',
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe(
              'Workspace-relative folder holding the kustomization.yaml',
            ),
        image: z =>
          z
            .string()
            .describe('The image name as the manifests use it (images[].name)'),
        newTag: z =>
          z
            .string()
            .describe(
              'The new tag: letters, digits, "_", "." and "-", at most 128 characters',
            ),
      },
      output: {
        kustomization: z =>
          z.string().describe('Workspace-relative path of the file edited'),
      },
    },
    async handler(ctx) {
      const { image, newTag } = ctx.input;
      if (!IMAGE_TAG.test(newTag)) {
        throw new InputError(
          `newTag "${newTag}" is not a valid image tag (letters, digits, "_", "." and "-", not starting with "." or "-", at most 128 characters)`,
        );
      }
      if (!IMAGE_NAME.test(image) || image.length > IMAGE_NAME_MAX_LENGTH) {
        throw new InputError(`image "${image}" is not a valid image name`);
      }
      const dir = resolveWorkspacePath(ctx.workspacePath, ctx.input.path);
      let file: string | undefined;
      for (const name of KUSTOMIZATION_FILES) {
        const candidate = path.join(dir, name);
        if ((await fs.stat(candidate).catch(() => undefined))?.isFile()) {
          file = candidate;
          break;
        }
      }
      if (!file) {
        throw new InputError(
          `There is no kustomization.yaml in ${ctx.input.path}`,
        );
      }
      const doc = parseDocument(await fs.readFile(file, 'utf8'));
      if (doc.errors.length > 0) {
        throw new InputError(
          `${ctx.input.path}/${path.basename(file)} is not valid YAML: ${
            doc.errors[0].message
          }`,
        );
      }
      if (!isMap(doc.contents)) {
        throw new InputError(
          `${ctx.input.path}/${path.basename(file)} is not a kustomization`,
        );
      }
      let images = doc.get('images');
      if (images === undefined || images === null) {
        images = new YAMLSeq();
        doc.set('images', images);
      }
      if (!isSeq(images)) {
        throw new InputError(
          `images of ${ctx.input.path}/${path.basename(file)} is not a list`,
        );
      }
      const entry = (images as YAMLSeq).items.find(
        item => isMap(item) && item.get('name') === image,
      ) as YAMLMap | undefined;
      if (entry) {
        entry.set('newTag', newTag);
        if (entry.has('digest')) {
          entry.delete('digest');
          ctx.logger.info(
            `Removed the digest of ${image}: a digest would override the tag`,
          );
        }
      } else {
        (images as YAMLSeq).add(doc.createNode({ name: image, newTag }));
      }
      await fs.writeFile(file, doc.toString());
      const relative = path
        .relative(ctx.workspacePath, file)
        .split(path.sep)
        .join('/');
      ctx.logger.info(`Set ${image} to tag ${newTag} in ${relative}`);
      ctx.output('kustomization', relative);
    },
  });
}
