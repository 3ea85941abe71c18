import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './publish.examples';
import { GitopsActionOptions } from './options';
import { publishChange } from './publishChange';

/**
 * Creates the `gitops:change:publish` action: commits the changes of the
 * task's worktree (additions, edits and deletions) and hands the commit to
 * the change publisher of `gitops.provider`, which opens or updates the
 * change request on a branch named after the request.
 *
 * @public
 */
export function createGitopsChangePublishAction(options: GitopsActionOptions) {
  return createTemplateAction({
    id: 'gitops:change:publish',
    description:
      "Publishes the changes of the task's GitOps worktree (additions, edits, deletions) as a change request of one team, on a branch named after the request. Running the same request again updates that change request; another requester's pending one is never replaced. Every changed path must lie in the team's own folders. The provider (plain Git, GitHub pull request, GitLab merge request) comes from gitops.provider in the app config. Dry-run computes the change and pushes nothing.",
    supportsDryRun: true,
    examples,
    schema: {
      input: {
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative worktree from gitops:repo:fetch. Default: gitops',
            ),
        team: z =>
          z
            .string()
            .describe(
              "The team the change is for, as a group entity ref (group:default/team-payments); the requester must belong to it (the portal's permission policy checks this)",
            ),
        branchName: z =>
          z
            .string()
            .describe(
              'Branch of the change, named after the request, e.g. portal/deploy-service/team-payments/api',
            ),
        title: z =>
          z
            .string()
            .describe(
              'Title of the change request and first line of the commit',
            ),
        description: z =>
          z.string().describe('Description of the change request'),
      },
      output: {
        changeUrl: z =>
          z
            .string()
            .describe(
              "Address of the change request's page in the portal (with files and diff), or at the Git forge where the portal does not record it",
            ),
        forgeUrl: z =>
          z
            .string()
            .describe(
              'Address of the change at the Git forge: pull or merge request, compare or commit page',
            ),
        branch: z => z.string().describe('Branch the change was pushed to'),
        commit: z => z.string().describe('Commit at the head of the branch'),
        paths: z =>
          z
            .array(z.string())
            .describe('Repository-relative paths the change touches, sorted'),
      },
    },
    async handler(ctx) {
      const outputs = await publishChange(options, {
        input: ctx.input,
        workspacePath: ctx.workspacePath,
        logger: ctx.logger,
        isDryRun: ctx.isDryRun ?? false,
        requester: ctx.user?.ref,
        template: ctx.templateInfo?.entityRef,
        taskId: ctx.task?.id,
      });
      ctx.output('changeUrl', outputs.changeUrl);
      ctx.output('forgeUrl', outputs.forgeUrl);
      ctx.output('branch', outputs.branch);
      ctx.output('commit', outputs.commit);
      ctx.output('paths', outputs.paths);
    },
  });
}
