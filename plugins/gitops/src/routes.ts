import {
  createExternalRouteRef,
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The Changes page, `/gitops`. */
export const rootRouteRef = createRouteRef();

/**
 * One change request, `/gitops/changes/:id`: the path that
 * `changeRequestPagePath` of `@internal/plugin-gitops-common` spells for the
 * scaffolder's output link (routes.test.tsx holds the two together).
 */
export const changeRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/changes/:id',
});

/** A golden path's form in the scaffolder. */
export const templateRouteRef = createExternalRouteRef({
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});

/** A scaffolder task's page, where the run that made a change is logged. */
export const taskRouteRef = createExternalRouteRef({
  params: ['taskId'],
  defaultTarget: 'scaffolder.ongoingTask',
});
