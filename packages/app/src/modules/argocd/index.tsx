import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isArgocdAvailable } from '@roadiehq/backstage-plugin-argo-cd';

/**
 * Roadie's Argo CD overview card on entities that name an Argo CD app.
 *
 * Roadie's Argo CD plugin ships its new-frontend-system variant against an
 * older frontend API than this app runs, so it is excluded from package
 * discovery (app-config.yaml) and wired here instead. Only the entity filter
 * (a plain annotation check) is imported eagerly: the card, Roadie's API
 * client and the io-ts/fp-ts runtime it validates responses with load with
 * the card (./ArgocdOverviewCard), not with every page of the portal.
 */
const overviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isArgocdAvailable,
    loader: () =>
      import('./ArgocdOverviewCard').then(m => <m.ArgocdOverviewCard />),
  },
});

export const argocdFeature = createFrontendPlugin({
  pluginId: 'argocd',
  title: 'Argo CD',
  extensions: [overviewCard],
});
