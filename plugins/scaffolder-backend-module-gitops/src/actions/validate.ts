import fs from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ManifestProblem,
  ValidateManifestsOptions,
  walkFiles,
  Worktree,
  resolveWorkspacePath,
  validateManifests,
} from '@internal/plugin-gitops-node';
import { examples } from './validate.examples';
import { GitopsActionOptions } from './options';

const YAML_FILE = /\.ya?ml$/i;

/** One line per problem: file, document, object, rule, message. */
export function formatProblems(problems: ManifestProblem[]): string {
  return problems
    .map(p => {
      const object = p.kind ? ` ${p.kind}${p.name ? `/${p.name}` : ''}` : '';
      return `- ${p.path} [document ${p.documentIndex}]${object}: ${p.rule}: ${p.message}`;
    })
    .join('\n');
}

/** Lookups of referenced files in a plain folder (not a worktree). */
function folderLookups(
  root: string,
): Pick<ValidateManifestsOptions, 'fileExists' | 'readFile' | 'listDirectory'> {
  const resolve = (file: string) => {
    try {
      return resolveSafeChildPath(root, file);
    } catch {
      return undefined;
    }
  };
  return {
    fileExists: file => {
      const full = resolve(file);
      return full ? existsSync(full) : false;
    },
    readFile: file => {
      const full = resolve(file);
      try {
        return full ? readFileSync(full, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    listDirectory: dir => {
      const full = resolve(dir);
      try {
        return full ? readdirSync(full) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The files to validate and how to look up what they reference: in a
 * worktree, the YAML files added or changed against its base (references
 * resolved on disk or in the mirror); elsewhere every YAML file.
 */
async function filesToValidate(root: string) {
  const worktree = await Worktree.open(root);
  if (worktree) {
    const files = (await worktree.changes())
      .filter(c => c.status !== 'deleted' && YAML_FILE.test(c.path))
      .map(c => c.path)
      .sort();
    const lookups = {
      fileExists: (file: string) => worktree.exists(file),
      readFile: (file: string) => worktree.readFile(file),
      listDirectory: (dir: string) => worktree.listDirectory(dir),
    };
    return { files, lookups, isWorktree: true };
  }
  const files: string[] = [];
  for await (const file of walkFiles(root)) {
    if (YAML_FILE.test(file)) files.push(file);
  }
  return {
    files: files.sort(),
    lookups: folderLookups(root),
    isWorktree: false,
  };
}

/**
 * Creates the `gitops:manifests:validate` action: validates the manifests
 * of a folder (in a worktree: only the files added or changed against its
 * base, plus what they reference) with `validateManifests`.
 *
 * @public
 */
export function createGitopsManifestsValidateAction(
  options: GitopsActionOptions,
) {
  return createTemplateAction({
    id: 'gitops:manifests:validate',
    description:
      'Validates Kubernetes, OpenShift, Argo CD and CloudNativePG manifests against their schemas and the platform rules. In a worktree from gitops:repo:fetch only the files added or changed are read, with what they reference; elsewhere every .yaml/.yml file.',
    supportsDryRun: true,
    examples,
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
      const { files, lookups, isWorktree } = await filesToValidate(root);
      const contents = await Promise.all(
        files.map(async file => ({
          path: file,
          content: await fs.readFile(resolveSafeChildPath(root, file), 'utf8'),
        })),
      );
      const gitops = options.gitops.config;
      const problems = validateManifests(contents, {
        allowClusterScoped: ctx.input.allowClusterScoped ?? false,
        argocdNamespace: gitops?.argocdNamespace ?? 'openshift-gitops',
        platformNamespaces: gitops?.platformNamespaces ?? [],
        allowedImageRegistries: gitops?.allowedImageRegistries ?? [],
        ...lookups,
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
          isWorktree ? ' changed in the worktree' : ''
        } of ${input}`,
      );
      ctx.output('files', files);
    },
  });
}
