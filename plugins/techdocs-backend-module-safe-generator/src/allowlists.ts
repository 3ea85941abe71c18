import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * What a documentation source may switch on in its mkdocs.yml. Everything
 * else is stripped before mkdocs sees the file.
 */
export interface Allowlists {
  /** Top-level mkdocs.yml settings. */
  settings: ReadonlySet<string>;
  /** Values of `theme.name` (or of `theme` as a string). */
  themes: ReadonlySet<string>;
  /** Keys under `theme`. */
  themeSettings: ReadonlySet<string>;
  /** MkDocs plugins. */
  plugins: ReadonlySet<string>;
  /** Python-Markdown extensions, by the name mkdocs.yml gives them. */
  markdownExtensions: ReadonlySet<string>;
  /** Python callables a `!!python/name:` tag may name (emoji, fences, slugs). */
  pythonNames: ReadonlySet<string>;
}

/**
 * Settings that only carry text, navigation, presentation or data for the
 * theme. Left out on purpose: `INHERIT` (reads another YAML file), `hooks`
 * (runs Python files), `extra_templates` (renders Jinja templates, which can
 * reach the process), `site_dir`, `watch` and `dev_addr` (the generator sets
 * the output folder; the others only matter to `mkdocs serve`).
 */
const DEFAULT_SETTINGS = [
  'site_name',
  'site_description',
  'site_author',
  'site_url',
  'copyright',
  'repo_url',
  'repo_name',
  'edit_uri',
  'edit_uri_template',
  'nav',
  'docs_dir',
  'theme',
  'plugins',
  'markdown_extensions',
  'extra',
  'extra_css',
  'extra_javascript',
  'use_directory_urls',
  'strict',
  'exclude_docs',
  'not_in_nav',
  'validation',
];

/** The themes Debian ships with mkdocs and mkdocs-material. */
const DEFAULT_THEMES = ['material', 'mkdocs', 'readthedocs'];

/**
 * Presentation settings of those themes. Left out: `custom_dir` (templates
 * of the source's own, which are Jinja with access to Python objects) and
 * `static_templates` (more templates to render).
 */
const DEFAULT_THEME_SETTINGS = [
  'name',
  'language',
  'locale',
  'direction',
  'palette',
  'features',
  'font',
  'icon',
  'logo',
  'favicon',
  'highlightjs',
  'hljs_languages',
  'hljs_style',
  'navigation_depth',
  'nav_style',
  'collapse_navigation',
  'titles_only',
  'sticky_navigation',
];

/** Search, the only plugin installed beside mkdocs (and Material's names for it). */
const DEFAULT_PLUGINS = ['search', 'material/search', 'tags', 'material/tags'];

/**
 * Extensions that only transform the Markdown text they are given. Left
 * out: `pymdownx.snippets` and `pymdownx.b64` (read files by path; the
 * pymdownx 9.5 that Debian ships does not confine them), and every
 * extension not reviewed here.
 */
const DEFAULT_MARKDOWN_EXTENSIONS = [
  'abbr',
  'admonition',
  'attr_list',
  'codehilite',
  'def_list',
  'extra',
  'fenced_code',
  'footnotes',
  'md_in_html',
  'meta',
  'nl2br',
  'sane_lists',
  'smarty',
  'tables',
  'toc',
  'wikilinks',
  'pymdownx.arithmatex',
  'pymdownx.betterem',
  'pymdownx.caret',
  'pymdownx.critic',
  'pymdownx.details',
  'pymdownx.emoji',
  'pymdownx.escapeall',
  'pymdownx.extra',
  'pymdownx.highlight',
  'pymdownx.inlinehilite',
  'pymdownx.keys',
  'pymdownx.magiclink',
  'pymdownx.mark',
  'pymdownx.pathconverter',
  'pymdownx.progressbar',
  'pymdownx.saneheaders',
  'pymdownx.smartsymbols',
  'pymdownx.striphtml',
  'pymdownx.superfences',
  'pymdownx.tabbed',
  'pymdownx.tasklist',
  'pymdownx.tilde',
];

/** Pure functions of pymdownx that its documentation configures by name. */
const DEFAULT_PYTHON_NAMES = [
  'pymdownx.emoji.twemoji',
  'pymdownx.emoji.gemoji',
  'pymdownx.emoji.emojione',
  'pymdownx.emoji.to_svg',
  'pymdownx.emoji.to_png',
  'pymdownx.emoji.to_alt',
  'pymdownx.emoji.to_png_sprite',
  'pymdownx.emoji.to_svg_sprite',
  'pymdownx.superfences.fence_code_format',
  'pymdownx.superfences.fence_div_format',
  'pymdownx.slugs.uslugify',
  'pymdownx.slugs.uslugify_encoded',
  'pymdownx.slugs.uslugify_cased',
  'pymdownx.slugs.uslugify_cased_encoded',
  'pymdownx.slugs.gfm',
  'pymdownx.slugs.gfm_encoded',
];

/**
 * Never allowed, whatever the configuration says: each reads files outside
 * the documentation sources or runs code of the source's choosing.
 * `techdocs-core` switches on pymdownx.snippets.
 */
const NEVER_ALLOWED: Record<keyof Allowlists, string[]> = {
  settings: ['INHERIT', 'hooks', 'extra_templates', 'site_dir'],
  themes: [],
  themeSettings: ['custom_dir', 'static_templates'],
  plugins: [
    'techdocs-core',
    'include-markdown',
    'macros',
    'mkdocs-simple-hooks',
    'simple-hooks',
    'exec',
  ],
  markdownExtensions: [
    'pymdownx.snippets',
    'pymdownx.b64',
    'markdown_include.include',
    'markdown_include',
    'mdx_include',
    'markdown_exec',
  ],
  pythonNames: [],
};

const CONFIG_KEYS: Record<keyof Allowlists, [string, string[]]> = {
  settings: ['settings', DEFAULT_SETTINGS],
  themes: ['themes', DEFAULT_THEMES],
  themeSettings: ['themeSettings', DEFAULT_THEME_SETTINGS],
  plugins: ['plugins', DEFAULT_PLUGINS],
  markdownExtensions: ['markdownExtensions', DEFAULT_MARKDOWN_EXTENSIONS],
  pythonNames: ['pythonNames', DEFAULT_PYTHON_NAMES],
};

/** The prefix Python-Markdown puts before its own extensions' short names. */
const MARKDOWN_PREFIX = 'markdown.extensions.';

/** `markdown.extensions.toc` and `toc` are the same extension. */
export function canonicalExtensionName(name: string): string {
  return name.startsWith(MARKDOWN_PREFIX)
    ? name.slice(MARKDOWN_PREFIX.length)
    : name;
}

/**
 * The allowlists: the defaults above, each replaced by
 * `techdocs.safeGenerator.<list>` when that is configured. A configured
 * entry that is never allowed stops start-up.
 */
export function readAllowlists(config: Config): Allowlists {
  const section = config.getOptionalConfig('techdocs.safeGenerator');
  const lists = {} as Record<keyof Allowlists, ReadonlySet<string>>;
  for (const list of Object.keys(CONFIG_KEYS) as Array<keyof Allowlists>) {
    const [key, defaults] = CONFIG_KEYS[list];
    const configured = section?.getOptionalStringArray(key);
    const names = (configured ?? defaults).map(name =>
      list === 'markdownExtensions' ? canonicalExtensionName(name) : name,
    );
    const refused = names.filter(name => NEVER_ALLOWED[list].includes(name));
    if (refused.length > 0) {
      throw new InputError(
        `techdocs.safeGenerator.${key} may not allow ${refused.join(
          ', ',
        )}: it reads files outside the documentation sources or runs code`,
      );
    }
    lists[list] = new Set(names);
  }
  return lists;
}
