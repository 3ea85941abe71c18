import { BackstageUserInfo } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  CatalogEntityPermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogIngestionManagePermission,
  catalogIngestionReadPermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  ConditionalPolicyDecision,
  Permission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createScaffolderActionConditionalDecision,
  createScaffolderTaskConditionalDecision,
  createScaffolderTemplateConditionalDecision,
  scaffolderActionConditions,
  scaffolderTaskConditions,
  scaffolderTemplateConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  RESOURCE_TYPE_SCAFFOLDER_TEMPLATE,
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { argocdApplicationReadPermission } from '@internal/plugin-argocd-common';
import { kubernetesSecretsReadPermission } from '@internal/plugin-kubernetes-backend-module-secret-guard';
import {
  changeRequestConditions,
  createChangeRequestConditionalDecision,
} from '@internal/plugin-gitops-backend';
import { gitopsChangeRequestReadPermission } from '@internal/plugin-gitops-common';
import { portalSchedulerManagePermission } from '@internal/portal-backend-runtime';
import { portalPolicyExplainPermission } from './permissions';

/** The roles a binding in the policy file may name. */
export const ROLE_NAMES = [
  'viewer',
  'developer',
  'template-author',
  'platform-admin',
] as const;

/** The name of one of the roles. */
export type RoleName = (typeof ROLE_NAMES)[number];

/** How a role grants one permission. */
export type Grant =
  | { readonly kind: 'allow' }
  | {
      readonly kind: 'conditional';
      /** What the conditions let through, in words, for explanations. */
      readonly scope: string;
      readonly decide: (user: BackstageUserInfo) => ConditionalPolicyDecision;
    };

/** The permissions each role grants, by permission name. */
export type RoleGrants = ReadonlyMap<RoleName, ReadonlyMap<string, Grant>>;

/**
 * Templates (and template steps or parameters) carrying this tag are run by
 * the platform team only; everyone else does not even see them.
 */
export const PLATFORM_TEAM_ONLY_TAG = 'platform-team-only';

const allow: Grant = { kind: 'allow' };

const notPlatformTeamOnlyTemplates = createCatalogConditionalDecision(
  catalogEntityReadPermission,
  {
    not: {
      allOf: [
        catalogConditions.isEntityKind({ kinds: ['Template'] }),
        catalogConditions.hasMetadata({
          key: 'tags',
          value: PLATFORM_TEAM_ONLY_TAG,
        }),
      ],
    },
  },
);

/*
 * TechDocs pages and catalog search results are filtered by this same
 * catalog read, so hiding a template here hides it everywhere.
 */
const visibleEntities: Grant = {
  kind: 'conditional',
  scope: `entities other than templates tagged ${PLATFORM_TEAM_ONLY_TAG}`,
  decide: () => notPlatformTeamOnlyTemplates,
};

/*
 * The scaffolder matches this tag on `backstage:permissions` of a
 * template's parameters and steps, not on the template's metadata.
 */
function notPlatformTeamOnlyTemplatePart(
  permission: ResourcePermission<typeof RESOURCE_TYPE_SCAFFOLDER_TEMPLATE>,
  part: string,
): Grant {
  const decision = createScaffolderTemplateConditionalDecision(permission, {
    not: scaffolderTemplateConditions.hasTag({ tag: PLATFORM_TEAM_ONLY_TAG }),
  });
  return {
    kind: 'conditional',
    scope: `template ${part} not tagged ${PLATFORM_TEAM_ONLY_TAG}`,
    decide: () => decision,
  };
}

function ownedEntities(permission: CatalogEntityPermission): Grant {
  return {
    kind: 'conditional',
    scope: 'entities owned by the user or one of their groups',
    decide: user =>
      createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user.ownershipEntityRefs,
        }),
      ),
  };
}

/**
 * The action that publishes a change request for one team, named by its
 * `team` input (a group ref). Only members of that team may run it.
 */
export const TEAM_SCOPED_ACTION = 'gitops:change:publish';

/*
 * Every action, but the change request only for the user's own teams: the
 * `team` input must be one of the groups in the user's token. The action
 * itself refuses paths outside that team's folders, so the team decides
 * what can be written.
 */
const actionsForOwnTeams: Grant = {
  kind: 'conditional',
  scope: `every action; ${TEAM_SCOPED_ACTION} only with a team input naming one of the user's groups`,
  decide: user => {
    const otherActions = {
      not: scaffolderActionConditions.hasActionId({
        actionId: TEAM_SCOPED_ACTION,
      }),
    };
    const ownTeams = user.ownershipEntityRefs
      .filter(ref => ref.toLocaleLowerCase('en-US').startsWith('group:'))
      .map(ref =>
        scaffolderActionConditions.hasStringProperty({
          key: 'team',
          value: ref,
        }),
      );
    return createScaffolderActionConditionalDecision(
      actionExecutePermission,
      ownTeams.length > 0
        ? { anyOf: [otherActions, ...ownTeams] }
        : otherActions,
    );
  },
};

/** Change requests the user asked for, or made for one of their groups. */
const ownChangeRequests: Grant = {
  kind: 'conditional',
  scope:
    "change requests the user asked for or made for one of the user's groups",
  decide: user =>
    createChangeRequestConditionalDecision(gitopsChangeRequestReadPermission, {
      anyOf: [
        changeRequestConditions.isRequester({
          requesters: [user.userEntityRef],
        }),
        changeRequestConditions.isForTeam({
          teams: user.ownershipEntityRefs.filter(ref =>
            ref.toLocaleLowerCase('en-US').startsWith('group:'),
          ),
        }),
      ],
    }),
};

const ownTasks: Grant = {
  kind: 'conditional',
  scope: 'scaffolder tasks the user started',
  decide: user =>
    createScaffolderTaskConditionalDecision(
      taskReadPermission,
      scaffolderTaskConditions.isTaskOwner({
        createdBy: [user.userEntityRef],
      }),
    ),
};

function grants(
  entries: ReadonlyArray<readonly [Permission, Grant]>,
): ReadonlyMap<string, Grant> {
  return new Map(
    entries.map(([permission, grant]) => [permission.name, grant]),
  );
}

/** Look around: catalog, TechDocs, search, what runs in Kubernetes. */
const viewer = [
  [catalogEntityReadPermission, visibleEntities],
  [catalogLocationReadPermission, allow],
  [kubernetesClustersReadPermission, allow],
  [kubernetesResourcesReadPermission, allow],
] as const;

/** Run templates and look after what their own teams own. */
const developer = [
  ...viewer,
  [taskCreatePermission, allow],
  [actionExecutePermission, actionsForOwnTeams],
  [
    templateParameterReadPermission,
    notPlatformTeamOnlyTemplatePart(
      templateParameterReadPermission,
      'parameters',
    ),
  ],
  [
    templateStepReadPermission,
    notPlatformTeamOnlyTemplatePart(templateStepReadPermission, 'steps'),
  ],
  [taskReadPermission, ownTasks],
  [taskCancelPermission, ownTasks],
  [gitopsChangeRequestReadPermission, ownChangeRequests],
  [
    catalogEntityRefreshPermission,
    ownedEntities(catalogEntityRefreshPermission),
  ],
  [catalogEntityDeletePermission, ownedEntities(catalogEntityDeletePermission)],
  [
    argocdApplicationReadPermission,
    ownedEntities(argocdApplicationReadPermission),
  ],
] as const;

/**
 * Bring new things into the catalog and maintain templates. Refreshing is
 * harmless, so any entity; deleting stays limited to owned entities.
 */
const templateAuthor = [
  ...developer.filter(([p]) => p !== catalogEntityRefreshPermission),
  [catalogEntityRefreshPermission, allow],
  [catalogEntityCreatePermission, allow],
  [catalogEntityValidatePermission, allow],
  [catalogLocationCreatePermission, allow],
  [catalogLocationDeletePermission, allow],
  [catalogLocationAnalyzePermission, allow],
  [templateDryRunPermission, allow],
  [templateManagementPermission, allow],
] as const;

/*
 * Spelled out rather than "everything": a permission that a Backstage
 * upgrade introduces stays denied until someone adds it here.
 */
const platformAdmin = [
  catalogEntityReadPermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationAnalyzePermission,
  catalogIngestionReadPermission,
  catalogIngestionManagePermission,
  templateParameterReadPermission,
  templateStepReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  actionExecutePermission,
  taskCreatePermission,
  taskReadPermission,
  taskCancelPermission,
  kubernetesClustersReadPermission,
  kubernetesResourcesReadPermission,
  kubernetesProxyPermission,
  kubernetesSecretsReadPermission,
  argocdApplicationReadPermission,
  gitopsChangeRequestReadPermission,
  portalSchedulerManagePermission,
  portalPolicyExplainPermission,
].map(permission => [permission, allow] as const);

/** The roles of the portal and what each grants; nothing else is granted. */
export const ROLES: RoleGrants = new Map<RoleName, ReadonlyMap<string, Grant>>([
  ['viewer', grants(viewer)],
  ['developer', grants(developer)],
  ['template-author', grants(templateAuthor)],
  ['platform-admin', grants(platformAdmin)],
]);
