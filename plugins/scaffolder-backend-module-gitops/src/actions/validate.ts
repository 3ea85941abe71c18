import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { changedFiles } from '@internal/plugin-gitops-node';
import { resolveWorkspacePath } from '@internal/plugin-gitops-node';
import { validateManifests } from '@internal/plugin-gitops-node';
import { ManifestProblem } from '@internal/plugin-gitops-node';
import { GitopsActionOptions } from './options';

const YAML_FILE = /\.ya?ml$/i;

/** Every YAML file under a folder, relative to it, skipping .git. */
async function yamlFilesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string) {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile() && YAML_FILE.test(entry.name)) {
        found.push(path.relative(root, full).split(path.sep).join('/'));
      }
    }
  }
  await walk(root);
  return found.sort();
}

/** One line per problem: file, document, object, rule, message. */
export function formatProblems(problems: ManifestProblem[]): string {
  return problems
    .map(p => {
      const object = p.kind ? ` ${p.kind}${p.name ? `/${p.name}` : ''}` : '';
      return `- ${p.path} [document ${p.documentIndex}]${object}: ${p.rule}: ${p.message}`;
    })
    .join('\n');
}

/**
 * Creates the `gitops:manifests:validate` action: validates the manifests
 * of a folder (in a git working copy: only the files added or changed
 * against HEAD) with {@link validateManifests}.
 *
 * @public
 */
export function createGitopsManifestsValidateAction(
  options: GitopsActionOptions,
) {
  return createTemplateAction({
    id: 'gitops:manifests:validate',
    description:
      'Validates Kubernetes, OpenShift, Argo CD and CloudNativePG manifests against their schemas and the platform rules. In a git working copy only the files added or changed against HEAD are read; elsewhere every .yaml/.yml file.',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Validate what the template wrote into the fetched repository',
        example: [
          'steps:',
          '  - id: validate',
          '    action: gitops:manifests:validate',
          '    input:',
          '      path: gitops',
        ].join('\n'),
      },
      {
        description: 'Team onboarding: cluster-scoped objects are allowed',
        example: [
          'steps:',
          '  - id: validate',
          '    action: gitops:manifests:validate',
          '    input:',
          '      path: gitops',
          '      allowClusterScoped: true',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        path: z =>
          z
            .string()
            .optional()
            .describe('Workspace-relative folder to validate. Default: gitops'),
        allowClusterScoped: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Allow cluster-scoped kinds (Namespace, ClusterRole, ...): team onboarding only. Default: false',
            ),
      },
      output: {
        files: z =>
          z.array(z.string()).describe('The files validated, relative to path'),
      },
    },
    async handler(ctx) {
      const input = ctx.input.path ?? 'gitops';
      const root = resolveWorkspacePath(ctx.workspacePath, input);
      const stat = await fs.stat(root).catch(() => undefined);
      if (!stat?.isDirectory()) {
        throw new InputError(
          `path "${input}" is not a folder of the workspace`,
        );
      }
      const isWorkingCopy = existsSync(path.join(root, '.git'));
      const files = isWorkingCopy
        ? (await changedFiles(root))
            .filter(c => c.status !== 'deleted')
            .map(c => c.path)
            .filter(p => YAML_FILE.test(p))
            .sort()
        : await yamlFilesUnder(root);
      const contents = await Promise.all(
        files.map(async file => ({
          path: file,
          content: await fs.readFile(resolveSafeChildPath(root, file), 'utf8'),
        })),
      );
      const problems = validateManifests(contents, {
        allowClusterScoped: ctx.input.allowClusterScoped ?? false,
        argocdNamespace: options.gitops?.argocdNamespace ?? 'openshift-gitops',
        platformNamespaces: options.gitops?.platformNamespaces ?? [],
        fileExists: file => {
          try {
            return existsSync(resolveSafeChildPath(root, file));
          } catch {
            return false;
          }
        },
      });
      if (problems.length > 0) {
        throw new InputError(
          `${problems.length} problem${
            problems.length > 1 ? 's' : ''
          } in the manifests of ${input}:\n${formatProblems(problems)}`,
        );
      }
      ctx.logger.info(
        `Validated ${files.length} file${files.length === 1 ? '' : 's'}${
          isWorkingCopy ? ' changed in the working copy' : ''
        } of ${input}`,
      );
      ctx.output('files', files);
    },
  });
}
