import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

const KEY = 'kubernetes.requestTimeout';
const DEFAULT_MS = 10_000;

/** `kubernetes.requestTimeout` in milliseconds; a bad value stops the start-up. */
export function readRequestTimeoutMs(config: Config): number {
  if (!config.has(KEY)) {
    return DEFAULT_MS;
  }
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: KEY }),
  );
  if (!(ms > 0)) {
    throw new Error(`${KEY} must be a positive duration`);
  }
  return ms;
}
