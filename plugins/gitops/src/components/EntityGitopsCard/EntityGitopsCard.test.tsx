/* eslint-disable no-script-url -- script URLs are what these tests feed in */
import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import {
  ArgoCdEntityStatus,
  argoCdStatusApiRef,
  gitopsApiRef,
} from '../../api';
import { entityGitopsCard } from '../../plugin';
import {
  changeRequest,
  fakeGitopsApi,
  LOADED,
  mountedRoutes,
  responseError,
} from '../../__testUtils__/fixtures';

jest.setTimeout(30_000);

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    annotations: {
      'gitops.portal/folder': 'services/team-payments/payments-api',
      'argocd/app-selector':
        'portal.platform/team=team-payments,portal.platform/service=payments-api',
    },
  },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments' },
  spec: { type: 'team', children: [] },
};

const open = changeRequest();
const merged = changeRequest({
  id: '9d8c7b6a-0000-4000-8000-000000000003',
  title: 'Promote payments-api to 1.2.2 in test',
  state: 'merged',
  checks: 'success',
  closedAt: '2026-11-28T10:00:00.000Z',
});

const summary = {
  folder: 'services/team-payments/payments-api',
  folderUrl:
    'https://git.example.com/platform/gitops/src/branch/main/services/team-payments/payments-api',
  openChangeRequests: [open],
  lastMerged: merged,
};

function app(
  name: string,
  env: string | undefined,
  sync: string,
  health: string,
) {
  return {
    instance: 'main',
    name,
    environment: env,
    syncStatus: sync,
    healthStatus: health,
    revision: '0123456789abcdef',
  };
}

function renderCard(options: {
  entity?: Entity;
  status: ArgoCdEntityStatus;
  gitops?: ReturnType<typeof fakeGitopsApi>;
}) {
  const gitops =
    options.gitops ??
    fakeGitopsApi({ getEntitySummary: jest.fn(async () => summary) });
  const argocd = { getEntityStatus: jest.fn(async () => options.status) };
  renderInTestApp(
    <EntityProvider entity={options.entity ?? service}>
      {createExtensionTester(entityGitopsCard).reactElement()}
    </EntityProvider>,
    {
      apis: [
        [gitopsApiRef, gitops],
        [argoCdStatusApiRef, argocd],
      ],
      mountedRoutes,
    },
  );
  return { gitops, argocd };
}

describe('EntityGitopsCard', () => {
  it('shows the folder, open and last merged requests, and Argo CD per environment', async () => {
    const { gitops, argocd } = renderCard({
      status: {
        kind: 'ok',
        applications: [
          app(
            'team-payments.payments-api.prod',
            'prod',
            'OutOfSync',
            'Degraded',
          ),
          app('team-payments.payments-api.dev', 'dev', 'Synced', 'Healthy'),
        ],
      },
    });
    expect(
      (
        await screen.findAllByText(summary.folder, undefined, LOADED)
      )[0].closest('a'),
    ).toHaveAttribute('href', summary.folderUrl);
    expect(gitops.getEntitySummary).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    expect(argocd.getEntityStatus).toHaveBeenCalledTimes(1);
    expect(screen.getByText(open.title).closest('a')).toHaveAttribute(
      'href',
      `/gitops/changes/${open.id}`,
    );
    expect(screen.getByText(merged.title)).toBeInTheDocument();
    expect(
      screen.getByText('All open change requests').closest('a'),
    ).toHaveAttribute(
      'href',
      '/gitops?scope=all&state=open&entityRef=component%3Adefault%2Fpayments-api',
    );

    const table = await screen.findByRole('table', {
      name: 'Argo CD status by environment',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^devSynced to 0123456Healthy/),
      'testnot deployed',
      expect.stringMatching(/^prodOutOfSync to 0123456Degraded/),
    ]);
  });

  it('says plainly that Argo CD is not configured, and shows the rest', async () => {
    renderCard({ status: { kind: 'not-configured' } });
    expect(
      await screen.findByText('Argo CD is not configured', undefined, LOADED),
    ).toBeInTheDocument();
    expect(await screen.findByText(open.title)).toBeInTheDocument();
  });

  it('says Argo CD is unavailable, and shows the rest', async () => {
    renderCard({
      status: {
        kind: 'unavailable',
        message: 'Argo CD instance "main" did not answer in time',
      },
    });
    expect(
      await screen.findByText(
        'Argo CD unavailable: Argo CD instance "main" did not answer in time',
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText(open.title)).toBeInTheDocument();
    expect(screen.getByText(merged.title)).toBeInTheDocument();
  });

  it('keeps the Argo CD status when the GitOps backend fails', async () => {
    renderCard({
      gitops: fakeGitopsApi({
        getEntitySummary: jest.fn(async () => {
          throw new Error('GitOps backend unreachable');
        }),
      }),
      status: {
        kind: 'ok',
        applications: [
          app('team-payments.payments-api.dev', 'dev', 'Synced', 'Healthy'),
        ],
      },
    });
    expect(
      (
        await screen.findAllByText(
          /GitOps backend unreachable/,
          undefined,
          LOADED,
        )
      ).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByRole('table', {
        name: 'Argo CD status by environment',
      }),
    ).toBeInTheDocument();
  });

  it('tells a viewer the policy refuses the change requests, and shows Argo CD', async () => {
    renderCard({
      gitops: fakeGitopsApi({
        getEntitySummary: jest.fn(async () => {
          throw await responseError(
            403,
            'NotAllowedError',
            'You may not read change requests (gitops.change-request.read)',
          );
        }),
      }),
      status: { kind: 'forbidden', message: 'refused' },
    });
    expect(
      await screen.findByText(
        'You may not read change requests (gitops.change-request.read)',
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'You may not read the Argo CD status of this entity',
      ),
    ).toBeInTheDocument();
  });

  it("shows a team's requests across its folders, without Argo CD", async () => {
    const { gitops, argocd } = renderCard({
      entity: team,
      gitops: fakeGitopsApi({
        getEntitySummary: jest.fn(async () => ({
          ...summary,
          folder: 'teams/team-payments',
          folderUrl: 'javascript:alert(1)',
        })),
      }),
      status: { kind: 'not-configured' },
    });
    const folder = await screen.findByText(
      'teams/team-payments',
      undefined,
      LOADED,
    );
    expect(folder.closest('a')).toBeNull();
    expect(gitops.getEntitySummary).toHaveBeenCalledWith(
      'group:default/team-payments',
    );
    expect(screen.getByText(open.title)).toBeInTheDocument();
    expect(argocd.getEntityStatus).not.toHaveBeenCalled();
    expect(screen.queryByText('Argo CD is not configured')).toBeNull();
  });

  it('says so for an entity that is not in the GitOps repository', async () => {
    renderCard({
      gitops: fakeGitopsApi({
        getEntitySummary: jest.fn(async () => undefined),
      }),
      status: { kind: 'ok', applications: [] },
    });
    expect(
      await screen.findByText(
        'Not in the GitOps repository.',
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No Argo CD application for this entity'),
    ).toBeInTheDocument();
  });
});
