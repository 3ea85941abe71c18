import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { GitopsConfig, readGitopsConfig } from './config';
import { gitAuthFor } from './git/credentials';
import { createChangePublisher } from './publishers/createChangePublisher';
import { ChangePublisher } from './publishers/types';
import { GitOpsRepository } from './repository/GitOpsRepository';

/**
 * The GitOps repository of this backend, shared by every plugin that reads
 * or writes it.
 *
 * @public
 */
export interface GitopsService {
  /** The `gitops` configuration; undefined when it is not configured. */
  readonly config: GitopsConfig | undefined;
  /** The repository's mirror; throws when the repository is not configured. */
  repository(): GitOpsRepository;
  /** The publisher of `gitops.provider`; throws when not configured. */
  publisher(): ChangePublisher;
}

/** Throws the one message for a missing `gitops.repoUrl`. */
export function notConfigured(): never {
  throw new InputError(
    'The GitOps repository is not configured: set gitops.repoUrl in the app config',
  );
}

/**
 * Creates the service of a configuration; the default factory of
 * {@link gitopsServiceRef} uses it, tests and tools may too.
 *
 * @public
 */
export function createGitopsService(
  gitops: GitopsConfig | undefined,
  integrations: ScmIntegrations,
): GitopsService {
  let repository: GitOpsRepository | undefined;
  let publisher: ChangePublisher | undefined;
  const service: GitopsService = {
    config: gitops,
    repository() {
      if (!gitops) notConfigured();
      repository ??= new GitOpsRepository(
        gitops,
        gitAuthFor(gitops, integrations),
      );
      return repository;
    },
    publisher() {
      if (!gitops) notConfigured();
      publisher ??= createChangePublisher(
        gitops,
        service.repository(),
        integrations,
      );
      return publisher;
    },
  };
  return service;
}

/**
 * One GitOps repository (one mirror) per backend: a root service.
 *
 * @public
 */
export const gitopsServiceRef = createServiceRef<GitopsService>({
  id: 'portal.gitops',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) =>
        createGitopsService(
          readGitopsConfig(config),
          ScmIntegrations.fromConfig(config),
        ),
    }),
});
