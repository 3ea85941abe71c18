import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { verifyStartup } from './verifyStartup';

/**
 * Present once the start-up checks have passed. It carries nothing: services
 * that must not exist on an unchecked configuration depend on it.
 */
export type StartupChecksService = Readonly<Record<string, never>>;

/** The start-up checks, as a root service of the backend. */
export const startupChecksServiceRef = createServiceRef<StartupChecksService>({
  id: 'portal.startup-checks',
  scope: 'root',
});

/**
 * Runs {@link verifyStartup} on the root config, that is the configuration
 * the backend really runs with. Root services are built before any plugin
 * starts, so a refused start-up has touched nothing.
 */
export const startupChecksServiceFactory = createServiceFactory({
  service: startupChecksServiceRef,
  deps: { config: coreServices.rootConfig },
  async factory({ config }) {
    await verifyStartup(config, { argv: process.argv, env: process.env });
    return {};
  },
});
