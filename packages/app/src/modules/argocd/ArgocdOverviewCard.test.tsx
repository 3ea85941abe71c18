import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { act, screen, waitFor } from '@testing-library/react';
import { ArgocdOverviewCard } from './ArgocdOverviewCard';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    annotations: { 'argocd/app-name': 'payments' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const configured = {
  backend: { baseUrl: 'http://localhost:7007' },
  argocd: {
    appLocatorMethods: [
      { type: 'config', instances: [{ name: 'main', url: 'https://argo' }] },
    ],
  },
};

async function render(config: object) {
  await act(async () => {
    renderInTestApp(
      <EntityProvider entity={entity}>
        <ArgocdOverviewCard />
      </EntityProvider>,
      { config },
    );
  });
}

describe('ArgocdOverviewCard', () => {
  const realFetch = global.fetch;
  // Argo CD never answers here: the card stays loading.
  const fetchMock = jest.fn(() => new Promise<Response>(() => {}));
  beforeEach(() => {
    fetchMock.mockClear();
    global.fetch = fetchMock as typeof fetch;
  });
  afterAll(() => {
    global.fetch = realFetch;
  });

  it("shows Roadie's card, reading through the portal's argocd backend", async () => {
    await render(configured);
    expect(await screen.findByText('ArgoCD overview')).toBeInTheDocument();
    await waitFor(() =>
      expect(fetchMock).toHaveBeenCalledWith(
        expect.stringContaining('http://localhost:7007/api/argocd/'),
        expect.anything(),
      ),
    );
  });

  it('shows nothing where no Argo CD instance is configured', async () => {
    await render({ backend: { baseUrl: 'http://localhost:7007' } });
    expect(screen.queryByText('ArgoCD overview')).not.toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
