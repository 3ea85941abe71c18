import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitopsDir, templatesDir } from './paths';
import { checkTemplates, FixtureResult } from './templates';

jest.setTimeout(120_000);

const DEPLOY_EXPECTED =
  'deploy-service/fixtures/payments-api/expected/services/team-payments/payments-api/base';

/**
 * A scratch copy of onboard-team and deploy-service, broken in three ways
 * at once: an expected file tampered with and another removed (payments-api),
 * an accepted fixture that claims it must be refused (autoscaling), and a
 * hostile fixture that expects another reason (hostile-name-capitals).
 */
function brokenCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-check-test-'));
  // The parameter schemas every template copies from.
  for (const name of ['onboard-team', 'deploy-service', 'shared']) {
    fs.cpSync(path.join(templatesDir, name), path.join(dir, name), {
      recursive: true,
    });
  }
  const deployment = path.join(dir, DEPLOY_EXPECTED, 'deployment.yaml');
  fs.writeFileSync(
    deployment,
    fs
      .readFileSync(deployment, 'utf8')
      .replace('runAsNonRoot: true', 'runAsNonRoot: false'),
  );
  fs.rmSync(path.join(dir, DEPLOY_EXPECTED, 'route.yaml'));
  const fixtures = path.join(dir, 'deploy-service/fixtures');
  fs.writeFileSync(
    path.join(fixtures, 'autoscaling/refused.txt'),
    'does not match pattern\n',
  );
  fs.writeFileSync(
    path.join(fixtures, 'hostile-name-capitals/refused.txt'),
    'some other reason\n',
  );
  return dir;
}

// One check run (one backend) for the whole file, with every test reading
// its results: a backend stopped while a later test of the same file ran
// could still be finishing work on its closed database, and that test would
// be blamed for it.
describe('gitops-check templates on broken fixtures', () => {
  let results: FixtureResult[];

  beforeAll(async () => {
    const dir = brokenCopy();
    try {
      results = await checkTemplates({
        templatesDir: dir,
        seedDir: gitopsDir,
        only: ['deploy-service'],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const problemsOf = (fixture: string) =>
    results.find(r => r.fixture === fixture)!.problems;

  it('fails when an expected file was tampered with', () => {
    expect(problemsOf('payments-api')).toEqual([
      expect.stringMatching(
        /^services\/team-payments\/payments-api\/base\/deployment\.yaml: differs from expected\/.* at line \d+:\n.*runAsNonRoot: false/s,
      ),
      'services/team-payments/payments-api/base/route.yaml: written by the template but not in expected/',
    ]);
  });

  it('fails when a hostile fixture is accepted or refused for another reason', () => {
    expect(problemsOf('autoscaling')).toEqual([
      'the template accepted values it must refuse',
    ]);
    expect(problemsOf('hostile-name-capitals')).toEqual([
      expect.stringMatching(
        /^refused, but without "some other reason" in the message: instance\.name does not match pattern/,
      ),
    ]);
  });

  it('still passes the fixtures that were left alone', () => {
    const broken = ['payments-api', 'autoscaling', 'hostile-name-capitals'];
    expect(
      results.filter(r => !broken.includes(r.fixture) && r.problems.length > 0),
    ).toEqual([]);
  });
});
