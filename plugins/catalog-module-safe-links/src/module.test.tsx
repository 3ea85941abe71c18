/* eslint-disable no-script-url -- script URLs are what these tests feed in */
import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
  withLogCollector,
} from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import catalogModuleSafeLinks, { safeEntityLinksCard } from './index';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    links: [
      { url: 'https://grafana.example.com/d/payments', title: 'Dashboard' },
      { url: 'javascript:alert(document.cookie)', title: 'Runbook' },
      { url: ' java\tscript:alert(1)', title: 'Sneaky' },
      { url: 'mailto:team-payments@example.com', title: 'Mail the team' },
    ],
  },
  spec: { type: 'service', owner: 'team-payments' },
};

/** The card loads lazily, and the first load in a test run is slow. */
const LOADED = { timeout: 45_000 };

jest.setTimeout(60_000);

function renderCard(card: typeof safeEntityLinksCard) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      {createExtensionTester(card).reactElement()}
    </EntityProvider>,
  );
}

describe('safeEntityLinksCard', () => {
  it('shows the good links and leaves out the javascript: ones', async () => {
    renderCard(safeEntityLinksCard);
    expect(
      await screen.findByText('Dashboard', undefined, LOADED),
    ).toHaveAttribute('href', 'https://grafana.example.com/d/payments');
    expect(screen.getByText('Mail the team')).toHaveAttribute(
      'href',
      'mailto:team-payments@example.com',
    );
    expect(screen.queryByText('Runbook')).not.toBeInTheDocument();
    expect(screen.queryByText('Sneaky')).not.toBeInTheDocument();
    expect(document.querySelector('a[href*="script:"]')).toBeNull();
  });

  it('is needed: the catalog card alone fails on the same entity', async () => {
    const original = catalogPlugin.getExtension('entity-card:catalog/links');
    const { error } = await withLogCollector(['error'], async () => {
      renderCard(original);
      expect(
        await screen.findByText(
          'Link component rejected javascript: URL as a security precaution',
          undefined,
          LOADED,
        ),
      ).toBeInTheDocument();
    });
    expect(error.length).toBeGreaterThan(0);
    expect(screen.queryByText('Dashboard')).not.toBeInTheDocument();
  });

  it("takes the catalog card's place on the entity page", async () => {
    renderTestApp({
      features: [catalogPlugin, catalogModuleSafeLinks],
      apis: [catalogApiMock({ entities: [entity] })],
      initialRouteEntries: ['/catalog/default/component/payments'],
    });
    expect(
      await screen.findByText('Dashboard', undefined, LOADED),
    ).toBeInTheDocument();
    expect(screen.queryByText('Runbook')).not.toBeInTheDocument();
  });
});
