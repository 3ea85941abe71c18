import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { GIT_PUSH_TOPIC, gitopsServiceRef } from '@internal/plugin-gitops-node';
import { readWebhookSecret } from './config';
import { jsonBodyParser } from './webhook/jsonBodyParser';
import { createPushSignatureValidator } from './webhook/signature';

/**
 * The push webhook of a plain-Git GitOps repository
 * (`POST /api/events/http/gitops`, signed with
 * `events.modules.gitops.webhookSecret`), and a JSON body parser that
 * answers 400 to a body that is not JSON, for every webhook.
 *
 * @public
 */
export const eventsModuleGitopsWebhook = createBackendModule({
  pluginId: 'events',
  moduleId: 'gitops-webhook',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        events: eventsExtensionPoint,
        gitops: gitopsServiceRef,
        logger: coreServices.logger,
      },
      async init({ config, events, gitops, logger }) {
        events.addHttpPostBodyParser({
          contentType: 'application/json',
          parser: jsonBodyParser,
        });
        const secret = readWebhookSecret(config);
        const provider = gitops.config?.provider;
        if (!secret || provider !== 'git') {
          logger.info(
            `GitOps push webhook for plain Git is off (${
              secret
                ? `gitops.provider is ${provider ?? 'not set'}`
                : 'no events.modules.gitops.webhookSecret'
            })`,
          );
          return;
        }
        events.addHttpPostIngress({
          topic: GIT_PUSH_TOPIC,
          validator: createPushSignatureValidator(secret),
        });
      },
    });
  },
});
