import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** The `gitops.changeRequests` settings, with their defaults. */
export interface ChangeRequestSettings {
  pollInterval: HumanDuration;
  deployWatchMs: number;
}

export function readChangeRequestSettings(
  config: Config,
): ChangeRequestSettings {
  const settings = config.getOptionalConfig('gitops.changeRequests');
  const read = (key: string, fallback: HumanDuration) =>
    settings?.has(key) ? readDurationFromConfig(settings, { key }) : fallback;
  return {
    pollInterval: read('pollInterval', { seconds: 30 }),
    deployWatchMs: durationToMilliseconds(read('deployWatch', { minutes: 30 })),
  };
}
