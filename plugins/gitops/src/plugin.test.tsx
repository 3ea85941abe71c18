import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { changeRequestPagePath } from '@internal/plugin-gitops-common';
import { screen } from '@testing-library/react';
import { argoCdStatusApiRef, gitopsApiRef } from './api';
import gitopsPlugin from './index';
import { changeRequest, fakeGitopsApi, LOADED } from './__testUtils__/fixtures';

jest.setTimeout(30_000);

describe('gitopsPlugin', () => {
  const request = changeRequest();
  const apis = [
    [
      gitopsApiRef,
      fakeGitopsApi({
        listChangeRequests: jest.fn(async () => ({
          items: [request],
          totalCount: 1,
        })),
        getChangeRequest: jest.fn(async () => request),
        getChangeRequestFiles: jest.fn(async () => []),
      }),
    ],
    [argoCdStatusApiRef, { getEntityStatus: jest.fn() }],
  ] as const;

  it("serves a change request at the path the scaffolder's output links to", async () => {
    renderTestApp({
      features: [gitopsPlugin],
      apis,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: [changeRequestPagePath(request.id)],
    });
    expect(
      await screen.findByText(
        'The change request changes no file.',
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText(request.title).length).toBeGreaterThan(0);
  });

  it('serves the Changes page at /gitops, whose rows lead to that path', async () => {
    renderTestApp({
      features: [gitopsPlugin],
      apis,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/gitops'],
    });
    const link = await screen.findByRole(
      'link',
      { name: request.title },
      LOADED,
    );
    expect(link).toHaveAttribute('href', changeRequestPagePath(request.id));
  });
});
