import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The GitOps repository (`gitops.repoUrl`, its base branch) as a
       * source of catalog entities: the teams' namespaces, services and
       * databases of its catalog-info.yaml files
       * (plugins/catalog-backend-module-gitops). On when `gitops.repoUrl`
       * is set.
       */
      gitops?: {
        /**
         * When the provider fetches the base branch and applies what
         * changed. Default: every 60 seconds, at most 10 minutes per run.
         * It is one global task (`gitops-repository:refresh`, whatever
         * `scope` says), so one replica runs it at a time; a replica's
         * start and a push webhook (`events.modules.*`) ask the scheduler
         * for a run right away besides.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
  events?: {
    modules?: {
      /**
       * The push webhook of the GitOps repository for `gitops.provider:
       * git` (Gitea, Forgejo or any Git server that can post a signed
       * request), at `POST /api/events/http/gitops`. GitHub and GitLab
       * use `events.modules.github.webhookSecret` and
       * `events.modules.gitlab.webhookSecret` instead.
       */
      gitops?: {
        /**
         * Key of the HMAC-SHA256 of the request body, sent in
         * `X-Hub-Signature-256: sha256=<hex>`, `X-Gitea-Signature` or
         * `X-Forgejo-Signature`. Without it the webhook is off; requests
         * without a valid signature are refused with 401.
         *
         * @visibility secret
         */
        webhookSecret?: string;
      };
    };
  };
}
