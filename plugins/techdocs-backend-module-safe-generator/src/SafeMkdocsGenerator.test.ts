import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GeneratorBase,
  GeneratorRunOptions,
  TechdocsGenerator,
} from '@backstage/plugin-techdocs-node';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SafeMkdocsGenerator } from './SafeMkdocsGenerator';

/** The portal's TechDocs settings (app-config.yaml). */
const techdocsConfig = {
  techdocs: {
    builder: 'local',
    generator: { runIn: 'local', mkdocs: { omitTechdocsCorePlugin: true } },
  },
};
const repoRoot = path.resolve(__dirname, '../../..');
const CANARY = `canary-${process.pid}-${Date.now()}`;
/**
 * A variable of the test process's real environment: jest hands tests a
 * copy of process.env, so a variable set here would not reach a child.
 */
const ENV_MARKER = 'JEST_WORKER_ID=';
const PASSWD_LINE = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0];

let tmp: string;
let log: string[];

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-generator-test-'));
  log = [];
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sources(files: Record<string, string | { link: string }>) {
  const root = path.join(tmp, 'src');
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'string') {
      fs.writeFileSync(file, content);
    } else {
      fs.symlinkSync(content.link, file);
    }
  }
  return root;
}

function generator(): GeneratorBase {
  return SafeMkdocsGenerator.fromConfig(new ConfigReader(techdocsConfig), {
    logger: mockServices.logger.mock(),
  });
}

async function build(gen: GeneratorBase, inputDir: string) {
  const outputDir = fs.mkdtempSync(path.join(tmp, 'out-'));
  const logger = {
    info: (m: string) => log.push(m),
    warn: (m: string) => log.push(m),
    error: (m: string) => log.push(m),
    debug: () => {},
  } as unknown as GeneratorRunOptions['logger'];
  await gen.run({ inputDir, outputDir, logger, etag: 'abc123' });
  return outputDir;
}

/** Every file of the built site, concatenated. */
function site(outputDir: string): string {
  return (fs.readdirSync(outputDir, { recursive: true }) as string[])
    .map(f => path.join(outputDir, f))
    .filter(f => fs.statSync(f).isFile())
    .map(f => fs.readFileSync(f, 'latin1'))
    .join('\n');
}

const SNIPPETS = {
  'mkdocs.yml':
    'site_name: Hostile\nmarkdown_extensions: [pymdownx.snippets]\n',
  'docs/index.md': [
    '# Hostile',
    '',
    '--8<-- "/etc/passwd"',
    '',
    '--8<-- "../../../../../../../../proc/self/environ"',
    '',
  ].join('\n'),
};

describe('SafeMkdocsGenerator', () => {
  it('control: the stock generator leaks /etc/passwd and the environment through pymdownx.snippets', async () => {
    const stock = TechdocsGenerator.fromConfig(
      new ConfigReader(techdocsConfig),
      { logger: mockServices.logger.mock() },
    );
    const out = site(await build(stock, sources(SNIPPETS)));
    expect(out).toContain(PASSWD_LINE);
    expect(out).toContain(ENV_MARKER);
  });

  it('leaves pymdownx.snippets includes inert', async () => {
    const out = site(await build(generator(), sources(SNIPPETS)));
    expect(out).not.toContain(PASSWD_LINE);
    expect(out).not.toContain(ENV_MARKER);
    expect(out).toContain('--8&lt;-- "/etc/passwd"');
    expect(log.join('\n')).toContain("Markdown extension 'pymdownx.snippets'");
  });

  it('control: the stock generator puts !ENV values into the page', async () => {
    const stock = TechdocsGenerator.fromConfig(
      new ConfigReader(techdocsConfig),
      { logger: mockServices.logger.mock() },
    );
    const input = sources({
      'mkdocs.yml': 'site_name: !ENV PATH\n',
      'docs/index.md': '# Hello',
    });
    expect(site(await build(stock, input))).toContain(
      `<title>${process.env.PATH}</title>`,
    );
  });

  it.each([
    ['!ENV', 'site_name: !ENV PATH\n'],
    ['!include', 'site_name: x\nnav: !include /etc/passwd\n'],
    [
      '!!python/object/apply',
      'site_name: !!python/object/apply:os.getenv [PATH]\n',
    ],
  ])('refuses the build on a %s tag', async (_tag, yml) => {
    const input = sources({ 'mkdocs.yml': yml, 'docs/index.md': '# Hello' });
    await expect(build(generator(), input)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('leaves include-markdown and macros includes inert', async () => {
    const input = sources({
      'mkdocs.yml': [
        'site_name: Hostile',
        'plugins:',
        '  - search',
        '  - include-markdown',
        '  - macros: {include_dir: /}',
        '',
      ].join('\n'),
      'docs/index.md': [
        '# Hostile',
        '{% include-markdown "/etc/passwd" %}',
        "{{ include('/proc/self/environ') }}",
        '',
      ].join('\n'),
    });
    const out = site(await build(generator(), input));
    expect(out).not.toContain(PASSWD_LINE);
    expect(out).not.toContain(ENV_MARKER);
    expect(out).toContain('{% include-markdown "/etc/passwd" %}');
    expect(log.join('\n')).toContain(
      "plugin 'include-markdown'; plugin 'macros'",
    );
  });

  it('runs no hooks, inherits nothing and renders no templates of the sources', async () => {
    const input = sources({
      'mkdocs.yml': [
        'site_name: Hostile',
        'INHERIT: ../inherited.yml',
        'hooks: [hook.py]',
        'extra_templates: [page.html]',
        'theme: {name: material, custom_dir: overrides}',
        '',
      ].join('\n'),
      'hook.py': `import os\nopen("${tmp}/hook-ran", "w").write("x")\n`,
      'overrides/main.html': 'CUSTOM-TEMPLATE-{{ 6 * 7 }}',
      'docs/index.md': '# Hostile',
      'docs/page.html': 'EXTRA-TEMPLATE-{{ 6 * 7 }}',
    });
    fs.writeFileSync(path.join(tmp, 'inherited.yml'), `copyright: ${CANARY}\n`);
    const out = site(await build(generator(), input));
    expect(fs.existsSync(path.join(tmp, 'hook-ran'))).toBe(false);
    expect(out).not.toContain(CANARY);
    expect(out).not.toContain('CUSTOM-TEMPLATE');
    expect(out).not.toContain('EXTRA-TEMPLATE-42');
  });

  it('keeps theme icons inside the theme', async () => {
    // Material includes `.icons/<name>.svg` with Jinja, whose loader refuses
    // `..`; the build fails rather than read the file.
    const input = sources({
      'mkdocs.yml':
        'site_name: x\ntheme: {name: material, icon: {logo: ../../../../../../etc/passwd}}\n',
      'docs/index.md': '# Hello',
    });
    await expect(build(generator(), input)).rejects.toMatchObject({
      name: 'MkdocsBuildError',
    });
  });

  it.each([
    [
      'a docs_dir outside the sources',
      { 'mkdocs.yml': 'site_name: x\ndocs_dir: ../../../../etc\n' },
    ],
    [
      'a docs folder that links out',
      { 'mkdocs.yml': 'site_name: x\n', docs: { link: '/etc' } },
    ],
    [
      'a page that links to /etc/passwd',
      { 'docs/passwd.md': { link: '/etc/passwd' } },
    ],
    [
      'an mkdocs.yml that links to the environment',
      { 'mkdocs.yml': { link: '/proc/self/environ' } },
    ],
  ])(
    'refuses %s',
    async (_what, files: Record<string, string | { link: string }>) => {
      const input = sources(
        'docs' in files ? files : { 'docs/index.md': '# Hello', ...files },
      );
      await expect(build(generator(), input)).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
    },
  );

  it('gives mkdocs none of the backend environment', async () => {
    // An mkdocs stand-in on PATH that writes its own environment into the site.
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'mkdocs'),
      '#!/bin/sh\nmkdir -p "$5" && tr "\\0" "\\n" < /proc/self/environ > "$5/environ.txt"\n',
      { mode: 0o755 },
    );
    const previousPath = process.env.PATH;
    process.env.PATH = `${bin}:${previousPath}`;
    try {
      const input = sources({ 'docs/index.md': '# Hello' });
      const out = await build(generator(), input);
      const environ = fs.readFileSync(path.join(out, 'environ.txt'), 'utf8');
      const names = environ
        .trim()
        .split('\n')
        .map(line => line.split('=')[0])
        .filter(name => name !== 'PWD'); // set by the stand-in's own shell
      expect(names.sort()).toEqual([
        'HOME',
        'LANG',
        'LC_ALL',
        'PATH',
        'PYTHONDONTWRITEBYTECODE',
        'PYTHONNOUSERSITE',
        'TMPDIR',
      ]);
      expect(environ).not.toContain(ENV_MARKER);
      expect(environ).toMatch(/^HOME=.*techdocs-safe-.*\/home$/m);
    } finally {
      process.env.PATH = previousPath;
    }
  });

  it('builds the site with metadata and leaves the sources as they were', async () => {
    const input = sources({
      'mkdocs.yml': [
        'site_name: Fine',
        'site_description: A fine site',
        'theme: {name: material, features: [navigation.tabs]}',
        'markdown_extensions:',
        '  - admonition',
        '  - pymdownx.emoji: {emoji_index: !!python/name:pymdownx.emoji.twemoji , emoji_generator: !!python/name:pymdownx.emoji.to_svg }',
        '',
      ].join('\n'),
      'docs/index.md': '# Fine\n\n!!! note\n    Noted :smile:\n',
      'docs/techdocs_metadata.json': '{"etag": "forged"}',
    });
    const before = fs.readFileSync(path.join(input, 'mkdocs.yml'), 'utf8');
    const out = await build(generator(), input);
    expect(fs.readFileSync(path.join(input, 'mkdocs.yml'), 'utf8')).toBe(
      before,
    );
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('class="admonition note"');
    expect(index).toContain('<svg');
    const metadata = JSON.parse(
      fs.readFileSync(path.join(out, 'techdocs_metadata.json'), 'utf8'),
    );
    expect(metadata).toMatchObject({
      site_name: 'Fine',
      site_description: 'A fine site',
      etag: 'abc123',
      build_timestamp: expect.any(Number),
    });
    expect(metadata.files).toContain('index.html');
    expect(metadata.files).toContain('techdocs_metadata.json');
  });

  it.each([
    ['the portal', '.'],
    ...fs
      .readdirSync(path.join(repoRoot, 'templates'))
      .filter(t =>
        fs.existsSync(path.join(repoRoot, 'templates', t, 'mkdocs.yml')),
      )
      .map(t => [`the ${t} template`, `templates/${t}`]),
  ])(
    'builds the docs of %s as before, without touching them',
    async (_what, dir) => {
      const inputDir = path.join(repoRoot, dir);
      const digest = () =>
        createHash('sha256')
          .update(fs.readFileSync(path.join(inputDir, 'mkdocs.yml')))
          .update(fs.readdirSync(path.join(inputDir, 'docs')).join())
          .digest('hex');
      const before = digest();
      const out = await build(generator(), inputDir);
      expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
      expect(log.join('\n')).not.toContain('Left out');
      expect(digest()).toBe(before);
    },
  );

  it('refuses to run mkdocs in Docker', () => {
    expect(() =>
      SafeMkdocsGenerator.fromConfig(
        new ConfigReader({ techdocs: { generator: { runIn: 'docker' } } }),
        { logger: mockServices.logger.mock() },
      ),
    ).toThrow(/only runs the local mkdocs/);
  });
});
