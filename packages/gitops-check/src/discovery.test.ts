import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  discoverApplications,
  matchesPattern,
  renderGoTemplate,
} from './discovery';
import { readTree } from './files';
import { gitopsDir, templatesDir } from './paths';

/** The expected/ folder of every accepted fixture, by `<template>/<fixture>`. */
function renderedOutputDirs(): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const template of fs.readdirSync(templatesDir)) {
    const fixtures = path.join(templatesDir, template, 'fixtures');
    if (!fs.existsSync(fixtures)) continue;
    for (const fixture of fs.readdirSync(fixtures)) {
      const expected = path.join(fixtures, fixture, 'expected');
      // A change that only deletes (decommission) renders nothing.
      if (fs.existsSync(expected) && fs.readdirSync(expected).length > 0) {
        dirs.set(`${template}/${fixture}`, expected);
      }
    }
  }
  return dirs;
}

describe('discovery of what the templates render', () => {
  const dirs = renderedOutputDirs();
  const outputs = new Map<string, Map<string, string>>();
  let bootstrap: Map<string, string>;

  beforeAll(async () => {
    bootstrap = await readTree(gitopsDir);
    for (const [name, dir] of dirs) {
      outputs.set(name, await readTree(dir));
    }
  });

  it('has rendered output to look at', () => {
    expect([...outputs.keys()]).toEqual(
      expect.arrayContaining([
        'onboard-team/team-payments',
        'deploy-service/payments-api',
        'add-database/ledger-prod',
      ]),
    );
  });

  /** The Application each rendered file must be applied by. */
  function expectedApplications(files: Map<string, string>) {
    const wanted = new Map<string, object>();
    for (const file of files.keys()) {
      const parts = file.split('/');
      if (parts[0] === 'teams' && parts.length > 2) {
        const [, team] = parts;
        wanted.set(`teams/${team}`, {
          applicationSet: 'teams',
          name: `team-${team}`,
          project: 'platform',
        });
      } else if (parts[0] === 'services' && parts[3] === 'overlays') {
        const [, team, service, , env] = parts;
        wanted.set(`services/${team}/${service}/overlays/${env}`, {
          applicationSet: 'services',
          name: `${team}.${service}.${env}`,
          project: team,
          namespace: `${team}-${env}`,
        });
      } else if (parts[0] === 'databases' && parts.length > 4) {
        const [, team, env, db] = parts;
        wanted.set(`databases/${team}/${env}/${db}`, {
          applicationSet: 'databases',
          name: `${team}.db-${db}.${env}`,
          project: team,
          namespace: `${team}-${env}`,
        });
      }
    }
    return wanted;
  }

  it.each([...dirs.keys()])(
    '%s: every rendered app folder is discovered with the right project and namespace',
    fixture => {
      const files = outputs.get(fixture)!;
      const apps = discoverApplications(files, bootstrap);
      const wanted = expectedApplications(files);
      expect(wanted.size).toBeGreaterThan(0);
      for (const [dir, app] of wanted) {
        expect(apps.find(a => a.dir === dir)).toMatchObject(app);
      }

      // Overlays and databases declare the namespace the Application uses.
      const declared = [...files]
        .filter(([file]) =>
          /(overlays\/[^/]+\/kustomization|cluster|scheduled-backup)\.yaml$/.test(
            file,
          ),
        )
        .map(([file, content]) => {
          const doc = parse(content);
          return { file, namespace: doc.namespace ?? doc.metadata?.namespace };
        });
      for (const { file, namespace } of declared) {
        const app = apps.find(a => file.startsWith(`${a.dir}/`));
        expect({ file, namespace }).toEqual({
          file,
          namespace: app?.namespace,
        });
      }

      // The catalog's Argo CD view names an Application that is generated
      // (for services, the prod one).
      // (A catalog-info.yaml may hold several entities.)
      const appNames = [...files]
        .filter(([file]) => file.endsWith('catalog-info.yaml'))
        .flatMap(([, content]) =>
          parseAllDocuments(content).map(
            doc => doc.toJS()?.metadata?.annotations?.['argocd/app-name'],
          ),
        )
        .filter(Boolean);
      for (const name of appNames) {
        expect(apps.map(a => a.name)).toContain(name);
      }
    },
  );

  it('allows every generated Application in its AppProject', () => {
    const team = outputs.get('onboard-team/team-payments')!;
    const project = parse(team.get('teams/team-payments/appproject.yaml')!);
    const destinations = project.spec.destinations.map((d: any) => d.namespace);
    const apps = discoverApplications(
      new Map([
        ...outputs.get('deploy-service/payments-api')!,
        ...outputs.get('add-database/ledger-prod')!,
      ]),
      bootstrap,
    );
    expect(apps.length).toBe(4);
    for (const app of apps) {
      expect(app.project).toBe('team-payments');
      expect(destinations).toContain(app.namespace);
    }
  });
});

describe('Argo CD path matching', () => {
  it('matches one segment per *', () => {
    expect(
      matchesPattern('services/*/*/overlays/*', 'services/a/b/overlays/prod'),
    ).toBe(true);
    expect(matchesPattern('services/*/*/overlays/*', 'services/a/b/base')).toBe(
      false,
    );
    expect(
      matchesPattern('services/*/*/overlays/*', 'services/a/b/c/overlays/prod'),
    ).toBe(false);
    expect(matchesPattern('teams/*', 'teams/a/dev')).toBe(false);
  });

  it('renders the Go template expressions the bootstrap uses', () => {
    expect(
      renderGoTemplate(
        '{{ index .path.segments 1 }}.{{ index .path.segments 2 }}.{{ .path.basename }}',
        'services/pay/api/overlays/prod',
      ),
    ).toBe('pay.api.prod');
    expect(() => renderGoTemplate('{{ .path.nope }}', 'a')).toThrow(
      /unsupported/,
    );
  });
});
