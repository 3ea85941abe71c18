import { ConfigSources } from '@backstage/config-loader';
import fs from 'node:fs';
import yaml from 'yaml';

/** A config value that names an environment variable nobody has set. */
export interface MissingEnvironmentVariable {
  /** Dotted path of the setting, e.g. `backend.database.connection.password`. */
  setting: string;
  /** The environment variable the setting reads. */
  variable: string;
  /** The config file that holds the setting. */
  file: string;
}

const SUBSTITUTION = /(?<!\$)\$\{([^{}]*)\}/g;

function walk(
  value: unknown,
  path: string[],
  visit: (path: string[], value: string) => void,
) {
  if (typeof value === 'string') {
    visit(path, value);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...path, String(i)], visit));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      walk(item, [...path, key], visit);
    }
  }
}

/**
 * Lists every `${VAR}` in the given config files whose variable is unset or
 * empty and has no `${VAR:-fallback}`. Backstage silently drops such values,
 * which surfaces much later as a confusing failure of whatever reads them.
 */
export function findMissingEnvironment(
  files: string[],
  env: NodeJS.ProcessEnv,
): MissingEnvironmentVariable[] {
  const missing: MissingEnvironmentVariable[] = [];
  for (const file of files) {
    const docs = yaml.parse(fs.readFileSync(file, 'utf8'));
    walk(docs, [], (path, value) => {
      for (const match of value.matchAll(SUBSTITUTION)) {
        const expression = match[1];
        if (expression.includes(':-')) {
          continue;
        }
        const variable = expression.trim();
        if (!env[variable]) {
          missing.push({ setting: path.join('.'), variable, file });
        }
      }
    });
  }
  return missing;
}

/**
 * The config files a backend started with `argv` reads, in merge order. They
 * are found by the same config-loader call as the backend's root config
 * service uses, so nothing is missed: the `--config` files or, without any,
 * `app-config.yaml` and its `BACKSTAGE_ENV` and `.local` siblings in the
 * repository root.
 */
export async function loadedConfigFiles(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const source = ConfigSources.default({ argv, env, watch: false });
  const abort = new AbortController();
  try {
    for await (const { configs } of source.readConfigData({
      signal: abort.signal,
    })) {
      return configs.flatMap(config => (config.path ? [config.path] : []));
    }
    return [];
  } finally {
    abort.abort();
  }
}
