import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, screen } from '@testing-library/react';
import { keycloakAuthApiRef } from './keycloakAuthApi';
import { PortalSignInPage } from './PortalSignInPage';

/** A signed-out Keycloak session: the sign-in page only asks whether one exists. */
const signedOutKeycloak = {
  getBackstageIdentity: jest.fn(async () => undefined),
  getProfile: jest.fn(async () => undefined),
  getIdToken: jest.fn(async () => ''),
  signIn: jest.fn(async () => {}),
  signOut: jest.fn(async () => {}),
  sessionState$: jest.fn(),
};

async function renderWith(signInProviders: string[]) {
  // The test app suspends while it loads; let it settle inside act.
  await act(async () => {
    renderInTestApp(<PortalSignInPage onSignInSuccess={jest.fn()} />, {
      config: { app: { title: 'Developer Portal', signInProviders } },
      apis: [[keycloakAuthApiRef, signedOutKeycloak]],
    });
  });
  await screen.findAllByText('Developer Portal');
}

describe('PortalSignInPage', () => {
  it('offers Keycloak when app.signInProviders lists it', async () => {
    await renderWith(['keycloak']);
    expect(await screen.findByText('Keycloak')).toBeInTheDocument();
    expect(
      screen.getByText('Sign in with your company account'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });

  it('offers neither when the config names none', async () => {
    await renderWith([]);
    expect(screen.queryByText('Keycloak')).not.toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });
});
