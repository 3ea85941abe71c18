import { expect, test } from '@playwright/test';
import { commitAndPush } from '@internal/dev-git-server';
import { GiteaStandIn, startGiteaStandIn } from '@internal/stand-ins';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  BackendProcess,
  listenConfig,
  spawnBackend,
  waitUntilReady,
  repoRoot,
  scratchDir,
  writeConfig,
  freePort,
  waitFor,
} from '@internal/test-harness';
import {
  adminGuestToken,
  syncTechDocs,
  waitForEntity,
} from '../support/locations';

/**
 * Golden-path templates read from Git, as production reads them: the real
 * backend with app-config.production.yaml's templates location (a `url`
 * location of templates/catalog-info.yaml, TEMPLATES_LOCATION_URL) pointed
 * at a Gitea stand-in on loopback that serves this checkout's templates/
 * from a real bare repository. Changes are pushed to that repository with
 * git, as a merged change request would land.
 */

const GITEA_TOKEN = 'templates-e2e-token';
const PROJECT = 'platform/developer-portal';
const templatesDir = path.join(repoRoot, 'templates');
/** What production's catalog.processingInterval (100-150 s) is scaled down to. */
const PROCESSING_SECONDS = 2;

let dir: string;
let gitea: GiteaStandIn;
let backend: BackendProcess;
let token: string;

/** Template folders of the checkout: those with a template.yaml. */
function templateNames(): string[] {
  return fs
    .readdirSync(templatesDir)
    .filter(name =>
      fs.existsSync(path.join(templatesDir, name, 'template.yaml')),
    )
    .sort();
}

/** app-config.production.yaml's templates location, aimed at the stand-in. */
function productionTemplatesLocation(target: string) {
  const production = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.production.yaml'), 'utf8'),
  );
  const location = production.catalog.locations.find(
    (l: { target: string }) => l.target === '${TEMPLATES_LOCATION_URL}',
  );
  expect(location, 'the templates location in production').toBeTruthy();
  return { ...location, target };
}

/** The sample org of app-config.yaml, so the guest is a platform admin. */
function orgLocation() {
  const local = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  return local.catalog.locations.find((l: { target: string }) =>
    l.target.endsWith('catalog/org.yaml'),
  );
}

/**
 * A template.yaml of the checkout as the catalog should hold it: with any
 * `$yaml`, `$json` or `$text` placeholder replaced by the file it names,
 * relative to the template.
 */
function resolvedLocally(value: unknown, baseDir: string): unknown {
  if (Array.isArray(value)) return value.map(v => resolvedLocally(v, baseDir));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [key, target] = entries[0] ?? [];
  if (entries.length === 1 && /^\$(yaml|json|text)$/.test(key)) {
    const text = fs.readFileSync(path.resolve(baseDir, target), 'utf8');
    return key === '$text' ? text : parse(text);
  }
  return Object.fromEntries(
    entries.map(([k, v]) => [k, resolvedLocally(v, baseDir)]),
  );
}

/** Processing errors the catalog shows on an entity's page. */
function errorsOf(entity: any): string[] {
  return (entity.status?.items ?? [])
    .filter((item: any) => item.level === 'error')
    .map((item: any) => `${item.error?.message ?? item.message}`);
}

const entity = (kind: string, name: string, ready?: (e: any) => boolean) =>
  waitForEntity(backend.baseUrl, token, { kind, name }, ready);

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  dir = scratchDir('templates-from-git');
  const seed = path.join(dir, 'repository');
  // The repository as the platform team keeps it: templates/ of this
  // checkout, symbolic links (docs/index.md) as links.
  fs.cpSync(templatesDir, path.join(seed, 'templates'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  gitea = await startGiteaStandIn({
    project: PROJECT,
    seedDir: seed,
    token: GITEA_TOKEN,
  });
  const port = await freePort();
  const overlay = writeConfig(dir, 'templates.json', {
    ...listenConfig(port),
    integrations: {
      gitea: [{ host: gitea.host, baseUrl: gitea.url, password: GITEA_TOKEN }],
    },
    catalog: {
      processingInterval: { seconds: PROCESSING_SECONDS },
      locations: [
        orgLocation(),
        productionTemplatesLocation(
          gitea.fileUrl('templates/catalog-info.yaml'),
        ),
      ],
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
  });
  await waitUntilReady(backend);
  token = await adminGuestToken(backend.baseUrl);
});

test.afterAll(async () => {
  await backend?.stop();
  if (backend) {
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
  }
  await gitea?.close();
});

test('templates/catalog-info.yaml lists every template folder, one Location each', () => {
  const documents = parseAllDocuments(
    fs.readFileSync(path.join(templatesDir, 'catalog-info.yaml'), 'utf8'),
  ).map(d => d.toJS());
  expect(documents.every(d => d.kind === 'Location')).toBe(true);
  expect(documents.map(d => d.spec.target).sort()).toEqual(
    templateNames().map(name => `./${name}/template.yaml`),
  );
});

test('ingests every template from Git, shared parameter schemas included', async () => {
  const shared = parse(
    fs.readFileSync(path.join(templatesDir, 'shared/parameters.yaml'), 'utf8'),
  );
  for (const name of templateNames()) {
    const template = await entity('template', name);
    const annotations = template.metadata.annotations;
    expect(annotations['backstage.io/managed-by-location']).toBe(
      `url:${gitea.fileUrl(`templates/${name}/template.yaml`)}`,
    );
    expect(annotations['backstage.io/managed-by-origin-location']).toBe(
      `url:${gitea.fileUrl('templates/catalog-info.yaml')}`,
    );
    const local = parse(
      fs.readFileSync(path.join(templatesDir, name, 'template.yaml'), 'utf8'),
    );
    expect(template.spec.parameters, name).toEqual(
      resolvedLocally(local.spec.parameters, path.join(templatesDir, name)),
    );
    expect(JSON.stringify(template), name).not.toMatch(/"\$(yaml|json|text)"/);
    expect(errorsOf(template), name).toEqual([]);
  }
  const deployService = await entity('template', 'deploy-service');
  expect(deployService.spec.parameters[0].properties.team).toEqual(shared.team);
  // Read through the Gitea API, not from this checkout.
  expect(
    gitea.requests.some(r =>
      r.path.endsWith('/contents/templates/deploy-service/template.yaml'),
    ),
  ).toBe(true);
});

test("builds a template's TechDocs from Git", async () => {
  const { events } = await syncTechDocs(
    backend.baseUrl,
    token,
    'template/deploy-service',
  );
  expect(events.at(-1)).toEqual({ type: 'finish', data: { updated: true } });
  const page = await fetch(
    `${backend.baseUrl}/api/techdocs/static/docs/default/template/deploy-service/index.html`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(page.status).toBe(200);
  expect(
    gitea.requests.some(r =>
      r.path.startsWith(`/api/v1/repos/${PROJECT}/archive/`),
    ),
  ).toBe(true);
});

/** The checkout's template.yaml of `name`, with its title replaced. */
function retitled(name: string, title: string): string {
  const file = fs.readFileSync(
    path.join(templatesDir, name, 'template.yaml'),
    'utf8',
  );
  const changed = file.replace(/^  title: .*$/m, `  title: ${title}`);
  expect(changed).not.toBe(file);
  return changed;
}

function push(message: string, files: Record<string, string>) {
  return commitAndPush({
    repoUrl: gitea.repoUrl,
    branch: 'main',
    files,
    message,
    auth: { username: 'platform-team', password: GITEA_TOKEN },
  });
}

test('a merged change reaches the catalog within a few processing intervals', async () => {
  const pushed = Date.now();
  await push('Retitle deploy-service', {
    'templates/deploy-service/template.yaml': retitled(
      'deploy-service',
      'Deploy a container service (v2)',
    ),
  });
  await entity(
    'template',
    'deploy-service',
    e => e.metadata.title === 'Deploy a container service (v2)',
  );
  const seconds = (Date.now() - pushed) / 1000;
  test.info().annotations.push({
    type: 'push to catalog',
    description: `${seconds}s at a ${PROCESSING_SECONDS}s processing interval`,
  });
  expect(seconds).toBeLessThan(PROCESSING_SECONDS * 15);
});

test('a malformed change keeps the last good template and shows the error', async () => {
  const good = await entity('template', 'add-database');
  const goodPromote = await entity('template', 'promote-image');
  await push('Break two templates, retitle a third', {
    // Not YAML at all: its Location shows the error.
    'templates/promote-image/template.yaml': `${retitled(
      'promote-image',
      'Promote an image (broken)',
    )}\n  steps: [unclosed\n`,
    // YAML, but not a valid Template: the template shows the error.
    'templates/add-database/template.yaml': retitled(
      'add-database',
      'Add a database (broken)',
    ).replace(/^  steps:$/m, '  steps: not-a-list\n  unused-steps:'),
    'templates/deploy-service/template.yaml': retitled(
      'deploy-service',
      'Deploy a container service (v3)',
    ),
  });

  // A sibling's change still arrives: each template has its own Location.
  await entity(
    'template',
    'deploy-service',
    e => e.metadata.title === 'Deploy a container service (v3)',
  );
  const location = await entity(
    'location',
    'golden-path-promote-image',
    e => errorsOf(e).length > 0,
  );
  expect(errorsOf(location).join('\n')).toContain(
    `YAML error at url:${gitea.fileUrl(
      'templates/promote-image/template.yaml',
    )}`,
  );
  const addDatabase = await entity(
    'template',
    'add-database',
    e => errorsOf(e).length > 0,
  );
  expect(errorsOf(addDatabase).join('\n')).toMatch(/steps/);

  // The last good versions stay in the catalog and in the scaffolder.
  expect(addDatabase.metadata.title).toBe(good.metadata.title);
  expect(addDatabase.spec).toEqual(good.spec);
  const promote = await entity('template', 'promote-image');
  expect(promote.metadata.title).toBe(goodPromote.metadata.title);
  expect(promote.spec).toEqual(goodPromote.spec);
  const schema = await fetch(
    `${backend.baseUrl}/api/scaffolder/v2/templates/default/template/add-database/parameter-schema`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(schema.status).toBe(200);
  expect((await schema.json()).title).toBe(good.metadata.title);

  // Fixed: the new version goes in and the errors go away.
  await push('Fix add-database', {
    'templates/add-database/template.yaml': retitled(
      'add-database',
      'Add a database (fixed)',
    ),
  });
  const fixed = await entity(
    'template',
    'add-database',
    e => e.metadata.title === 'Add a database (fixed)',
  );
  await waitFor('the error to go', async () => {
    const current = await entity('template', 'add-database');
    return errorsOf(current).length === 0;
  });
  expect(fixed.spec.steps).toEqual(good.spec.steps);
});

test('refuses what a templates repository must not bring: people, other kinds, local files', async () => {
  // Existing Locations are changed, so their errors show on their pages.
  const smuggled = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'mallory-from-templates' },
      spec: { memberOf: ['platform-team'] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'component-from-templates' },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'platform-team',
      },
    },
  ];
  const listed = fs.readFileSync(
    path.join(templatesDir, 'catalog-info.yaml'),
    'utf8',
  );
  const target = './decommission-service/template.yaml';
  expect(listed).toContain(`target: ${target}`);
  await push('Hostile changes', {
    'templates/deploy-service/template.yaml': [
      fs.readFileSync(
        path.join(templatesDir, 'deploy-service/template.yaml'),
        'utf8',
      ),
      ...smuggled.map(e => JSON.stringify(e)),
    ].join('\n---\n'),
    // A file of the backend's own machine instead of the repository.
    'templates/catalog-info.yaml': listed.replace(
      `target: ${target}`,
      'type: file\n  target: /etc/passwd',
    ),
  });

  const people = await entity(
    'location',
    'golden-path-deploy-service',
    e => errorsOf(e).length > 0,
  );
  expect(errorsOf(people).join('\n')).toContain(
    'user:default/mallory-from-templates at url:',
  );
  expect(errorsOf(people).join('\n')).toContain(
    'is not of an allowed kind for that location',
  );
  const localFile = await entity(
    'location',
    'golden-path-decommission-service',
    e => errorsOf(e).length > 0,
  );
  expect(errorsOf(localFile).join('\n')).toContain(
    'Registered locations must be of an allowed type',
  );

  for (const [kind, name] of [
    ['user', 'mallory-from-templates'],
    ['component', 'component-from-templates'],
  ]) {
    const res = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/${kind}/default/${name}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status, name).toBe(404);
  }
  const everything = await fetch(`${backend.baseUrl}/api/catalog/entities`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0];
  expect(await everything.text()).not.toContain(passwd);
  // Both templates stay as they were.
  expect((await entity('template', 'deploy-service')).metadata.title).toBe(
    'Deploy a container service (v3)',
  );
  await entity('template', 'decommission-service');
});
