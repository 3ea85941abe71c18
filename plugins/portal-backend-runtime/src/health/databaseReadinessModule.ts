import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { databaseReadinessServiceRef } from './databaseReadiness';

/**
 * Hands readiness the catalog's database service. The catalog is what every
 * page of the portal reads, so its pool answering is what "ready" means;
 * and as its knex client is shared per plugin, readiness borrows a
 * connection from that pool instead of opening one.
 */
export const databaseReadinessModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'portal-database-readiness',
  register(reg) {
    reg.registerInit({
      deps: {
        database: coreServices.database,
        readiness: databaseReadinessServiceRef,
      },
      async init({ database, readiness }) {
        readiness.follow(database);
      },
    });
  },
});
