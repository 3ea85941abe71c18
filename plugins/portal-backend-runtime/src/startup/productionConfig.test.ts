import { ConfigReader, readDurationFromConfig } from '@backstage/config';
import { loadConfig, loadConfigSchema } from '@backstage/config-loader';
import path from 'node:path';
import { findMissingEnvironment } from './missingEnvironment';

const repoRoot = path.resolve(__dirname, '../../../..');
const configFiles = ['app-config.yaml', 'app-config.production.yaml'].map(f =>
  path.join(repoRoot, f),
);

/** Plausible values for what app-config.production.yaml reads from the environment. */
const KNOWN: Record<string, string> = {
  APP_BASE_URL: 'https://portal.apps.example.com',
  BACKEND_BASE_URL: 'https://portal.apps.example.com',
  POSTGRES_HOST: 'portal-db-rw',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'app',
  KEYCLOAK_METADATA_URL:
    'https://keycloak.example.com/realms/platform/.well-known/openid-configuration',
  KEYCLOAK_BASE_URL: 'https://keycloak.example.com',
  KEYCLOAK_REALM: 'platform',
  K8S_CLUSTER_NAME: 'openshift',
  K8S_CLUSTER_URL: 'https://kubernetes.default.svc',
  ARGOCD_URL: 'https://openshift-gitops-server.openshift-gitops.svc',
  GITOPS_REPO_URL: 'https://git.example.com/platform/gitops.git',
  GITOPS_GIT_HOST: 'git.example.com',
  GITOPS_GIT_USERNAME: 'developer-portal',
};

/**
 * Every variable the files name gets a value, including ones added after this
 * test was written: those are derived from the name, so a new variable does
 * not silently fall out of the check.
 */
function productionEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { variable } of findMissingEnvironment(configFiles, {})) {
    if (KNOWN[variable]) {
      env[variable] = KNOWN[variable];
    } else if (/_URL$/.test(variable)) {
      env[variable] = `https://${variable.toLowerCase()}.example.com`;
    } else if (/_PORT$/.test(variable)) {
      env[variable] = '443';
    } else {
      env[variable] = `value-of-${variable.toLowerCase()}`;
    }
  }
  return env;
}

type HumanDuration = ReturnType<typeof readDurationFromConfig>;

/** Seconds in a duration; months and years as their longest. */
function toSeconds(duration: HumanDuration): number {
  const unit: Record<keyof HumanDuration, number> = {
    years: 366 * 86400,
    months: 31 * 86400,
    weeks: 7 * 86400,
    days: 86400,
    hours: 3600,
    minutes: 60,
    seconds: 1,
    milliseconds: 0.001,
  };
  return Object.entries(duration).reduce(
    (sum, [name, value]) => sum + value * unit[name as keyof HumanDuration],
    0,
  );
}

async function loadProductionConfig(env: Record<string, string>) {
  const { appConfigs } = await loadConfig({
    configRoot: repoRoot,
    configTargets: configFiles.map(file => ({ path: file })),
    experimentalEnvFunc: async name => env[name],
  });
  return appConfigs;
}

describe('app-config.production.yaml', () => {
  // Compiling the config.d.ts of every installed plugin takes a while.
  jest.setTimeout(180_000);

  let schema: Awaited<ReturnType<typeof loadConfigSchema>>;

  beforeAll(async () => {
    schema = await loadConfigSchema({
      dependencies: ['backend', 'app'],
    });
  });

  it('validates against the config schema of every installed package', async () => {
    const env = productionEnv();
    const appConfigs = await loadProductionConfig(env);
    // Throws with the path and the schema message of every invalid value.
    const processed = schema.process(appConfigs, {
      visibility: ['frontend', 'backend', 'secret'],
    });
    expect(processed.length).toBeGreaterThan(0);
  });

  it('would catch a value the schema refuses', async () => {
    // Guards the check itself: an empty or unloaded schema accepts anything.
    const appConfigs = await loadProductionConfig(productionEnv());
    const mistake = {
      context: 'mistake',
      data: { techdocs: { builder: 'cloud' } },
    };
    expect(() =>
      schema.process([...appConfigs, mistake], {
        visibility: ['frontend', 'backend', 'secret'],
      }),
    ).toThrow('/techdocs/builder');
  });

  it('recovers scaffolder tasks orphaned by a crash within minutes', async () => {
    const config = ConfigReader.fromConfigs(
      await loadProductionConfig(productionEnv()),
    );
    expect(config.getBoolean('scaffolder.taskRecovery.enabled')).toBe(true);
    const staleTimeout = readDurationFromConfig(config, {
      key: 'scaffolder.taskRecovery.staleTimeout',
    });
    expect(toSeconds(staleTimeout)).toBeGreaterThan(0);
    expect(toSeconds(staleTimeout)).toBeLessThanOrEqual(5 * 60);
  });

  it('sends no secret to the browser', async () => {
    const env = productionEnv();
    const frontend = schema.process(await loadProductionConfig(env), {
      visibility: ['frontend'],
    });
    const sent = JSON.stringify(frontend);
    const secrets = Object.keys(env).filter(name =>
      /SECRET|TOKEN|PASSWORD/.test(name),
    );
    expect(secrets.length).toBeGreaterThan(0);
    for (const name of secrets) {
      expect({ name, sent: sent.includes(env[name]) }).toEqual({
        name,
        sent: false,
      });
    }
    expect(sent).toContain(env.APP_BASE_URL);
  });
});
