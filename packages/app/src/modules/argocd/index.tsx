import {
  configApiRef,
  createComponentExtension,
  useApi,
} from '@backstage/core-plugin-api';
import { convertLegacyPlugin } from '@backstage/core-compat-api';
import { convertLegacyEntityCardExtension } from '@backstage/plugin-catalog-react/alpha';
import {
  argocdPlugin,
  EntityArgoCDOverviewCard,
  isArgocdAvailable,
} from '@roadiehq/backstage-plugin-argo-cd';

/**
 * Roadie's card, where an Argo CD instance is configured; elsewhere (the
 * embedded default) nothing, since the GitOps card already says plainly
 * that Argo CD is not configured.
 */
function OverviewCardWhenConfigured() {
  const methods = useApi(configApiRef).getOptionalConfigArray(
    'argocd.appLocatorMethods',
  );
  const configured = (methods ?? []).some(
    method => (method.getOptionalConfigArray('instances') ?? []).length > 0,
  );
  return configured ? <EntityArgoCDOverviewCard /> : null;
}

const ArgocdOverviewCard = argocdPlugin.provide(
  createComponentExtension({
    name: 'EntityArgoCDOverviewCardWhenConfigured',
    component: { sync: OverviewCardWhenConfigured },
  }),
);

/**
 * Roadie's Argo CD plugin ships its new-frontend-system variant against an
 * older frontend API than this app runs, so the legacy plugin is wrapped with
 * the compat helpers instead (and excluded from package discovery in
 * app-config.yaml). With `argocd.appLocatorMethods` set, as every
 * app-config does, the card reads Argo CD only through the portal's argocd
 * backend plugin (`/api/argocd`, plugins/argocd-backend): read-only, behind
 * the argocd.application.read permission, with the Argo CD token kept in
 * the backend.
 */
export const argocdFeature = convertLegacyPlugin(argocdPlugin, {
  extensions: [
    convertLegacyEntityCardExtension(ArgocdOverviewCard, {
      name: 'overview',
      filter: isArgocdAvailable,
    }),
  ],
});
