import { Config } from '@backstage/config';
import { StartupRefusedError } from './errors';

/**
 * Backstage names every switch that weakens a safeguard `dangerously…`,
 * as a key (`backend.auth.dangerouslyDisableDefaultAuthPolicy`) or as a
 * value (proxy `credentials: dangerously-allow-unauthenticated`).
 */
const DANGEROUSLY = /^dangerously/i;

/** Production is what the image runs (NODE_ENV) or what the config says it is. */
function isProduction(config: Config, env: NodeJS.ProcessEnv): boolean {
  return (
    env.NODE_ENV === 'production' ||
    config.getOptionalString('auth.environment') === 'production'
  );
}

/** Whether a switch's value turns it on: `false`, `"false"`, empty and absent do not. */
function switchedOn(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (value && typeof value === 'object') {
    return Object.keys(value).length > 0;
  }
  if (typeof value === 'string') {
    return value.trim() !== '' && value.trim().toLowerCase() !== 'false';
  }
  return Boolean(value);
}

/**
 * Every `dangerously…` switch that is on anywhere in `data`, as the dotted
 * path of its key (array items by index), the value appended when the value
 * is the switch. Found by name, so a switch a future Backstage release adds
 * is refused without anyone listing it here.
 */
export function findDangerousSwitches(data: unknown, path: string[] = []) {
  const found: string[] = [];
  if (typeof data === 'string' && DANGEROUSLY.test(data)) {
    found.push(`${path.join('.')}: ${data}`);
  } else if (Array.isArray(data)) {
    data.forEach((item, i) =>
      found.push(...findDangerousSwitches(item, [...path, String(i)])),
    );
  } else if (data && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      if (DANGEROUSLY.test(key)) {
        if (switchedOn(value)) {
          found.push([...path, key].join('.'));
        }
      } else {
        found.push(...findDangerousSwitches(value, [...path, key]));
      }
    }
  }
  return found;
}

/**
 * What a production configuration may not do: switch the permission
 * framework off (it is the only thing between a signed-in user and every
 * API), let the local guest sign-in of app-config.yaml work, or turn on any
 * `dangerously…` switch. The guest provider stays configured there and
 * refuses by itself unless NODE_ENV is development or its switch is on.
 */
export function requireProductionSafety(
  config: Config,
  env: NodeJS.ProcessEnv,
) {
  if (!isProduction(config, env)) {
    return;
  }
  if (config.getOptionalBoolean('permission.enabled') !== true) {
    throw new StartupRefusedError(
      'permission.enabled must be true in a production configuration; the portal does not run without its permission policy',
    );
  }
  const guest = config.getOptionalConfig('auth.providers.guest');
  if (
    guest &&
    (env.NODE_ENV === 'development' ||
      guest.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') === true)
  ) {
    throw new StartupRefusedError(
      'auth.providers.guest would let anyone sign in as the guest user in a production configuration; run with NODE_ENV=production and without auth.providers.guest.dangerouslyAllowOutsideDevelopment',
    );
  }
  const dangerous = findDangerousSwitches(config.getOptional());
  if (dangerous.length > 0) {
    throw new StartupRefusedError(
      `A production configuration may not turn on any dangerously* switch; turn off:\n${dangerous
        .map(setting => `  ${setting}`)
        .join('\n')}`,
    );
  }
}
