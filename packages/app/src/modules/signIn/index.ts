import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { keycloakAuthApi } from './keycloakAuthApi';

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () =>
      import('./PortalSignInPage').then(m => m.PortalSignInPage),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [keycloakAuthApi, signInPage],
});
