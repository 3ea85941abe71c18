import { useMemo } from 'react';
import { ApiProvider } from '@backstage/core-app-api';
import {
  AnyApiFactory,
  ApiHolder,
  ApiRef,
  configApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import {
  argocdPlugin,
  argoCDApiRef,
  EntityArgoCDOverviewCard,
} from '@roadiehq/backstage-plugin-argo-cd';

/**
 * Roadie's API client, made by Roadie's own factory with its dependencies
 * from the app, as the only API of a holder that ApiProvider puts in front
 * of the app's.
 */
function argoCdApis(app: ApiHolder): ApiHolder {
  const factory = [...argocdPlugin.getApis()].find(
    (f: AnyApiFactory) => f.api.id === argoCDApiRef.id,
  )!;
  const deps = Object.fromEntries(
    Object.entries(factory.deps).map(([name, ref]) => [name, app.get(ref)]),
  );
  const client = factory.factory(deps);
  return {
    get: <T,>(ref: ApiRef<T>) =>
      ref.id === argoCDApiRef.id ? (client as T) : undefined,
  };
}

/**
 * Roadie's card, where an Argo CD instance is configured; elsewhere (the
 * embedded default) nothing, since the GitOps card already says plainly
 * that Argo CD is not configured.
 *
 * Roadie's API client is provided here, around the card, rather than to the
 * whole app: it is the card's only user, and registering it app-wide would
 * put it (and io-ts/fp-ts) in the first load of every page. With
 * `argocd.appLocatorMethods` set, as every app-config does, it reads Argo CD
 * only through the portal's argocd backend plugin (`/api/argocd`,
 * plugins/argocd-backend): read-only, behind the argocd.application.read
 * permission, with the Argo CD token kept in the backend.
 */
export function ArgocdOverviewCard() {
  const holder = useApiHolder();
  const methods = useApi(configApiRef).getOptionalConfigArray(
    'argocd.appLocatorMethods',
  );
  const configured = (methods ?? []).some(
    method => (method.getOptionalConfigArray('instances') ?? []).length > 0,
  );
  const apis = useMemo(() => argoCdApis(holder), [holder]);
  if (!configured) {
    return null;
  }
  return (
    <ApiProvider apis={apis}>
      <EntityArgoCDOverviewCard />
    </ApiProvider>
  );
}
