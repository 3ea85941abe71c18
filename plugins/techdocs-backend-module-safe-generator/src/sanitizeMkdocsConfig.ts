import { InputError, NotAllowedError } from '@backstage/errors';
import path from 'node:path';
import { Allowlists, canonicalExtensionName } from './allowlists';

/** Where the staged sources keep the documentation folder, beside mkdocs.yml. */
export const STAGED_DOCS_DIR = 'docs';

/** The outcome of {@link sanitizeMkdocsConfig}. */
export interface SanitisedMkdocsConfig {
  /** What mkdocs gets: only allowlisted settings, plugins and extensions. */
  config: Record<string, unknown>;
  /** The source's documentation folder, relative to its mkdocs.yml. */
  docsDir: string;
  /** What was stripped, one line each, for the build log. */
  removed: string[];
}

type Options = Record<string, unknown> | null;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Plugins and extensions come as a list of names or one-key mappings, or as
 * one mapping of name to options; both become `[name, options]` pairs.
 */
function namedEntries(
  value: unknown,
  what: string,
  removed: string[],
): Array<[string, Options]> {
  const items = isPlainObject(value)
    ? Object.entries(value).map(([name, options]) => ({ [name]: options }))
    : value;
  if (!Array.isArray(items)) {
    removed.push(`${what}s: not a list`);
    return [];
  }
  const entries: Array<[string, Options]> = [];
  for (const item of items) {
    if (typeof item === 'string' && item.length > 0) {
      entries.push([item, null]);
      continue;
    }
    const pairs = isPlainObject(item) ? Object.entries(item) : [];
    const [name, options] = pairs[0] ?? [];
    if (
      pairs.length === 1 &&
      (options === null || options === undefined || isPlainObject(options))
    ) {
      entries.push([name, (options as Options) ?? null]);
    } else {
      removed.push(`${what}: malformed entry ${JSON.stringify(item)}`);
    }
  }
  return entries;
}

function sanitizeNamed(
  value: unknown,
  allowed: ReadonlySet<string>,
  what: string,
  removed: string[],
  canonical: (name: string) => string = name => name,
): unknown[] {
  return namedEntries(value, what, removed).flatMap(([name, options]) => {
    if (!allowed.has(canonical(name))) {
      removed.push(`${what} '${name}'`);
      return [];
    }
    return [options ? { [canonical(name)]: options } : canonical(name)];
  });
}

function sanitizeTheme(
  value: unknown,
  allowlists: Allowlists,
  removed: string[],
): Record<string, unknown> {
  const theme: Record<string, unknown> = isPlainObject(value)
    ? { ...value }
    : { name: value };
  for (const key of Object.keys(theme)) {
    if (!allowlists.themeSettings.has(key)) {
      removed.push(`theme setting '${key}'`);
      delete theme[key];
    }
  }
  if (typeof theme.name !== 'string' || !allowlists.themes.has(theme.name)) {
    const fallback = [...allowlists.themes][0];
    removed.push(`theme '${String(theme.name)}' (using '${fallback}')`);
    theme.name = fallback;
  }
  return theme;
}

/** A relative folder that stays inside the sources, as written. */
function checkDocsDir(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError('mkdocs.yml: docs_dir must be a folder name');
  }
  const normalized = path.posix.normalize(value.replace(/\\/g, '/'));
  if (
    path.posix.isAbsolute(normalized) ||
    normalized === '..' ||
    normalized.startsWith('../')
  ) {
    throw new NotAllowedError(
      `mkdocs.yml: docs_dir '${value}' is outside the documentation sources`,
    );
  }
  return normalized;
}

/**
 * Keeps only what the allowlists name, and points mkdocs at the staged
 * documentation folder. Unknown settings, plugins, extensions and theme
 * settings are stripped (and listed in `removed`); a `docs_dir` outside the
 * sources is refused.
 */
export function sanitizeMkdocsConfig(
  parsed: unknown,
  allowlists: Allowlists,
  defaults: { siteName: string },
): SanitisedMkdocsConfig {
  if (parsed !== null && parsed !== undefined && !isPlainObject(parsed)) {
    throw new InputError('mkdocs.yml must be a mapping of settings');
  }
  const removed: string[] = [];
  const config: Record<string, unknown> = {};
  let docsDir = 'docs';
  for (const [key, value] of Object.entries(parsed ?? {})) {
    if (!allowlists.settings.has(key)) {
      removed.push(`setting '${key}'`);
    } else if (key === 'docs_dir') {
      docsDir = checkDocsDir(value);
    } else if (key === 'theme') {
      config.theme = sanitizeTheme(value, allowlists, removed);
    } else if (key === 'plugins') {
      config.plugins = sanitizeNamed(
        value,
        allowlists.plugins,
        'plugin',
        removed,
      );
    } else if (key === 'markdown_extensions') {
      config.markdown_extensions = sanitizeNamed(
        value,
        allowlists.markdownExtensions,
        'Markdown extension',
        removed,
        canonicalExtensionName,
      );
    } else {
      config[key] = value;
    }
  }
  if (typeof config.site_name !== 'string' || config.site_name === '') {
    config.site_name = defaults.siteName;
  }
  config.docs_dir = STAGED_DOCS_DIR;
  return { config, docsDir, removed };
}
