import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import { isInstanceName } from './validation';

/** One Argo CD API server and the token the portal reads it with. */
export interface ArgoCdInstanceConfig {
  name: string;
  /** Base URL of the API server, without a trailing slash. */
  url: string;
  /** Where the card links to; `url` unless configured. */
  frontendUrl: string;
  token: string;
}

/** The plugin's settings, from the `argocd` config block. */
export interface ArgoCdSettings {
  /** Empty when Argo CD is not configured. */
  instances: ArgoCdInstanceConfig[];
  requestTimeoutMs: number;
  statusCacheTtlMs: number;
}

const DEFAULT_REQUEST_TIMEOUT: HumanDuration = { seconds: 5 };
const DEFAULT_STATUS_CACHE_TTL: HumanDuration = { seconds: 15 };

function durationMs(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
) {
  const duration = config?.has(key)
    ? readDurationFromConfig(config, { key })
    : fallback;
  const ms = durationToMilliseconds(duration);
  if (!(ms > 0)) {
    throw new Error(`argocd.${key} must be a positive duration`);
  }
  return ms;
}

function readInstance(config: Config): ArgoCdInstanceConfig {
  const name = config.getString('name');
  if (!isInstanceName(name)) {
    throw new Error(
      `argocd instance "${name}": name may hold only letters, digits, '.', '_' and '-'`,
    );
  }
  const url = config.getString('url').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new Error(
      `argocd instance "${name}": url must be an http(s) URL of the Argo CD API server`,
    );
  }
  return {
    name,
    url,
    frontendUrl: config.getOptionalString('frontendUrl') ?? url,
    token: config.getString('token'),
  };
}

/** Reads the `argocd` block; a malformed one stops start-up with the key at fault. */
export function readArgoCdSettings(root: Config): ArgoCdSettings {
  const config = root.getOptionalConfig('argocd');
  const methods = config?.getOptionalConfigArray('appLocatorMethods') ?? [];
  const instances = methods.flatMap(method => {
    const type = method.getString('type');
    if (type !== 'config') {
      throw new Error(
        `argocd.appLocatorMethods: type "${type}" is not supported, only "config"`,
      );
    }
    return method.getConfigArray('instances').map(readInstance);
  });
  const names = instances.map(i => i.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) {
    throw new Error(`argocd: instance name "${repeated}" is used twice`);
  }
  return {
    instances,
    requestTimeoutMs: durationMs(
      config,
      'requestTimeout',
      DEFAULT_REQUEST_TIMEOUT,
    ),
    statusCacheTtlMs: durationMs(
      config,
      'statusCacheTtl',
      DEFAULT_STATUS_CACHE_TTL,
    ),
  };
}
