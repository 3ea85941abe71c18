import fs from 'node:fs';
import path from 'node:path';
import {
  PostgresCluster,
  SpawnedBackend,
  freePort,
  guestToken,
  listenConfig,
  repoRoot,
  spawnBackend,
  waitFor,
  waitUntilReady,
  writeConfig,
} from '@internal/test-harness';
import {
  keycloakProviderConfig,
  keycloakRedirectUri,
  startOidcIssuer,
} from '@internal/stand-ins';
import { oidcSignIn } from './signIn';

/** Where `yarn bench bundle` creates and installs vanilla create-app 0.9.2. */
export const VANILLA_ROOT = path.join(repoRoot, '.scratch/bench/vanilla');

/** A backend with the generated components, and tokens of its users. */
export interface RunningApp {
  backend: SpawnedBackend;
  /** Signs in; the admin's token also counts ingestion. */
  tokens(): Promise<{ admin: string; developer?: string }>;
  close(): Promise<void>;
}

const database = (pg: PostgresCluster) => ({
  client: 'pg',
  connection: {
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
  },
});

const componentsLocation = (file: string) => ({
  type: 'file',
  target: file,
  rules: [{ allow: ['Component'] }],
});

async function started(backend: SpawnedBackend, dir: string) {
  try {
    await waitUntilReady(backend);
  } catch (error) {
    await backend.stop();
    fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
    throw error;
  }
}

/** A loopback port of its own and the shared PostgreSQL, for either app. */
function listenOn(port: number, pg: PostgresCluster) {
  const listen = listenConfig(port);
  return { ...listen, backend: { ...listen.backend, database: database(pg) } };
}

/**
 * The portal backend from source (as `yarn start` runs it) on `pg`, its
 * own org and templates, plus the components; people sign in through the
 * loopback OIDC issuer as in the app.
 */
export async function startPortal(
  dir: string,
  pg: PostgresCluster,
  components: string,
): Promise<RunningApp> {
  const port = await freePort();
  const issuer = await startOidcIssuer({
    redirectUris: [keycloakRedirectUri(`http://127.0.0.1:${port}`)],
  });
  const config = writeConfig(dir, 'portal.json', {
    ...listenOn(port, pg),
    auth: {
      session: { secret: 'catalog-bench-session-secret' },
      providers: { keycloak: keycloakProviderConfig(issuer) },
    },
    // Replaces app-config.yaml's list: the org (for sign-in), the
    // templates (conditional reads hide some), and the components.
    catalog: {
      locations: [
        {
          type: 'file',
          target: path.join(repoRoot, 'catalog/org.yaml'),
          rules: [{ allow: ['User', 'Group'] }],
        },
        {
          type: 'file',
          target: path.join(repoRoot, 'templates/catalog-info.yaml'),
          rules: [{ allow: ['Location', 'Template'] }],
        },
        componentsLocation(components),
      ],
    },
  });
  const backend = spawnBackend({
    port,
    configFiles: [path.join(repoRoot, 'app-config.yaml'), config],
  });
  await started(backend, dir);
  return {
    backend,
    async tokens() {
      // Sign-in needs the people's User entities, ingested after start.
      await waitFor(
        'the org to be in the catalog',
        () =>
          oidcSignIn(backend.baseUrl, 'bob').then(
            () => true,
            () => false,
          ),
        { attempts: 120, intervalMs: 1000 },
      );
      return {
        admin: await oidcSignIn(backend.baseUrl, 'alice'),
        developer: await oidcSignIn(backend.baseUrl, 'bob'),
      };
    },
    async close() {
      await backend.stop();
      fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
      await issuer.close();
    },
  };
}

/**
 * Vanilla create-app 0.9.2 from source the same way, on its own config
 * with the components as its only location; its guest user is allowed
 * everything (its allow-all policy).
 */
export async function startVanilla(
  dir: string,
  pg: PostgresCluster,
  components: string,
): Promise<RunningApp> {
  const port = await freePort();
  const config = writeConfig(dir, 'vanilla.json', {
    ...listenOn(port, pg),
    catalog: { locations: [componentsLocation(components)] },
  });
  const backend = spawnBackend({
    root: VANILLA_ROOT,
    port,
    configFiles: [path.join(VANILLA_ROOT, 'app-config.yaml'), config],
  });
  await started(backend, dir);
  return {
    backend,
    tokens: async () => ({ admin: await guestToken(backend.baseUrl) }),
    async close() {
      await backend.stop();
      fs.writeFileSync(path.join(dir, 'backend.log'), backend.output());
    },
  };
}
