import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  gitopsChangeRequestReadPermission,
  RESOURCE_TYPE_GITOPS_CHANGE_REQUEST,
} from '@internal/plugin-gitops-common';
import { z } from 'zod';
import { ChangeRequestFilter } from '../store/filters';
import { StoredChangeRequest } from '../store/ChangeRequestStore';

/** Change requests as a resource of the permission framework. */
export const changeRequestResourceRef = createPermissionResourceRef<
  StoredChangeRequest,
  ChangeRequestFilter
>().with({
  pluginId: 'gitops',
  resourceType: RESOURCE_TYPE_GITOPS_CHANGE_REQUEST,
});

const lower = (refs: string[]) => refs.map(r => r.toLocaleLowerCase('en-US'));

const isRequester = createPermissionRule({
  name: 'IS_REQUESTER',
  description: 'Allow change requests that one of the given users asked for',
  resourceRef: changeRequestResourceRef,
  paramsSchema: z.object({
    requesters: z.array(z.string()).describe('User entity refs'),
  }),
  apply: (request, { requesters }) =>
    lower(requesters).includes(request.requester),
  toQuery: ({ requesters }) => ({ column: 'requester', values: requesters }),
});

const isForTeam = createPermissionRule({
  name: 'IS_FOR_TEAM',
  description: 'Allow change requests made for one of the given teams',
  resourceRef: changeRequestResourceRef,
  paramsSchema: z.object({
    teams: z.array(z.string()).describe('Group entity refs'),
  }),
  apply: (request, { teams }) => lower(teams).includes(request.team),
  toQuery: ({ teams }) => ({ column: 'team', values: teams }),
});

/** The rules of change requests. */
export const changeRequestRules = { isRequester, isForTeam };

/**
 * Conditions for policies: `isRequester` and `isForTeam`, and the
 * conditional decision of {@link gitopsChangeRequestReadPermission}.
 *
 * @public
 */
export const {
  conditions: changeRequestConditions,
  createConditionalDecision: createChangeRequestConditionalDecision,
} = createConditionExports({
  resourceRef: changeRequestResourceRef,
  rules: changeRequestRules,
});

/** The permissions this plugin registers. */
export const PERMISSIONS = [gitopsChangeRequestReadPermission];
