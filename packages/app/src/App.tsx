import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';
import { argocdFeature } from './modules/argocd';
import { signInModule } from './modules/signIn';

// Plugins with a new-frontend-system export are discovered from
// package.json (`app.packages: all`); only the wrapped ones are listed here.
export default createApp({
  features: [signInModule, navModule, argocdFeature],
});
