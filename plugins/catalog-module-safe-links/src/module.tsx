import { createFrontendModule } from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';

/**
 * The catalog's `entity-card:catalog/links` with its own type and filter,
 * rendering the safe card instead.
 *
 * @public
 */
export const safeEntityLinksCard = catalogPlugin
  .getExtension('entity-card:catalog/links')
  .override({
    params: {
      loader: () =>
        import('./SafeEntityLinksCard').then(m => <m.SafeEntityLinksCard />),
    },
  });

/**
 * Replaces the catalog's Links card with one that a bad link cannot take
 * down. Installed by package discovery.
 *
 * @public
 */
export const catalogModuleSafeLinks = createFrontendModule({
  pluginId: 'catalog',
  extensions: [safeEntityLinksCard],
});
