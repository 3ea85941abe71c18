import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { KEYCLOAK, keycloakAuthApiRef } from './keycloakAuthApi';

const keycloakProvider: SignInProviderConfig = {
  id: KEYCLOAK,
  title: 'Keycloak',
  message: 'Sign in with your company account',
  apiRef: keycloakAuthApiRef,
};

/**
 * Offers exactly the sign-in methods named in `app.signInProviders`, so a
 * production config that omits `guest` can never show a guest button.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const configured = config.getOptionalStringArray('app.signInProviders') ?? [];
  return (
    <SignInPage
      {...props}
      title="Developer Portal"
      align="center"
      providers={[
        ...(configured.includes('guest') ? (['guest'] as const) : []),
        ...(configured.includes(KEYCLOAK) ? [keycloakProvider] : []),
      ]}
    />
  );
}
