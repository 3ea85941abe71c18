import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { databaseReadinessModule } from './health/databaseReadinessModule';
import { portalRootHealthServiceFactory } from './health/portalRootHealthServiceFactory';
import { startupChecksServiceRef } from './startup/startupChecksService';

/** Stands in for the catalog plugin: it only uses its database, as the catalog does. */
const catalog = createBackendPlugin({
  pluginId: 'catalog',
  register(reg) {
    reg.registerInit({
      deps: { database: coreServices.database },
      async init({ database }) {
        await database.getClient();
      },
    });
  },
});

/** The real checks read process.argv, which here is Jest's. */
const checksPassed = createServiceFactory({
  service: startupChecksServiceRef,
  deps: {},
  factory: () => ({}),
});

async function readiness(
  features: Parameters<typeof startTestBackend>[0]['features'],
) {
  const backend = await startTestBackend({ features });
  try {
    const { port } = backend.server.address() as { port: number };
    const res = await fetch(
      `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
    );
    return { status: res.status, body: await res.json() };
  } finally {
    await backend.stop();
  }
}

describe('startupAndHealth wiring', () => {
  it('is ready once the catalog pool answers', async () => {
    expect(
      await readiness([
        catalog,
        checksPassed,
        portalRootHealthServiceFactory,
        databaseReadinessModule,
      ]),
    ).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('is not ready without a database to follow', async () => {
    expect(
      await readiness([catalog, checksPassed, portalRootHealthServiceFactory]),
    ).toEqual({
      status: 503,
      body: { status: 'error', message: 'Database unreachable' },
    });
  });
});
