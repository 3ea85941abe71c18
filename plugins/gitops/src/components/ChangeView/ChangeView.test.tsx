import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { gitopsApiRef } from '../../api';
import {
  changeRequest,
  fakeGitopsApi,
  LOADED,
  mountedRoutes,
  responseError,
} from '../../__testUtils__/fixtures';
import { GitopsPage } from '../GitopsPage';

jest.setTimeout(30_000);

const request = changeRequest({
  state: 'merged',
  checks: 'success',
  closedAt: '2026-11-29T09:30:00.000Z',
});

const KUSTOMIZATION = `diff --git a/services/team-payments/payments-api/overlays/prod/kustomization.yaml b/services/team-payments/payments-api/overlays/prod/kustomization.yaml
index 1111111..2222222 100644
--- a/services/team-payments/payments-api/overlays/prod/kustomization.yaml
+++ b/services/team-payments/payments-api/overlays/prod/kustomization.yaml
@@ -4,2 +4,2 @@ images:
   - name: payments-api
-    newTag: "1.2.2"
+    newTag: "1.2.3"
`;

const HOSTILE = `diff --git a/services/team-payments/payments-api/base/configmap.yaml b/services/team-payments/payments-api/base/configmap.yaml
new file mode 100644
--- /dev/null
+++ b/services/team-payments/payments-api/base/configmap.yaml
@@ -0,0 +1,2 @@
+data:
+  banner: <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>
`;

function renderView(api: ReturnType<typeof fakeGitopsApi>, config = {}) {
  return renderInTestApp(<GitopsPage />, {
    apis: [[gitopsApiRef, api]],
    mountedRoutes,
    mountPath: '/gitops/*',
    initialRouteEntries: [`/gitops/changes/${request.id}`],
    config,
  });
}

describe('ChangeView', () => {
  it('shows the metadata and each file with its diff, coloured by line', async () => {
    const api = fakeGitopsApi({
      getChangeRequest: jest.fn(async () => request),
      getChangeRequestFiles: jest.fn(async () => [
        {
          path: 'services/team-payments/payments-api/overlays/prod/kustomization.yaml',
          status: 'modified' as const,
          patch: KUSTOMIZATION,
        },
        {
          path: 'services/team-payments/payments-api/logo.png',
          status: 'added' as const,
          patch: '',
        },
      ]),
    });
    renderView(api);

    expect(
      await screen.findByText(request.title, undefined, LOADED),
    ).toBeInTheDocument();
    expect(api.getChangeRequest).toHaveBeenCalledWith(request.id);
    expect(screen.getByText('merged')).toBeInTheDocument();
    expect(screen.getByText('passed')).toBeInTheDocument();
    expect(screen.getByText('promote-image')).toBeInTheDocument();
    expect(screen.getByText(request.branch)).toBeInTheDocument();
    expect(screen.getByText('Merged')).toBeInTheDocument();
    expect(screen.getByText(request.branch).closest('a')).toBeNull();
    expect(screen.getByText('open at the forge').closest('a')).toHaveAttribute(
      'href',
      request.forgeUrl,
    );

    const removed = await screen.findByText('newTag: "1.2.2"', {
      exact: false,
    });
    const added = screen.getByText('newTag: "1.2.3"', { exact: false });
    expect(removed.closest('tr')).toHaveAttribute('data-kind', 'removed');
    expect(added.closest('tr')).toHaveAttribute('data-kind', 'added');
    expect(within(added.closest('tr')!).getByText('5')).toBeInTheDocument();
    expect(screen.getByText('+1 −1')).toBeInTheDocument();
    expect(
      screen.getByText(/No text to show: a binary file/),
    ).toBeInTheDocument();
  });

  it('folds a file away and opens it again', async () => {
    const api = fakeGitopsApi({
      getChangeRequest: jest.fn(async () => request),
      getChangeRequestFiles: jest.fn(async () => [
        {
          path: 'services/team-payments/payments-api/overlays/prod/kustomization.yaml',
          status: 'modified' as const,
          patch: KUSTOMIZATION,
        },
      ]),
    });
    renderView(api);
    const line = await screen.findByText(
      'newTag: "1.2.3"',
      { exact: false },
      LOADED,
    );
    const header = screen.getByRole('button', { name: /kustomization\.yaml/ });
    expect(header).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(header);
    expect(header).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(header);
    expect(header).toHaveAttribute('aria-expanded', 'true');
    expect(line).toBeInTheDocument();
  });

  it('renders what a manifest holds as text, never as markup', async () => {
    const api = fakeGitopsApi({
      getChangeRequest: jest.fn(async () => request),
      getChangeRequestFiles: jest.fn(async () => [
        {
          path: 'services/team-payments/payments-api/base/configmap.yaml',
          status: 'added' as const,
          patch: HOSTILE,
        },
      ]),
    });
    renderView(api);
    expect(
      await screen.findByText(
        /<script>window.pwned=2<\/script>/,
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    expect(document.querySelector('script')).toBeNull();
    expect((window as any).pwned).toBeUndefined();
  });

  it('says the same for a missing change request and one I may not read', async () => {
    const api = fakeGitopsApi({
      getChangeRequest: jest.fn(async () => {
        throw await responseError(404, 'NotFoundError', 'No change request');
      }),
      getChangeRequestFiles: jest.fn(async () => {
        throw await responseError(404, 'NotFoundError', 'No change request');
      }),
    });
    renderView(api);
    expect(
      await screen.findByText(
        `There is no change request ${request.id}, or you may not read it.`,
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Files')).toBeNull();
  });

  it('keeps the metadata when the diff cannot be read', async () => {
    const api = fakeGitopsApi({
      getChangeRequest: jest.fn(async () => request),
      getChangeRequestFiles: jest.fn(async () => {
        throw await responseError(
          404,
          'NotFoundError',
          'The commits of change request x are no longer in the GitOps repository',
        );
      }),
    });
    renderView(api);
    expect(
      await screen.findByText(request.title, undefined, LOADED),
    ).toBeInTheDocument();
    expect(
      await screen.findAllByText(/no longer in the GitOps repository/),
    ).not.toHaveLength(0);
  });

  it('links the forge page where the forge has pages, and says so where it has none', async () => {
    const open = {
      ...request,
      provider: 'github' as const,
      number: 7,
      forgeUrl: 'https://github.com/acme/gitops/pull/7',
    };
    const api = fakeGitopsApi({
      getChangeRequest: jest.fn(async () => open),
      getChangeRequestFiles: jest.fn(async () => []),
    });
    const { unmount } = renderView(api);
    expect(
      (await screen.findByText('#7', undefined, LOADED)).closest('a'),
    ).toHaveAttribute('href', 'https://github.com/acme/gitops/pull/7');
    unmount();
    renderView(api, { gitops: { forgeWebPages: false } });
    expect(
      await screen.findByText(
        /The Git server has no web pages/,
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('#7')).toBeNull();
  });
});
