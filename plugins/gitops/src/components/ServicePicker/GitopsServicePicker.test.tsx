import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { LOADED } from '../../__testUtils__/fixtures';
import { GitopsServicePicker } from './GitopsServicePicker';

jest.setTimeout(30_000);

function component(
  name: string,
  options: { owner: string; type?: string; folder?: string },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: options.folder
        ? { 'gitops.portal/folder': options.folder }
        : {},
    },
    spec: { type: options.type ?? 'service', owner: options.owner },
    relations: [{ type: 'ownedBy', targetRef: options.owner }],
  };
}

const PAYMENTS = 'group:default/team-payments';
const SEARCH = 'group:default/team-search';

/** The catalog as the GitOps provider and hand-written entities fill it. */
const entities: Entity[] = [
  component('payments-api', {
    owner: PAYMENTS,
    folder: 'services/team-payments/payments-api',
  }),
  component('team-payments-refunds', {
    owner: PAYMENTS,
    folder: 'services/team-payments/refunds',
  }),
  component('search-api', {
    owner: SEARCH,
    folder: 'services/team-search/search-api',
  }),
  // Registered by hand: no folder in the GitOps repository.
  component('payments-legacy', { owner: PAYMENTS }),
  // Not a service.
  component('payments-site', {
    owner: PAYMENTS,
    type: 'website',
    folder: 'services/team-payments/payments-site',
  }),
  // Owned by payments, but its folder is the search team's: a template
  // run for payments could not write there.
  component('borrowed', {
    owner: PAYMENTS,
    folder: 'services/team-search/borrowed',
  }),
  // A folder below a service, not a service folder.
  component('payments-overlay', {
    owner: PAYMENTS,
    folder: 'services/team-payments/payments-api/overlays/dev',
  }),
];

function renderPicker(options: {
  form: Record<string, unknown>;
  formData?: string;
  uiOptions?: Record<string, unknown>;
  catalog?: ReturnType<typeof catalogApiMock.mock>;
}) {
  const onChange = jest.fn();
  const props = {
    formData: options.formData,
    onChange,
    uiSchema: { 'ui:options': options.uiOptions ?? {} },
    schema: { type: 'string', title: 'Service' },
    formContext: { formData: options.form },
    idSchema: { $id: 'root_service' },
    rawErrors: [],
    required: true,
  } as any;
  renderInTestApp(<GitopsServicePicker {...props} />, {
    apis: [options.catalog ?? catalogApiMock({ entities })],
  });
  return onChange;
}

async function openOptions() {
  const select = await screen.findByRole('button', { name: /Service/ }, LOADED);
  await waitFor(() => expect(select).not.toHaveAttribute('aria-disabled'));
  fireEvent.mouseDown(select);
  return (await screen.findAllByRole('option')).map(o => o.textContent);
}

describe('GitopsServicePicker', () => {
  it("offers the chosen team's services from the GitOps repository, and stores the name", async () => {
    const onChange = renderPicker({ form: { team: PAYMENTS } });
    expect(await openOptions()).toEqual(['payments-api', 'refunds']);
    fireEvent.click(screen.getByRole('option', { name: 'refunds' }));
    expect(onChange).toHaveBeenLastCalledWith('refunds');
  });

  it('reads the team from the field that ui:options.teamField names', async () => {
    renderPicker({
      form: { team: PAYMENTS, owner: SEARCH },
      uiOptions: { teamField: 'owner' },
    });
    expect(await openOptions()).toEqual(['search-api']);
  });

  it('waits for a team, and asks the catalog nothing for a value that is no team', async () => {
    const catalog = catalogApiMock.mock();
    renderPicker({
      // A filter smuggled into the team field would widen the catalog query.
      form: { team: 'group:default/team-payments,kind=Component' },
      catalog,
    });
    expect(
      await screen.findByText('Choose the team first.', undefined, LOADED),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Service/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });

  it('clears a service that the chosen team does not have', async () => {
    const onChange = renderPicker({
      form: { team: SEARCH },
      formData: 'payments-api',
    });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(undefined));
  });

  it('keeps a service that the chosen team has', async () => {
    const onChange = renderPicker({
      form: { team: PAYMENTS },
      formData: 'payments-api',
    });
    expect(await openOptions()).toEqual(['payments-api', 'refunds']);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('says when the team has no service yet', async () => {
    renderPicker({ form: { team: 'group:default/team-new' } });
    expect(
      await screen.findByText(
        'group:default/team-new has no service in the GitOps repository.',
        undefined,
        LOADED,
      ),
    ).toBeInTheDocument();
  });
});
