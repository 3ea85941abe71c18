import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  UrlReaders,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { GuardedUrlReader } from './GuardedUrlReader';
import { ReadingPolicy } from './readingPolicy';

/**
 * The URL reader service (catalog locations, TechDocs sources, scaffolder
 * fetches) with Backstage's default readers, whose requests, redirects
 * included, may reach internal addresses only on hosts configured for
 * reading: a redirect from an integration host to loopback, link-local or
 * private addresses is refused. Replaces the default factory.
 *
 * @public
 */
export const guardedUrlReaderServiceFactory = createServiceFactory({
  service: coreServices.urlReader,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.logger,
    factories: urlReaderFactoriesServiceRef,
  },
  async factory({ config, logger, factories }) {
    return new GuardedUrlReader(
      UrlReaders.default({ config, logger, factories }),
      ReadingPolicy.fromConfig(config),
      logger,
    );
  },
});
