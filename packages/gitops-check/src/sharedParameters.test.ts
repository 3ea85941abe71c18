import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  DNS1035_LABEL,
  DNS1123_LABEL,
  ENVIRONMENTS,
  IMAGE_REPOSITORY,
  IMAGE_TAG,
  ONE_LINE,
  TEAM_GROUP_REF,
} from '@internal/plugin-gitops-common';
import { templatesDir } from './paths';
import {
  checkSharedParameters,
  SHARED_PARAMETERS_FILE,
} from './sharedParameters';
import { listTemplates } from './templates';

const shared = parse(
  fs.readFileSync(path.join(templatesDir, SHARED_PARAMETERS_FILE), 'utf8'),
);

/** The same regular expression, however its source spells `/`. */
const same = (pattern: string) => new RegExp(pattern).source;

/** Every `pattern` of every parameter of a template, by property. */
function patternsOf(template: string): Array<[string, string]> {
  const entity = parse(
    fs.readFileSync(path.join(templatesDir, template, 'template.yaml'), 'utf8'),
  );
  return [entity.spec.parameters]
    .flat()
    .flatMap((page: any) => Object.entries(page.properties ?? {}))
    .filter(([, schema]: [string, any]) => schema.pattern !== undefined)
    .map(([name, schema]: [string, any]) => [name, schema.pattern]);
}

/** Patterns of patterns.ts that templates may use as they are. */
const SHARED_PATTERNS = [
  DNS1123_LABEL,
  DNS1035_LABEL,
  TEAM_GROUP_REF,
  ONE_LINE,
  IMAGE_TAG,
  IMAGE_REPOSITORY,
].map(p => p.source);

/** Patterns that belong to one template's own parameter, and why. */
const TEMPLATE_PATTERNS: Record<string, string> = {
  // onboard-team's team: DNS-1123 minus the platform's prefixes.
  '^(?!kube-|openshift|default$|argocd$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$':
    'onboard-team',
  '^[^\\s@]+@[^\\s@]+$': 'onboard-team e-mail',
  '^[1-9][0-9]{0,3}Gi$': 'add-database storage size',
  '^[0-9*/,-]+( [0-9*/,?A-Za-z-]+){5}$': 'add-database backup schedule',
  '^[1-9][0-9]{0,2}[dwm]$': 'add-database backup retention',
  '^/[A-Za-z0-9/._-]*$': 'deploy-service health check path',
};

describe('shared parameter schemas', () => {
  it('are copied unchanged into every template, without catalog placeholders', () => {
    for (const template of listTemplates(templatesDir)) {
      expect({
        template,
        problems: checkSharedParameters(
          path.join(templatesDir, template),
          templatesDir,
        ),
      }).toEqual({ template, problems: [] });
    }
  });

  it('spell the patterns of patterns.ts', () => {
    expect(same(shared.team.pattern)).toBe(TEAM_GROUP_REF.source);
    expect(same(shared.service.pattern)).toBe(DNS1035_LABEL.source);
    expect(same(shared.description.pattern)).toBe(ONE_LINE.source);
    expect(same(shared.imageRepository.pattern)).toBe(IMAGE_REPOSITORY.source);
    expect(same(shared.imageTag.pattern)).toBe(IMAGE_TAG.source);
    expect(shared.environment.enum).toEqual([...ENVIRONMENTS]);
  });

  it('let the team picker take every team onboard-team can create', () => {
    const onboard = parse(
      fs.readFileSync(
        path.join(templatesDir, 'onboard-team/template.yaml'),
        'utf8',
      ),
    ).spec.parameters[0].properties.team;
    expect(shared.team.maxLength).toBe(
      'group:default/'.length + onboard.maxLength,
    );
  });

  it('leave no template with a pattern that is neither shared nor its own', () => {
    const stray = listTemplates(templatesDir).flatMap(template =>
      patternsOf(template)
        .filter(
          ([, pattern]) =>
            !SHARED_PATTERNS.includes(same(pattern)) &&
            !(pattern in TEMPLATE_PATTERNS),
        )
        .map(([name, pattern]) => `${template}: ${name}: ${pattern}`),
    );
    expect(stray).toEqual([]);
  });
});

describe('checkSharedParameters', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-parameters-'));
    fs.cpSync(path.join(templatesDir, 'shared'), path.join(dir, 'shared'), {
      recursive: true,
    });
    fs.cpSync(
      path.join(templatesDir, 'promote-image/template.yaml'),
      path.join(dir, 'promote-image/template.yaml'),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = () => path.join(dir, 'promote-image/template.yaml');
  const edit = (from: string, to: string) => {
    const text = fs.readFileSync(file(), 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(file(), text.replace(from, to));
  };
  const check = (update = false) =>
    checkSharedParameters(path.join(dir, 'promote-image'), dir, update);

  it('fails when a copy drifts, and --update puts it back', () => {
    const original = fs.readFileSync(file(), 'utf8');
    edit("pattern: '^[A-Za-z0-9_]", "pattern: '^[A-Za-z0-9_/]");
    expect(check()).toEqual([
      `template.yaml differs from ${SHARED_PARAMETERS_FILE}; run yarn gitops-check templates --update`,
    ]);
    expect(check(true)).toEqual([]);
    expect(fs.readFileSync(file(), 'utf8')).toBe(original);
  });

  it('fails when the shared schema changes and a copy does not', () => {
    const sharedFile = path.join(dir, SHARED_PARAMETERS_FILE);
    fs.writeFileSync(
      sharedFile,
      fs
        .readFileSync(sharedFile, 'utf8')
        .replace('maxLength: 44', 'maxLength: 45'),
    );
    expect(check()).toHaveLength(1);
  });

  it('refuses unknown schemas, stray markers and catalog placeholders', () => {
    edit('# shared: imageTag', '# shared: imageTags');
    edit('# shared: environment\n', '# shared: environment\n\n');
    edit(
      'mustExist:\n',
      'mustExist:\n          - $yaml: ../shared/parameters.yaml\n',
    );
    expect(check()).toEqual([
      expect.stringMatching(
        /^template\.yaml line \d+: "# shared: environment" must come right before a property/,
      ),
      expect.stringMatching(
        /^template\.yaml line \d+: shared\/parameters\.yaml has no schema "imageTags"/,
      ),
      expect.stringMatching(
        /^template\.yaml: \.spec\.steps\[0\]\.input\.mustExist\[0\]\.\$yaml is a catalog placeholder/,
      ),
    ]);
  });
});
