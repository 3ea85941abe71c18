import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readMkdocsConfigText, stageDocs } from './stageSources';

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-sources-test-'));
});

afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes `files` (content, or `{ link }` for a symbolic link) under `root`. */
function write(root: string, files: Record<string, string | { link: string }>) {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'string') {
      fs.writeFileSync(file, content);
    } else {
      fs.symlinkSync(content.link, file);
    }
  }
}

function stage(docsDir = 'docs') {
  return stageDocs({
    sourceRoot: path.join(tmp, 'src'),
    docsDir,
    targetDir: path.join(tmp, 'staged'),
  });
}

function staged(name: string) {
  return fs.readFileSync(path.join(tmp, 'staged', name), 'utf8');
}

describe('stageDocs', () => {
  it('copies the documentation folder and follows links that stay inside the sources', async () => {
    write(path.join(tmp, 'src'), {
      'README.md': '# Readme',
      'docs/index.md': { link: '../README.md' },
      'docs/guide/page.md': 'page',
      'docs/same': { link: 'guide' },
      'docs/guide/loop': { link: '..' },
      'docs/gone.md': { link: 'missing.md' },
    });
    expect(await stage()).toEqual([
      "'docs/gone.md' (a dangling link)",
      "'docs/guide/loop' (a link to its own parent)",
      "'docs/same/loop' (a link to its own parent)",
    ]);
    expect(staged('index.md')).toBe('# Readme');
    expect(staged('guide/page.md')).toBe('page');
    expect(staged('same/page.md')).toBe('page');
    expect(fs.lstatSync(path.join(tmp, 'staged/index.md')).isFile()).toBe(true);
  });

  it.each([
    [
      'a file link to /etc/passwd',
      { 'docs/passwd.md': { link: '/etc/passwd' } },
    ],
    [
      'a relative link to the backend environment',
      {
        'docs/env.md': {
          link: '../../../../../../../../proc/self/environ',
        },
      },
    ],
    ['a folder link out of the sources', { 'docs/etc': { link: '/etc' } }],
    [
      'a chain of links that each look inside but lead out',
      {
        // q resolves to the sources' root, so p (q/..) is the folder
        // around the sources, where outside.md lies.
        'r/.keep': '',
        q: { link: 'r/..' },
        p: { link: 'q/..' },
        'docs/index.md': { link: '../p/outside.md' },
      },
    ],
  ])('refuses %s', async (_what, files) => {
    write(tmp, { 'outside.md': 'secret' });
    write(path.join(tmp, 'src'), { 'docs/ok.md': 'ok', ...files });
    await expect(stage()).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/outside the documentation sources/),
    });
  });

  it('refuses a docs_dir that is a link out of the sources', async () => {
    write(path.join(tmp, 'src'), { documentation: { link: '/etc' } });
    await expect(stage('documentation')).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('skips what is not a file or folder', async () => {
    write(path.join(tmp, 'src'), { 'docs/index.md': 'x' });
    execFileSync('mkfifo', [path.join(tmp, 'src/docs/pipe.md')]);
    expect(await stage()).toEqual(["'docs/pipe.md' (not a regular file)"]);
  });

  it('explains a missing documentation folder', async () => {
    write(path.join(tmp, 'src'), { 'README.md': 'x' });
    await expect(stage()).rejects.toThrow(
      "The documentation folder 'docs' does not exist",
    );
  });
});

describe('readMkdocsConfigText', () => {
  it('reads mkdocs.yaml before mkdocs.yml, and nothing when there is neither', async () => {
    write(path.join(tmp, 'a'), { 'mkdocs.yml': 'yml', 'mkdocs.yaml': 'yaml' });
    write(path.join(tmp, 'b'), { 'mkdocs.yml': 'yml' });
    write(path.join(tmp, 'c'), { 'README.md': '' });
    expect(await readMkdocsConfigText(path.join(tmp, 'a'))).toBe('yaml');
    expect(await readMkdocsConfigText(path.join(tmp, 'b'))).toBe('yml');
    expect(await readMkdocsConfigText(path.join(tmp, 'c'))).toBeUndefined();
  });

  it('refuses a config file that links out of the sources before reading it', async () => {
    write(path.join(tmp, 'src'), {
      'mkdocs.yml': { link: '/proc/self/environ' },
    });
    await expect(readMkdocsConfigText(path.join(tmp, 'src'))).rejects.toThrow(
      "'mkdocs.yml' is a symbolic link to a place outside the documentation sources",
    );
  });
});
