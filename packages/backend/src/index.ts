import { createBackend } from '@backstage/backend-defaults';
import {
  guardedUrlReaderServiceFactory,
  portalTelemetry,
  startBackend,
  startupAndHealth,
} from '@internal/portal-backend-runtime';

const backend = createBackend();

// core: start-up checks, and readiness that follows the database
backend.add(startupAndHealth);
// URL reading (catalog locations, TechDocs sources) follows no redirect to
// internal addresses.
backend.add(guardedUrlReaderServiceFactory);
// metrics of every plugin's database pool and of broken catalog entities
// (docs/metrics.md; the SDK is loaded by src/instrumentation.js)
backend.add(portalTelemetry);
backend.add(import('@backstage/plugin-app-backend'));

// auth
backend.add(import('@backstage/plugin-auth-backend'));
// Keycloak sign-in: the `keycloak` provider (`auth.providers.keycloak`) with
// the portal's sign-in resolver, in place of the stock OIDC module.
backend.add(import('@internal/auth-backend-module-keycloak-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// permission
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@internal/permission-backend-module-portal-policy'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
// Entity links other than http, https and mailto never reach a page.
backend.add(import('@internal/plugin-catalog-backend-module-safe-links'));
backend.add(
  import('@backstage-community/plugin-catalog-backend-module-keycloak'),
);
// The GitOps repository's namespaces, services and databases (never users
// or groups: those are Keycloak's), on a schedule and on push webhooks.
backend.add(import('@internal/plugin-catalog-backend-module-gitops'));

// events: push webhooks (/api/events/http/github, gitlab, gitops), each
// ingress only with its secret configured
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));
backend.add(import('@backstage/plugin-events-backend-module-gitlab'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@internal/plugin-scaffolder-backend-module-gitops'));

// techdocs
backend.add(import('@backstage/plugin-techdocs-backend'));
// Builds with allowlisted mkdocs settings, in a clean environment.
backend.add(import('@internal/plugin-techdocs-backend-module-safe-generator'));

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes
backend.add(import('@backstage/plugin-kubernetes-backend'));
// Secret contents never leave the backend; Secret queries need their own permission.
backend.add(import('@internal/plugin-kubernetes-backend-module-secret-guard'));
// Every read from a cluster gives up after kubernetes.requestTimeout.
backend.add(
  import('@internal/plugin-kubernetes-backend-module-cluster-timeout'),
);

// argocd: read-only Argo CD views behind argocd.application.read, in place
// of a proxy that lent the portal's Argo CD token to every signed-in user.
backend.add(import('@internal/plugin-argocd-backend'));

// gitops: the change requests golden paths open, followed until Argo CD
// has applied them, behind gitops.change-request.read
backend.add(import('@internal/plugin-gitops-backend'));

// notifications to requesters, user settings, and the signals channel both
// push through
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

startBackend(backend);
