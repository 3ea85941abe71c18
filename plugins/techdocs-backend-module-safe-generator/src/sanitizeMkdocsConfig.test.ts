import { ConfigReader } from '@backstage/config';
import { readAllowlists } from './allowlists';
import { parseMkdocsYaml, PythonName, stringifyMkdocsYaml } from './mkdocsYaml';
import { sanitizeMkdocsConfig } from './sanitizeMkdocsConfig';

const allowlists = readAllowlists(new ConfigReader({}));

function sanitize(text: string) {
  return sanitizeMkdocsConfig(
    parseMkdocsYaml(text, allowlists.pythonNames),
    allowlists,
    { siteName: 'Entity title' },
  );
}

describe('parseMkdocsYaml', () => {
  it.each([
    ['!ENV', 'site_name: !ENV ARGOCD_AUTH_TOKEN'],
    ['!ENV', 'site_name: !ENV [ARGOCD_AUTH_TOKEN, fallback]'],
    ['!include', 'nav: !include /etc/passwd'],
    ['!relative', 'extra: {x: !relative $config_dir}'],
    [
      '!!python/object/apply:os.system',
      'extra: {x: !!python/object/apply:os.system ["id"]}',
    ],
    [
      '!!python/object/new:subprocess.Popen',
      'extra: !!python/object/new:subprocess.Popen [["id"]]',
    ],
    ['!!python/module:os', 'extra: {x: !!python/module:os ""}'],
    ['!!python/name:os.system', 'extra: {x: !!python/name:os.system ""}'],
    ['!!binary', 'extra: {x: !!binary aGVsbG8=}'],
  ])('refuses the %s tag', (tag, text) => {
    expect(() => parseMkdocsYaml(text, allowlists.pythonNames)).toThrow(
      expect.objectContaining({
        name: 'NotAllowedError',
        message: expect.stringContaining(tag),
      }),
    );
  });

  it('refuses a %TAG directive that renames a refused tag', () => {
    const text =
      '%TAG !e! tag:yaml.org,2002:python/object/apply:\n---\nextra: {x: !e!os.system [id]}\n';
    expect(() => parseMkdocsYaml(text, allowlists.pythonNames)).toThrow(
      /python\/object\/apply:os\.system/,
    );
  });

  it('keeps an allowlisted !!python/name and writes it back for PyYAML', () => {
    const parsed = parseMkdocsYaml(
      'markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:pymdownx.emoji.twemoji\n',
      allowlists.pythonNames,
    ) as {
      markdown_extensions: Array<Record<string, Record<string, unknown>>>;
    };
    const index = parsed.markdown_extensions[0]['pymdownx.emoji'].emoji_index;
    expect(index).toEqual(new PythonName('pymdownx.emoji.twemoji'));
    expect(
      stringifyMkdocsYaml(
        parsed as Record<string, unknown>,
        allowlists.pythonNames,
      ),
    ).toContain('emoji_index: !!python/name:pymdownx.emoji.twemoji ""');
  });

  it('reads YAML 1.1 as PyYAML does and quotes what PyYAML would misread', () => {
    const parsed = parseMkdocsYaml(
      'use_directory_urls: off\nextra: {a: "yes", b: "on", c: "0x1f", d: "~"}\n',
      allowlists.pythonNames,
    ) as Record<string, unknown>;
    expect(parsed).toEqual({
      use_directory_urls: false,
      extra: { a: 'yes', b: 'on', c: '0x1f', d: '~' },
    });
    const written = stringifyMkdocsYaml(parsed, allowlists.pythonNames);
    expect(written).toContain('a: "yes"');
    expect(written).toContain('b: "on"');
    expect(written).toContain('d: "~"');
  });

  it('refuses duplicate keys and explains invalid YAML', () => {
    expect(() => parseMkdocsYaml('a: 1\na: 2\n', new Set())).toThrow(
      /not valid YAML/,
    );
    expect(() => parseMkdocsYaml('a: [1\n', new Set())).toThrow(
      /not valid YAML/,
    );
  });

  it('bounds alias expansion', () => {
    const text = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(() => parseMkdocsYaml(text, new Set())).toThrow(/alias/i);
  });
});

describe('sanitizeMkdocsConfig', () => {
  it('strips file-reading Markdown extensions and keeps reviewed ones', () => {
    const { config, removed } = sanitize(`
site_name: Hostile
markdown_extensions:
  - pymdownx.snippets
  - pymdownx.snippets:
      base_path: [/]
  - pymdownx.b64
  - markdown_include.include:
      base_path: /
  - mdx_include
  - admonition
  - markdown.extensions.toc:
      permalink: true
  - pymdownx.superfences
`);
    expect(config.markdown_extensions).toEqual([
      'admonition',
      { toc: { permalink: true } },
      'pymdownx.superfences',
    ]);
    expect(removed).toEqual([
      "Markdown extension 'pymdownx.snippets'",
      "Markdown extension 'pymdownx.snippets'",
      "Markdown extension 'pymdownx.b64'",
      "Markdown extension 'markdown_include.include'",
      "Markdown extension 'mdx_include'",
    ]);
  });

  it('accepts extensions and plugins written as one mapping', () => {
    const { config, removed } = sanitize(`
markdown_extensions: {pymdownx.snippets: {}, tables: null}
plugins: {search: {lang: en}, macros: {}}
`);
    expect(config.markdown_extensions).toEqual(['tables']);
    expect(config.plugins).toEqual([{ search: { lang: 'en' } }]);
    expect(removed).toEqual([
      "Markdown extension 'pymdownx.snippets'",
      "plugin 'macros'",
    ]);
  });

  it('strips file-reading and code-running plugins', () => {
    const { config, removed } = sanitize(`
plugins:
  - search
  - include-markdown
  - macros:
      include_dir: /
  - techdocs-core
  - mkdocs-simple-hooks:
      hooks: {on_pre_build: "os:system"}
  - {}
  - [nested]
`);
    expect(config.plugins).toEqual(['search']);
    expect(removed).toEqual([
      'plugin: malformed entry {}',
      'plugin: malformed entry ["nested"]',
      "plugin 'include-markdown'",
      "plugin 'macros'",
      "plugin 'techdocs-core'",
      "plugin 'mkdocs-simple-hooks'",
    ]);
  });

  it('strips INHERIT, hooks, extra_templates, site_dir and unknown settings', () => {
    const { config, removed } = sanitize(`
INHERIT: /etc/mkdocs.yml
hooks: [/tmp/hook.py]
extra_templates: [leak.html]
site_dir: /var/lib/developer-portal/techdocs
dev_addr: 0.0.0.0:8000
site_name: Hostile
nav: [{Home: index.md}]
extra: {version: 1}
`);
    expect(config).toEqual({
      site_name: 'Hostile',
      nav: [{ Home: 'index.md' }],
      extra: { version: 1 },
      docs_dir: 'docs',
    });
    expect(removed).toEqual([
      "setting 'INHERIT'",
      "setting 'hooks'",
      "setting 'extra_templates'",
      "setting 'site_dir'",
      "setting 'dev_addr'",
    ]);
  });

  it('strips theme.custom_dir and falls back from a theme that is not allowed', () => {
    expect(
      sanitize(
        'theme: {name: material, custom_dir: /proc/self, palette: {primary: red}}',
      ),
    ).toMatchObject({
      config: { theme: { name: 'material', palette: { primary: 'red' } } },
      removed: ["theme setting 'custom_dir'"],
    });
    expect(sanitize('theme: evil')).toMatchObject({
      config: { theme: { name: 'material' } },
      removed: ["theme 'evil' (using 'material')"],
    });
  });

  it.each(['/etc', '../..', 'docs/../../x', '..\\..'])(
    'refuses docs_dir %s outside the sources',
    docsDir => {
      expect(() => sanitize(`docs_dir: '${docsDir}'`)).toThrow(
        expect.objectContaining({ name: 'NotAllowedError' }),
      );
    },
  );

  it('points mkdocs at the staged docs and names the site when mkdocs.yml does not', () => {
    expect(sanitize('docs_dir: documentation/./site')).toEqual({
      config: { site_name: 'Entity title', docs_dir: 'docs' },
      docsDir: 'documentation/site',
      removed: [],
    });
    expect(sanitize('')).toEqual({
      config: { site_name: 'Entity title', docs_dir: 'docs' },
      docsDir: 'docs',
      removed: [],
    });
    expect(() => sanitize('- a list')).toThrow(/mapping/);
  });
});

describe('readAllowlists', () => {
  it('lets configuration replace a list', () => {
    const lists = readAllowlists(
      new ConfigReader({
        techdocs: {
          safeGenerator: { markdownExtensions: ['markdown.extensions.toc'] },
        },
      }),
    );
    expect([...lists.markdownExtensions]).toEqual(['toc']);
    expect(lists.plugins.has('search')).toBe(true);
  });

  it.each([
    ['markdownExtensions', 'pymdownx.snippets'],
    ['markdownExtensions', 'markdown.extensions.pymdownx.snippets'],
    ['plugins', 'include-markdown'],
    ['plugins', 'macros'],
    ['settings', 'hooks'],
    ['settings', 'INHERIT'],
    ['themeSettings', 'custom_dir'],
  ])('refuses configuration that allows %s %s', (list, entry) => {
    expect(() =>
      readAllowlists(
        new ConfigReader({ techdocs: { safeGenerator: { [list]: [entry] } } }),
      ),
    ).toThrow(/may not allow/);
  });
});
