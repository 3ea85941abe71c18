import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CallMergeIcon from '@material-ui/icons/CallMerge';
import {
  ArgoCdStatusClient,
  argoCdStatusApiRef,
  GitopsClient,
  gitopsApiRef,
} from './api';
import { hasGitopsCard } from './filters';
import {
  changeRouteRef,
  rootRouteRef,
  taskRouteRef,
  templateRouteRef,
} from './routes';

// Every view loads on first use; this module holds only the wiring.

export const gitopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new GitopsClient(deps),
    }),
});

export const argoCdStatusApi = ApiBlueprint.make({
  name: 'argocd-status',
  params: defineParams =>
    defineParams({
      api: argoCdStatusApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ArgoCdStatusClient(deps),
    }),
});

export const changesPage = PageBlueprint.make({
  params: {
    path: '/gitops',
    routeRef: rootRouteRef,
    title: 'Changes',
    icon: <CallMergeIcon fontSize="inherit" />,
    loader: () => import('./components/GitopsPage').then(m => <m.GitopsPage />),
  },
});

export const entityGitopsCard = EntityCardBlueprint.make({
  params: {
    filter: hasGitopsCard,
    loader: () =>
      import('./components/EntityGitopsCard/EntityGitopsCard').then(m => (
        <m.EntityGitopsCard />
      )),
  },
});

export const myOpenChangesWidget = HomePageWidgetBlueprint.make({
  name: 'my-open-changes',
  params: {
    name: 'GitopsMyOpenChanges',
    title: 'My open change requests',
    description: 'The change requests you asked for that are still open',
    components: () =>
      import('./components/home/MyOpenChanges').then(m => ({
        Content: m.MyOpenChanges,
      })),
  },
});

export const teamServicesWidget = HomePageWidgetBlueprint.make({
  name: 'team-services',
  params: {
    name: 'GitopsTeamServices',
    title: "My teams' services",
    description: 'The services your teams own, with Argo CD status',
    components: () =>
      import('./components/home/TeamServices').then(m => ({
        Content: m.TeamServices,
      })),
  },
});

export const goldenPathsWidget = HomePageWidgetBlueprint.make({
  name: 'golden-paths',
  params: {
    name: 'GitopsGoldenPaths',
    title: 'Golden paths',
    description: 'The templates you may run',
    components: () =>
      import('./components/home/GoldenPaths').then(m => ({
        Content: m.GoldenPaths,
      })),
  },
});

export const servicePickerField = FormFieldBlueprint.make({
  name: 'service-picker',
  params: {
    field: () =>
      import('./components/ServicePicker/field').then(
        m => m.gitopsServicePickerField,
      ),
  },
});

/**
 * The portal's GitOps pages: the Changes page and the change view, the
 * GitOps card of entities, the home page widgets and the service picker
 * of the golden paths.
 *
 * @public
 */
export const gitopsPlugin = createFrontendPlugin({
  pluginId: 'gitops',
  title: 'GitOps',
  icon: <CallMergeIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef, change: changeRouteRef },
  externalRoutes: { template: templateRouteRef, task: taskRouteRef },
  extensions: [
    gitopsApi,
    argoCdStatusApi,
    changesPage,
    entityGitopsCard,
    myOpenChangesWidget,
    teamServicesWidget,
    goldenPathsWidget,
    servicePickerField,
  ],
});
