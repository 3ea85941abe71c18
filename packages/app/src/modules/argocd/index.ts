import { convertLegacyPlugin } from '@backstage/core-compat-api';
import { convertLegacyEntityCardExtension } from '@backstage/plugin-catalog-react/alpha';
import {
  argocdPlugin,
  EntityArgoCDOverviewCard,
  isArgocdAvailable,
} from '@roadiehq/backstage-plugin-argo-cd';

/**
 * Roadie's Argo CD plugin ships its new-frontend-system variant against an
 * older frontend API than this app runs, so the legacy plugin is wrapped with
 * the compat helpers instead (and excluded from package discovery in
 * app-config.yaml). It reads Argo CD through the read-only `/argocd/api`
 * proxy endpoint.
 */
export const argocdFeature = convertLegacyPlugin(argocdPlugin, {
  extensions: [
    convertLegacyEntityCardExtension(EntityArgoCDOverviewCard, {
      name: 'overview',
      filter: isArgocdAvailable,
    }),
  ],
});
