import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import {
  ArgoCdEntityStatus,
  argoCdStatusApiRef,
  gitopsApiRef,
} from '../../api';
import { templateRouteRef } from '../../routes';
import {
  changeRequest,
  fakeGitopsApi,
  LOADED,
  mountedRoutes,
} from '../../__testUtils__/fixtures';
import { GoldenPaths } from './GoldenPaths';
import { MyOpenChanges } from './MyOpenChanges';
import { TeamServices } from './TeamServices';

jest.setTimeout(30_000);

function entity(
  kind: string,
  name: string,
  extra: Partial<Entity> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', ...extra.metadata },
    spec: extra.spec ?? {},
    relations: extra.relations,
  };
}

function service(name: string, owner: string) {
  return entity('Component', name, {
    spec: { type: 'service', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  });
}

const catalog = [
  service('payments-api', 'group:default/team-payments'),
  service('refunds', 'group:default/team-payments'),
  service('search-api', 'group:default/team-search'),
  entity('Template', 'promote-image', {
    metadata: {
      name: 'promote-image',
      title: 'Promote an image',
      description: 'Sets the image tag',
    },
  }),
  entity('Template', 'deploy-service', {
    metadata: { name: 'deploy-service', title: 'Deploy a container service' },
  }),
];

const routes = {
  ...mountedRoutes,
  '/create/templates/:namespace/:templateName': templateRouteRef,
};

describe('home page widgets', () => {
  it("lists my teams' services with their health per environment, one status request each", async () => {
    const statuses: Record<string, ArgoCdEntityStatus> = {
      'component:default/payments-api': {
        kind: 'ok',
        applications: [
          {
            instance: 'main',
            name: 'team-payments.payments-api.dev',
            environment: 'dev',
            syncStatus: 'Synced',
            healthStatus: 'Healthy',
          },
        ],
      },
      'component:default/refunds': { kind: 'not-configured' },
    };
    const argocd = {
      getEntityStatus: jest.fn(async (ref: string) => statuses[ref]),
    };
    renderInTestApp(<TeamServices />, {
      apis: [
        catalogApiMock({ entities: catalog }),
        mockApis.identity({
          userEntityRef: 'user:default/bob',
          ownershipEntityRefs: [
            'user:default/bob',
            'group:default/team-payments',
          ],
        }),
        [argoCdStatusApiRef, argocd],
      ],
      mountedRoutes,
    });
    const payments = await screen.findByText('payments-api', undefined, LOADED);
    expect(screen.getByText('refunds')).toBeInTheDocument();
    expect(screen.queryByText('search-api')).toBeNull();
    const item = payments.closest('li')!;
    expect(await within(item).findByText('dev')).toBeInTheDocument();
    expect(within(item).getByText('test: –')).toBeInTheDocument();
    expect(
      await screen.findByText('Argo CD is not configured'),
    ).toBeInTheDocument();
    expect(
      argocd.getEntityStatus.mock.calls.map(([ref]) => ref).sort(),
    ).toEqual(['component:default/payments-api', 'component:default/refunds']);
  });

  it('says so when I am in no team', async () => {
    renderInTestApp(<TeamServices />, {
      apis: [
        catalogApiMock({ entities: catalog }),
        mockApis.identity({
          userEntityRef: 'user:default/dave',
          ownershipEntityRefs: ['user:default/dave'],
        }),
        [argoCdStatusApiRef, { getEntityStatus: jest.fn() }],
      ],
      mountedRoutes,
    });
    expect(
      await screen.findByText('You are in no team yet.', undefined, LOADED),
    ).toBeInTheDocument();
  });

  it('lists the golden paths, each opening its form in the scaffolder', async () => {
    renderInTestApp(<GoldenPaths />, {
      apis: [catalogApiMock({ entities: catalog })],
      mountedRoutes: routes,
    });
    const deploy = await screen.findByText(
      'Deploy a container service',
      undefined,
      LOADED,
    );
    expect(deploy.closest('a')).toHaveAttribute(
      'href',
      '/create/templates/default/deploy-service',
    );
    expect(screen.getByText('Promote an image').closest('a')).toHaveAttribute(
      'href',
      '/create/templates/default/promote-image',
    );
    expect(screen.getByText('Sets the image tag')).toBeInTheDocument();
  });

  it('lists my open change requests', async () => {
    const request = changeRequest();
    const api = fakeGitopsApi({
      listChangeRequests: jest.fn(async () => ({
        items: [request],
        totalCount: 1,
      })),
    });
    renderInTestApp(<MyOpenChanges />, {
      apis: [[gitopsApiRef, api]],
      mountedRoutes,
    });
    expect(
      (await screen.findByText(request.title, undefined, LOADED)).closest('a'),
    ).toHaveAttribute('href', `/gitops/changes/${request.id}`);
    expect(api.listChangeRequests).toHaveBeenCalledWith({
      scope: 'mine',
      state: 'open',
      limit: 10,
    });
    expect(
      screen.getByText('All my change requests').closest('a'),
    ).toHaveAttribute('href', '/gitops?scope=mine&state=open');
  });
});
