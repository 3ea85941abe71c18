export interface Config {
  techdocs?: {
    /**
     * What documentation sources may switch on in their mkdocs.yml when the
     * portal builds them (plugins/techdocs-backend-module-safe-generator).
     * Each list, when set, replaces that list's default (see the package's
     * README); anything not listed is left out of the build, with a line in
     * the build log. Entries that read files outside the sources or run code
     * (pymdownx.snippets, pymdownx.b64, markdown-include, mdx_include, the
     * include-markdown, macros and techdocs-core plugins, INHERIT, hooks,
     * extra_templates, theme.custom_dir) stop start-up if listed.
     */
    safeGenerator?: {
      /** Top-level mkdocs.yml settings that are kept, e.g. site_name, nav, theme. */
      settings?: string[];
      /** Theme names that may be used; the first is used in place of any other. */
      themes?: string[];
      /** Keys under `theme` that are kept, e.g. name, palette, features. */
      themeSettings?: string[];
      /** MkDocs plugins that are kept, e.g. search. */
      plugins?: string[];
      /** Python-Markdown extensions that are kept, e.g. admonition, pymdownx.superfences. */
      markdownExtensions?: string[];
      /** Python callables a `!!python/name:` tag may name, e.g. pymdownx.emoji.twemoji. */
      pythonNames?: string[];
    };
  };
}
