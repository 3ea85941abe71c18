import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/**
 * Every minute, the first run at start-up: with a webhook the catalog
 * follows a merge within seconds, without one within a minute.
 */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 60 },
  timeout: { minutes: 10 },
};

/**
 * `catalog.providers.gitops.schedule`, or {@link DEFAULT_SCHEDULE}; global
 * whatever it says, so one replica runs at a time.
 */
export function readProviderSchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const schedule = config.getOptionalConfig(
    'catalog.providers.gitops.schedule',
  );
  return {
    ...(schedule
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule)
      : DEFAULT_SCHEDULE),
    scope: 'global',
  };
}

/** `events.modules.gitops.webhookSecret`; empty counts as not set. */
export function readWebhookSecret(config: Config): string | undefined {
  return (
    config.getOptionalString('events.modules.gitops.webhookSecret') || undefined
  );
}
