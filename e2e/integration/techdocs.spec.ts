import { expect, test } from '@playwright/test';
import { GiteaStandIn, startGiteaStandIn } from '@internal/stand-ins';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BackendProcess,
  listenConfig,
  spawnBackend,
  waitUntilReady,
  repoRoot,
  scratchDir,
  writeConfig,
  freePort,
} from '@internal/test-harness';
import {
  adminGuestToken,
  registerLocation,
  syncTechDocs,
  waitForEntity,
} from '../support/locations';

/**
 * TechDocs of hostile sources on the real backend. A template author
 * registers components on a Git host (a Gitea stand-in on loopback,
 * answering Backstage's Gitea reader from a real bare repository) whose
 * mkdocs.yml and docs try to read /etc/passwd and the backend's
 * environment, which holds a canary ARGOCD_AUTH_TOKEN. The build must
 * leave each include inert or refuse the build, and nothing the backend
 * knows may reach the pages or the build log.
 */

const CANARY = `canary-${crypto.randomBytes(12).toString('hex')}`;
const GITEA_TOKEN = 'gitea-e2e-token';
const PASSWD_LINE = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0];

function catalogInfo(name: string) {
  return JSON.stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
    },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'team-search' },
  });
}

/** One folder of the hostile repository per component: file, or `{ link }`. */
const HOSTILE: Record<string, Record<string, string | { link: string }>> = {
  'hostile-includes': {
    'mkdocs.yml': [
      'site_name: Hostile includes',
      'markdown_extensions: [pymdownx.snippets]',
      'plugins: [search, include-markdown, macros]',
    ].join('\n'),
    'docs/index.md': [
      '# Hostile includes',
      '',
      '--8<-- "/etc/passwd"',
      '',
      '--8<-- "../../../../../../../../proc/self/environ"',
      '',
      '{% include-markdown "/etc/passwd" %}',
      '',
      "{{ include('/proc/self/environ') }}",
    ].join('\n'),
  },
  'hostile-env-tag': {
    'mkdocs.yml': 'site_name: !ENV ARGOCD_AUTH_TOKEN\n',
    'docs/index.md': '# Environment',
  },
  'hostile-docs-dir': {
    'mkdocs.yml': 'site_name: Escape\ndocs_dir: ../../../../../../etc\n',
    'docs/index.md': '# Escape',
  },
  'hostile-links': {
    'mkdocs.yml': 'site_name: Links\n',
    'docs/index.md': '# Links',
    // Each link looks inside the tree on its own (the reader's extraction
    // checks that); together p6 is the root of the file system.
    'r/.keep': '',
    q: { link: 'r/..' },
    p1: { link: 'q/..' },
    p2: { link: 'p1/..' },
    p3: { link: 'p2/..' },
    p4: { link: 'p3/..' },
    p5: { link: 'p4/..' },
    p6: { link: 'p5/..' },
    'docs/passwd.md': { link: '../p6/etc/passwd' },
  },
};

let dir: string;
let overlay: string;
let gitea: GiteaStandIn;
let backend: BackendProcess;
let token: string;

function writeRepository(root: string) {
  for (const [name, files] of Object.entries(HOSTILE)) {
    const all: Record<string, string | { link: string }> = {
      ...files,
      'catalog-info.yaml': catalogInfo(name),
    };
    for (const [file, content] of Object.entries(all)) {
      const target = path.join(root, name, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (typeof content === 'string') {
        fs.writeFileSync(target, content);
      } else {
        fs.symlinkSync(content.link, target);
      }
    }
  }
}

/** Every file of the published site, as a reader of the docs gets it. */
async function publishedSite(name: string): Promise<string[]> {
  const base = `${backend.baseUrl}/api/techdocs/static/docs/default/component/${name}`;
  const get = (file: string) =>
    fetch(`${base}/${file}`, { headers: { authorization: `Bearer ${token}` } });
  const metadata = await (await get('techdocs_metadata.json')).json();
  return Promise.all(
    (metadata.files as string[]).map(async file => (await get(file)).text()),
  );
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  dir = scratchDir('techdocs');
  const seed = path.join(dir, 'hostile-repo');
  writeRepository(seed);
  gitea = await startGiteaStandIn({
    project: 'team-search/hostile',
    seedDir: seed,
    token: GITEA_TOKEN,
  });
  const port = await freePort();
  overlay = writeConfig(dir, 'techdocs.json', {
    ...listenConfig(port),
    integrations: {
      gitea: [{ host: gitea.host, baseUrl: gitea.url, password: GITEA_TOKEN }],
    },
    techdocs: {
      publisher: {
        type: 'local',
        local: { publishDirectory: path.join(dir, 'published') },
      },
    },
  });
  backend = spawnBackend({
    port,
    configFiles: [path.join(repoRoot, 'app-config.yaml'), overlay],
    env: { ARGOCD_AUTH_TOKEN: CANARY },
  });
  await waitUntilReady(backend);
  token = await adminGuestToken(backend.baseUrl);
  for (const name of Object.keys(HOSTILE)) {
    const target = gitea.fileUrl(`${name}/catalog-info.yaml`);
    const { status } = await registerLocation(backend.baseUrl, token, target);
    expect(status, name).toBe(201);
    await waitForEntity(backend.baseUrl, token, { kind: 'component', name });
  }
});

test.afterAll(async () => {
  await backend?.stop();
  if (backend) {
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  }
  await gitea?.close();
});

test('builds hostile includes with every include left inert', async () => {
  const { events, text } = await syncTechDocs(
    backend.baseUrl,
    token,
    'component/hostile-includes',
  );
  expect(events.at(-1)).toEqual({ type: 'finish', data: { updated: true } });
  const site = await publishedSite('hostile-includes');
  for (const content of [text, ...site]) {
    expect(content).not.toContain(PASSWD_LINE);
    expect(content).not.toContain(CANARY);
    expect(content).not.toContain('ARGOCD_AUTH_TOKEN=');
  }
  const index = site.find(page => page.includes('<h1 id="hostile-includes">'));
  expect(index).toContain('--8&lt;-- "/etc/passwd"');
  expect(index).toContain('{% include-markdown "/etc/passwd" %}');
  expect(text).toContain(
    "Markdown extension 'pymdownx.snippets'; plugin 'include-markdown'; plugin 'macros'",
  );
  // The canary really is in the backend's environment.
  expect(fs.readFileSync(`/proc/${backendPid()}/environ`, 'utf8')).toContain(
    CANARY,
  );
});

/** Builds `name`, which must fail with `reason` and leave nothing to read. */
async function expectRefused(name: string, reason: RegExp) {
  const { events, text } = await syncTechDocs(
    backend.baseUrl,
    token,
    `component/${name}`,
  );
  const page = await fetch(
    `${backend.baseUrl}/api/techdocs/static/docs/default/component/${name}/index.html`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  for (const content of [text, await page.text()]) {
    expect(content).not.toContain(CANARY);
    expect(content).not.toContain(PASSWD_LINE);
  }
  expect(page.status).toBe(404);
  const last = events.at(-1)!;
  expect(last.type).toBe('error');
  expect(String(last.data)).toMatch(reason);
}

test.describe('refuses to build', () => {
  test('an !ENV tag', () =>
    expectRefused(
      'hostile-env-tag',
      /YAML tags that are not allowed here: !ENV/,
    ));
  test('a docs_dir outside the sources', () =>
    expectRefused(
      'hostile-docs-dir',
      /docs_dir '.*' is outside the documentation sources/,
    ));
  test('a chain of links out of the sources', () =>
    expectRefused(
      'hostile-links',
      /'docs\/passwd\.md' is a symbolic link to a place outside/,
    ));
});

test("builds the portal's own docs and a template's docs as before", async () => {
  const before = fs.readFileSync(path.join(repoRoot, 'mkdocs.yml'), 'utf8');
  for (const entity of [
    'component/portal-backend',
    'template/deploy-service',
  ] as const) {
    const { events } = await syncTechDocs(backend.baseUrl, token, entity);
    expect(events.at(-1), entity).toEqual({
      type: 'finish',
      data: { updated: true },
    });
    const page = await fetch(
      `${backend.baseUrl}/api/techdocs/static/docs/default/${entity}/index.html`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(page.status, entity).toBe(200);
  }
  expect(fs.readFileSync(path.join(repoRoot, 'mkdocs.yml'), 'utf8')).toBe(
    before,
  );
});

/** The pid of the backend process: the one started with this test's config. */
function backendPid(): number {
  for (const entry of fs.readdirSync('/proc').filter(e => /^\d+$/.test(e))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('src/index.ts') && cmdline.includes(overlay)) {
        return Number(entry);
      }
    } catch {
      // gone meanwhile
    }
  }
  throw new Error('backend process not found');
}
