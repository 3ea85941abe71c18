import {
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import argocdPlugin from '../index';

/** The token the tests configure; it must reach the Argo CD stand-in only. */
export const ARGOCD_TOKEN = 'unit-test-argocd-token-5e1f';

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

/** Catalog entities of three teams naming their applications. */
export const ENTITIES: Entity[] = [
  component('portal-backend', 'platform-team', {
    'argocd/app-name': 'developer-portal',
  }),
  component('payments-api', 'team-payments', {
    'argocd/app-selector':
      'portal.platform/team=team-payments,portal.platform/service=payments-api',
  }),
  component('payments-api-prod', 'team-payments', {
    'argocd/app-name': 'team-payments.payments-api.prod',
  }),
  component('search-api', 'team-search', {
    'argocd/app-name': 'team-search.search-api.dev',
  }),
  // Registered by the search team, claiming the payments team's application.
  component('forged', 'team-search', {
    'argocd/app-name': 'team-payments.payments-api.test',
  }),
  // The search team's selector that also matches other teams' applications.
  component('search-everything-dev', 'team-search', {
    'argocd/app-selector': 'portal.platform/env=dev',
  }),
];

/** Users as the portal policy sees them: role and groups. */
const USERS: Record<string, { role: string; groups: string[] }> = {
  'user:default/ada': { role: 'platform-admin', groups: ['platform-team'] },
  'user:default/bob': { role: 'developer', groups: ['team-payments'] },
  'user:default/sam': { role: 'developer', groups: ['team-search'] },
  'user:default/vic': { role: 'viewer', groups: ['engineering'] },
  'user:default/nora': { role: 'none', groups: [] },
};

function userOf(credentials: { principal: unknown }) {
  // Backstage's permissions service allows every service principal without
  // asking the policy.
  if ((credentials.principal as { type?: string }).type === 'service') {
    return { role: 'platform-admin', groups: [] };
  }
  const ref = (credentials.principal as BackstageUserPrincipal).userEntityRef;
  return USERS[ref] ?? { role: 'none', groups: [] };
}

/**
 * The portal policy's answers for argocd.application.read, with the
 * catalog's ownership condition applied to a resource ref: admins are
 * allowed, developers conditionally, everyone else denied.
 */
export const fakePermissions: Partial<PermissionsService> = {
  async authorizeConditional(requests, { credentials }) {
    const { role } = userOf(credentials);
    return requests.map(() => {
      if (role === 'platform-admin') {
        return { result: AuthorizeResult.ALLOW };
      }
      if (role === 'developer') {
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: {},
          },
        };
      }
      return { result: AuthorizeResult.DENY };
    });
  },
  async authorize(requests, { credentials }) {
    const { role, groups } = userOf(credentials);
    return requests.map(({ resourceRef }) => {
      const entity = ENTITIES.find(e => stringifyEntityRef(e) === resourceRef);
      const owned = groups.includes(String(entity?.spec?.owner));
      const allowed =
        role === 'platform-admin' || (role === 'developer' && owned);
      return {
        result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    });
  },
};

/** The plugin on a test backend with the given config. */
export function startArgoCdBackend(config: object) {
  return startTestBackend({
    features: [
      argocdPlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.permissions.mock(fakePermissions).factory,
      // As in the real backend: a request without a token has no caller.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalogServiceMock.factory({ entities: ENTITIES }),
    ],
  });
}

/** Config pointing one instance, `main`, at `url`. */
export function argocdConfig(url: string, extra: object = {}) {
  return {
    argocd: {
      appLocatorMethods: [
        {
          type: 'config',
          instances: [
            {
              name: 'main',
              url,
              frontendUrl: 'https://argocd.example.com',
              token: ARGOCD_TOKEN,
            },
          ],
        },
      ],
      ...extra,
    },
  };
}
