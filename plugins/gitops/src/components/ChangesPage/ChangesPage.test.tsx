/* eslint-disable no-script-url -- script URLs are what these tests feed in */
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { gitopsApiRef } from '../../api';
import {
  changeRequest,
  fakeGitopsApi,
  LOADED,
  mountedRoutes,
  responseError,
} from '../../__testUtils__/fixtures';
import { ChangesPage } from './ChangesPage';

const promote = changeRequest();
const deploy = changeRequest({
  id: '0c1d2e3f-0000-4000-8000-000000000002',
  title: 'Deploy search-api',
  template: 'template:default/deploy-service',
  team: 'group:default/team-search',
  requester: 'user:default/carol',
  provider: 'github',
  branch: 'portal/deploy-service/search-api-0c1d2e3f',
  number: 42,
  forgeUrl: 'https://github.com/acme/gitops/pull/42',
  state: 'merged',
  checks: 'success',
  folders: ['services/team-search/search-api'],
});

function renderPage(options: {
  api: ReturnType<typeof fakeGitopsApi>;
  route?: string;
  config?: NonNullable<Parameters<typeof renderInTestApp>[1]>['config'];
}) {
  return renderInTestApp(<ChangesPage />, {
    apis: [[gitopsApiRef, options.api]],
    mountedRoutes,
    initialRouteEntries: [options.route ?? '/gitops'],
    config: options.config,
  });
}

jest.setTimeout(30_000);

describe('ChangesPage', () => {
  it('lists my change requests with their template, state, checks, folders and forge link', async () => {
    const api = fakeGitopsApi({
      listChangeRequests: jest.fn(async () => ({
        items: [promote, deploy],
        totalCount: 2,
      })),
    });
    renderPage({ api });

    const title = await screen.findByText(promote.title, undefined, LOADED);
    expect(title.closest('a')).toHaveAttribute(
      'href',
      `/gitops/changes/${promote.id}`,
    );
    expect(api.listChangeRequests).toHaveBeenCalledWith({
      scope: 'mine',
      state: undefined,
      entityRef: undefined,
      limit: 25,
      offset: 0,
    });
    const row = title.closest('tr')!;
    expect(within(row).getByText('promote-image')).toBeInTheDocument();
    expect(within(row).getByText('open')).toBeInTheDocument();
    expect(within(row).getByText('running')).toBeInTheDocument();
    expect(
      within(row).getByText('services/team-payments/payments-api'),
    ).toBeInTheDocument();
    expect(within(row).getByText(promote.branch).closest('a')).toHaveAttribute(
      'href',
      promote.forgeUrl,
    );

    const merged = screen.getByText(deploy.title).closest('tr')!;
    expect(within(merged).getByText('merged')).toBeInTheDocument();
    expect(within(merged).getByText('passed')).toBeInTheDocument();
    expect(within(merged).getByText('#42').closest('a')).toHaveAttribute(
      'href',
      'https://github.com/acme/gitops/pull/42',
    );
  });

  it('switches between mine, my teams and all, and filters by state', async () => {
    const api = fakeGitopsApi({
      listChangeRequests: jest.fn(async () => ({ items: [], totalCount: 0 })),
    });
    renderPage({ api });
    expect(
      await screen.findByText(
        /You have not asked for a change yet/,
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('tab', { name: 'My teams' }));
    expect(
      await screen.findByText('No change requests for your teams.'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'All I may read' }));
    fireEvent.mouseDown(screen.getByRole('button', { name: /Any state/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'Merged' }));

    await waitFor(() =>
      expect(api.listChangeRequests).toHaveBeenLastCalledWith({
        scope: 'all',
        state: 'merged',
        entityRef: undefined,
        limit: 25,
        offset: 0,
      }),
    );
    expect(api.listChangeRequests.mock.calls.map(([q]) => q.scope)).toEqual([
      'mine',
      'team',
      'all',
      'all',
    ]);
  });

  it("takes an entity's filter from the address, and only known values", async () => {
    const api = fakeGitopsApi({
      listChangeRequests: jest.fn(async () => ({ items: [], totalCount: 0 })),
    });
    renderPage({
      api,
      route:
        '/gitops?state=open&entityRef=component%3Adefault%2Fpayments-api&scope=everything&pageSize=100000',
    });
    await waitFor(() =>
      expect(api.listChangeRequests).toHaveBeenCalledWith({
        scope: 'all',
        state: 'open',
        entityRef: 'component:default/payments-api',
        limit: 25,
        offset: 0,
      }),
    );
  });

  it('offers no forge link where the forge has no pages, or for a link that is not a web page', async () => {
    const api = fakeGitopsApi({
      listChangeRequests: jest.fn(async () => ({
        items: [
          promote,
          // The backend's answer is not trusted with a script link.
          { ...deploy, forgeUrl: 'javascript:alert(document.cookie)' },
        ],
        totalCount: 2,
      })),
    });
    renderPage({ api });
    const merged = (
      await screen.findByText(deploy.title, undefined, LOADED)
    ).closest('tr')!;
    expect(within(merged).getByText('–')).toBeInTheDocument();
    expect(within(merged).queryByText('#42')).toBeNull();
    expect(document.querySelector('a[href*="javascript"]')).toBeNull();
  });

  it('links no forge page when gitops.forgeWebPages is false', async () => {
    const api = fakeGitopsApi({
      listChangeRequests: jest.fn(async () => ({
        items: [promote],
        totalCount: 1,
      })),
    });
    renderPage({ api, config: { gitops: { forgeWebPages: false } } });
    const row = (
      await screen.findByText(promote.title, undefined, LOADED)
    ).closest('tr')!;
    expect(within(row).queryByText(promote.branch)).toBeNull();
    expect(within(row).getByText('–')).toBeInTheDocument();
  });

  it('tells a user without access that the policy refuses, in its words', async () => {
    const api = fakeGitopsApi({
      listChangeRequests: jest.fn(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'You may not read change requests (gitops.change-request.read)',
        );
      }),
    });
    renderPage({ api });
    expect(
      await screen.findByText(
        'You may not read change requests (gitops.change-request.read)',
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
  });

  it('says what went wrong when the list cannot be read', async () => {
    const api = fakeGitopsApi({
      listChangeRequests: jest.fn(async () => {
        throw new Error('The GitOps backend is down');
      }),
    });
    renderPage({ api });
    expect(
      await screen.findAllByText(
        /The GitOps backend is down/,
        undefined,
        LOADED,
      ),
    ).not.toHaveLength(0);
  });
});
