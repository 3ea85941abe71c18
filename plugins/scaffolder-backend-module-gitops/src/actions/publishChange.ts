import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ChangeRequestRecorded } from '@internal/plugin-gitops-common';
import {
  commitMessage,
  gitChangeUrl,
  GitopsConfig,
  PublishedChange,
  resolveWorkspacePath,
  Worktree,
} from '@internal/plugin-gitops-node';
import { checkBranchName } from './branchName';
import { GitopsActionOptions } from './options';
import { assertTeamOwnsPaths, teamNameOf } from './teamPaths';

/** The inputs of `gitops:change:publish`. */
export interface PublishInput {
  sourcePath?: string;
  team: string;
  branchName: string;
  title: string;
  description: string;
}

/** What the step knows beyond its inputs. */
export interface PublishContext {
  input: PublishInput;
  workspacePath: string;
  logger: LoggerService;
  isDryRun: boolean;
  requester?: string;
  template?: string;
  taskId?: string;
}

/** The outputs of `gitops:change:publish`. */
export interface PublishOutputs {
  changeUrl: string;
  forgeUrl: string;
  branch: string;
  commit: string;
  paths: string[];
}

/** Checks the inputs that need no repository: team, branch, title. */
function checkInput(input: PublishInput, config: GitopsConfig) {
  const team = teamNameOf(input.team);
  const branchName = checkBranchName(input.branchName);
  const title = input.title.trim();
  if (!title) {
    throw new InputError('title must not be empty');
  }
  if (!config.commitToBaseBranch && branchName === config.baseBranch) {
    throw new NotAllowedError(
      `branchName must not be the base branch ${config.baseBranch}`,
    );
  }
  return { team, branchName, title };
}

/**
 * Stages and commits what the template wrote into the task's worktree,
 * after checking that every changed path lies in the team's folders.
 */
async function commitChange(context: PublishContext, config: GitopsConfig) {
  const { input } = context;
  const { team, branchName, title } = checkInput(input, config);
  const sourcePath = input.sourcePath ?? 'gitops';
  const root = resolveWorkspacePath(context.workspacePath, sourcePath);
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
  const message = commitMessage(title, input.description, context.requester);
  const commit = await worktree.commit(message, config.author);
  return { worktree, commit, paths, branchName, title };
}

/**
 * Commits the task's change and hands it to the change publisher of
 * `gitops.provider` (nothing is pushed in a dry run), then records the
 * change request with the portal.
 */
export async function publishChange(
  options: GitopsActionOptions,
  context: PublishContext,
): Promise<PublishOutputs> {
  const gitops = options.gitops;
  const config = gitops.repository().config;
  const { worktree, commit, paths, branchName, title } = await commitChange(
    context,
    config,
  );
  const branch = config.commitToBaseBranch ? config.baseBranch : branchName;
  const { logger } = context;
  logger.info(
    `Change of ${paths.length} path${
      paths.length === 1 ? '' : 's'
    } for ${branch}: ${paths.join(', ')}`,
  );
  if (context.isDryRun) {
    logger.info('Dry run: nothing was pushed');
    const url = gitChangeUrl(config, branch, commit);
    return { changeUrl: url, forgeUrl: url, branch, commit, paths };
  }
  const published = await gitops.publisher().publish({
    repository: gitops.repository(),
    worktree,
    commit,
    branch: branchName,
    title,
    description: context.input.description,
    requester: context.requester,
    author: config.author,
  });
  logger.info(
    published.outcome === 'unchanged'
      ? `${published.branch} already holds this change at ${published.commit}`
      : `${published.outcome === 'created' ? 'Opened' : 'Updated'} ${
          published.url
        } (${published.branch} at ${published.commit})`,
  );
  const recorded = await recordChange(options, context, {
    published,
    paths,
    base: worktree.base,
    title,
  });
  return {
    changeUrl: recorded?.url ?? published.url,
    forgeUrl: published.url,
    branch: published.branch,
    commit: published.commit,
    paths,
  };
}

/**
 * Records the published change with the portal, which follows it from
 * then on. A change that was pushed but not recorded fails the step with
 * its address, so that running the task again (which changes nothing at
 * the forge) records it.
 */
async function recordChange(
  options: GitopsActionOptions,
  context: PublishContext,
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
      template: context.template ?? 'template:default/unknown',
      requester: context.requester ?? 'user:default/unknown',
      team: context.input.team,
      title: change.title,
      provider: options.gitops.repository().config.provider,
      branch: published.branch,
      forgeUrl: published.url,
      number: published.number,
      paths: change.paths,
      baseCommit: change.base,
      headCommit: published.commit,
      merged: published.merged,
      taskId: context.taskId,
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      `The change was published (${published.url}), but the portal could not record it: ${error}. Run the task again to record it`,
    );
  }
}
