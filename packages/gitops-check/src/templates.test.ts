import fs from 'node:fs';
import path from 'node:path';
import { gitopsDir, templatesDir } from './paths';
import { readTemplate } from './harness';
import { checkTemplates, FixtureResult, listTemplates } from './templates';

jest.setTimeout(120_000);

function failures(results: FixtureResult[]) {
  return results
    .filter(r => r.problems.length > 0)
    .map(r => `${r.template}/${r.fixture}:\n  ${r.problems.join('\n  ')}`);
}

describe('gitops-check templates', () => {
  let results: FixtureResult[];

  beforeAll(async () => {
    results = await checkTemplates({ templatesDir, seedDir: gitopsDir });
  });

  it('passes every fixture of every template', () => {
    expect(failures(results)).toEqual([]);
    expect(listTemplates(templatesDir)).toEqual([
      'add-database',
      'decommission-service',
      'deploy-service',
      'onboard-team',
      'promote-image',
    ]);
    for (const template of listTemplates(templatesDir)) {
      const own = results.filter(r => r.template === template);
      // Every template has at least one accepted and one hostile fixture.
      expect(own.some(r => !r.fixture.startsWith('hostile-'))).toBe(true);
      expect(own.some(r => r.fixture.startsWith('hostile-'))).toBe(true);
    }
  });

  it.each([
    ['capital letters in a name', 'deploy-service', 'hostile-name-capitals'],
    ['a 64-character name', 'deploy-service', 'hostile-name-64-chars'],
    ['a leading dash', 'deploy-service', 'hostile-name-leading-dash'],
    ['../ in a name', 'deploy-service', 'hostile-path-traversal'],
    ['an absolute path', 'deploy-service', 'hostile-absolute-path'],
    [
      'a description with a YAML document',
      'deploy-service',
      'hostile-description-newline',
    ],
    ['a team with a YAML document', 'deploy-service', 'hostile-team-newline'],
    ['an image from any registry', 'deploy-service', 'hostile-image-registry'],
    [
      'an image from a loopback registry',
      'deploy-service',
      'hostile-image-loopback-registry',
    ],
    ['an image from Docker Hub', 'deploy-service', 'hostile-image-docker-hub'],
    ['a kube-system team', 'onboard-team', 'hostile-platform-prefix'],
    ['namespaces kube-*', 'onboard-team', 'hostile-platform-namespace'],
    ['an existing service', 'deploy-service', 'hostile-existing-service'],
    ['an existing team', 'onboard-team', 'hostile-existing-team'],
    ['a missing service', 'promote-image', 'hostile-missing-service'],
    ['../ in decommission', 'decommission-service', 'hostile-path-traversal'],
  ])('refuses %s with the expected message', (_, template, fixture) => {
    const result = results.find(
      r => r.template === template && r.fixture === fixture,
    );
    expect(result).toBeDefined();
    expect(result!.problems).toEqual([]);
    // The fixture really is a refusal, not an accepted run.
    expect(
      fs.existsSync(
        path.join(templatesDir, template, 'fixtures', fixture, 'refused.txt'),
      ),
    ).toBe(true);
  });

  it('renders values holding # and : to exactly the expected documents', () => {
    const result = results.find(
      r =>
        r.template === 'deploy-service' &&
        r.fixture === 'yaml-special-characters',
    );
    expect(result?.problems).toEqual([]);
    const catalogInfo = fs.readFileSync(
      path.join(
        templatesDir,
        'deploy-service/fixtures/yaml-special-characters/expected/services/team-payments/quoted/catalog-info.yaml',
      ),
      'utf8',
    );
    const values = JSON.parse(
      fs.readFileSync(
        path.join(
          templatesDir,
          'deploy-service/fixtures/yaml-special-characters/values.json',
        ),
        'utf8',
      ),
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require('yaml');
    expect(parse(catalogInfo).metadata.description).toBe(values.description);
  });

  it('gives each template one TechDocs page: its README, not a copy', () => {
    for (const template of listTemplates(templatesDir)) {
      const index = path.join(templatesDir, template, 'docs/index.md');
      expect([template, fs.readlinkSync(index)]).toEqual([
        template,
        '../README.md',
      ]);
      const entity = readTemplate(path.join(templatesDir, template));
      expect(entity.metadata.annotations?.['backstage.io/techdocs-ref']).toBe(
        'dir:.',
      );
    }
  });
});
