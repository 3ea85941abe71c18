import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ChangeRequestRecorded } from '@internal/plugin-gitops-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  commitMessage,
  gitChangeUrl,
  PublishedChange,
  resolveWorkspacePath,
  Worktree,
} from '@internal/plugin-gitops-node';
import { checkBranchName } from './branchName';
import { examples } from './publish.examples';
import { GitopsActionOptions } from './options';
import { assertTeamOwnsPaths, teamNameOf } from './teamPaths';

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
      const gitops = options.gitops;
      const config = gitops.repository().config;
      const sourcePath = ctx.input.sourcePath ?? 'gitops';
      const team = teamNameOf(ctx.input.team);
      const branchName = checkBranchName(ctx.input.branchName);
      const title = ctx.input.title.trim();
      if (!title) {
        throw new InputError('title must not be empty');
      }
      if (!config.commitToBaseBranch && branchName === config.baseBranch) {
        throw new NotAllowedError(
          `branchName must not be the base branch ${config.baseBranch}`,
        );
      }
      const root = resolveWorkspacePath(ctx.workspacePath, sourcePath);
      const worktree = await Worktree.open(root);
      if (!worktree) {
        throw new InputError(
          `sourcePath "${sourcePath}" is not a worktree of the GitOps repository; fetch it with gitops:repo:fetch first`,
        );
      }

      const changes = await worktree.stage();
      if (changes.length === 0) {
        throw new InputError(
          `nothing to change: ${sourcePath} is identical to ${config.baseBranch} of the GitOps repository`,
        );
      }
      const paths = changes.map(c => c.path);
      assertTeamOwnsPaths(team, paths);
      const requester = ctx.user?.ref;
      const message = commitMessage(title, ctx.input.description, requester);
      const commit = await worktree.commit(message, config.author);
      const branch = config.commitToBaseBranch ? config.baseBranch : branchName;
      ctx.logger.info(
        `Change of ${paths.length} path${
          paths.length === 1 ? '' : 's'
        } for ${branch}: ${paths.join(', ')}`,
      );

      if (ctx.isDryRun) {
        ctx.logger.info('Dry run: nothing was pushed');
        ctx.output('changeUrl', gitChangeUrl(config, branch, commit));
        ctx.output('forgeUrl', gitChangeUrl(config, branch, commit));
        ctx.output('branch', branch);
        ctx.output('commit', commit);
        ctx.output('paths', paths);
        return;
      }

      const published = await gitops.publisher().publish({
        repository: gitops.repository(),
        worktree,
        commit,
        branch: branchName,
        title,
        description: ctx.input.description,
        requester,
        author: config.author,
      });
      ctx.logger.info(
        published.outcome === 'unchanged'
          ? `${published.branch} already holds this change at ${published.commit}`
          : `${published.outcome === 'created' ? 'Opened' : 'Updated'} ${
              published.url
            } (${published.branch} at ${published.commit})`,
      );
      const recorded = await recordChange(options, ctx, {
        published,
        paths,
        base: worktree.base,
        title,
      });
      ctx.output('changeUrl', recorded?.url ?? published.url);
      ctx.output('forgeUrl', published.url);
      ctx.output('branch', published.branch);
      ctx.output('commit', published.commit);
      ctx.output('paths', paths);
    },
  });
}

/**
 * Records the published change with the portal, which follows it from
 * then on. A change that was pushed but not recorded fails the step with
 * its address, so that running the task again (which changes nothing at
 * the forge) records it.
 */
async function recordChange(
  options: GitopsActionOptions,
  ctx: {
    templateInfo?: { entityRef?: string };
    user?: { ref?: string };
    task?: { id: string };
    input: { team: string; description: string };
  },
  change: {
    published: PublishedChange;
    paths: string[];
    base: string;
    title: string;
  },
): Promise<ChangeRequestRecorded | undefined> {
  if (!options.recorder) return undefined;
  const { published } = change;
  try {
    return await options.recorder.record({
      template: ctx.templateInfo?.entityRef ?? 'template:default/unknown',
      requester: ctx.user?.ref ?? 'user:default/unknown',
      team: ctx.input.team,
      title: change.title,
      provider: options.gitops.repository().config.provider,
      branch: published.branch,
      forgeUrl: published.url,
      number: published.number,
      paths: change.paths,
      baseCommit: change.base,
      headCommit: published.commit,
      merged: published.merged,
      taskId: ctx.task?.id,
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      `The change was published (${published.url}), but the portal could not record it: ${error}. Run the task again to record it`,
    );
  }
}
