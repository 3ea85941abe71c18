import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './fetch.examples';
import { fetchWorktree } from './fetchWorktree';
import { GitopsActionOptions } from './options';

/**
 * Creates the `gitops:repo:fetch` action: brings the backend's mirror of
 * the GitOps repository up to date and gives the task its own worktree of
 * the base branch, checking out only the folders the template names.
 *
 * @public
 */
export function createGitopsRepoFetchAction(options: GitopsActionOptions) {
  return createTemplateAction({
    id: 'gitops:repo:fetch',
    description:
      "Gives the task its own worktree of the base branch of the GitOps repository, from the backend's mirror, refusing before anything is written when a path that must not exist already does. Only the folders of mustExist, mustNotExist and paths are checked out (the template may write only there); with none given, the whole tree. Also runs in dry-run: reading is not a side effect.",
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative folder for the worktree; must not exist or be empty. Default: gitops',
            ),
        mustNotExist: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Repository-relative paths that must not exist; any that does fails the step with a conflict. Checked out, so the template may write there',
            ),
        mustExist: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Repository-relative paths that must exist; checked out (a file: its folder)',
            ),
        paths: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'More repository-relative folders to check out, for the template to read or write',
            ),
        team: z =>
          z
            .string()
            .optional()
            .describe(
              "The team the template works for, as a group ref (the team picker's value); its name is output as `team` for the later steps",
            ),
      },
      output: {
        baseCommit: z =>
          z.string().describe('The commit of the base branch that was fetched'),
        team: z =>
          z
            .string()
            .optional()
            .describe(
              'The name of the team of the `team` input (group:default/team-payments gives team-payments)',
            ),
      },
    },
    async handler(ctx) {
      const { base, team } = await fetchWorktree(
        options.gitops.repository(),
        ctx.input,
        { workspacePath: ctx.workspacePath, logger: ctx.logger },
      );
      ctx.output('baseCommit', base);
      if (team) ctx.output('team', team);
    },
  });
}
