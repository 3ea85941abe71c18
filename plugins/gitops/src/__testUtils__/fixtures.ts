import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ChangeRequest } from '@internal/plugin-gitops-common';
import { GitopsApi } from '../api';
import { rootRouteRef } from '../routes';

/** A change request as the GitOps backend answers it. */
export function changeRequest(
  overrides: Partial<ChangeRequest> = {},
): ChangeRequest {
  return {
    id: '3f2a9c1e-8b7d-4e21-9a0f-5c6d7e8f9a01',
    template: 'template:default/promote-image',
    requester: 'user:default/bob',
    team: 'group:default/team-payments',
    title: 'Promote payments-api to 1.2.3 in prod',
    provider: 'git',
    branch: 'portal/promote-image/payments-api-prod-3f2a9c1e',
    forgeUrl:
      'https://git.example.com/platform/gitops/compare/main...portal/promote-image/payments-api-prod-3f2a9c1e',
    paths: [
      'services/team-payments/payments-api/overlays/prod/kustomization.yaml',
    ],
    folders: ['services/team-payments/payments-api'],
    baseCommit: 'a'.repeat(40),
    headCommit: 'b'.repeat(40),
    state: 'open',
    checks: 'pending',
    taskId: 'task-1',
    createdAt: '2026-11-29T08:00:00.000Z',
    updatedAt: '2026-11-29T09:00:00.000Z',
    ...overrides,
  };
}

/** A GitopsApi whose methods are mocks, each failing unless set. */
export function fakeGitopsApi(
  impl: Partial<GitopsApi> = {},
): jest.Mocked<GitopsApi> {
  const unset = (name: string) =>
    jest.fn(async () => {
      throw new Error(`${name} was not expected`);
    });
  return {
    listChangeRequests: unset('listChangeRequests'),
    getChangeRequest: unset('getChangeRequest'),
    getChangeRequestFiles: unset('getChangeRequestFiles'),
    getEntitySummary: unset('getEntitySummary'),
    ...impl,
  } as jest.Mocked<GitopsApi>;
}

/** Where the pages' links lead in a test app. */
export const mountedRoutes = {
  '/gitops': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
} as const;

/** The views load lazily, and the first load of a test run is slow. */
export const LOADED = { timeout: 20_000 };

/** The error the clients reject with when the backend answers `status`. */
export function responseError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}
