import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './setImage.examples';
import { setImageTag } from './setImageTag';

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
      const kustomization = await setImageTag(
        ctx.workspacePath,
        ctx.input,
        ctx.logger,
      );
      ctx.output('kustomization', kustomization);
    },
  });
}
