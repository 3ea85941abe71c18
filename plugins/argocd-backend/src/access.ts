import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { argocdApplicationReadPermission } from '@internal/plugin-argocd-common';
import { ArgoCdApplication, applicationTeam } from './applicationShape';

/**
 * Which Argo CD applications a request may read: all of them (the policy
 * allows the permission outright), or those whose team label names a group
 * owning one of the catalog entities the policy let through.
 */
export type ApplicationAccess =
  | { readonly all: true }
  | { readonly all: false; readonly owners: ReadonlySet<string> };

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

const ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
  'relations',
];

/** Enough for any application; more could only refuse, never allow. */
const MAX_NAMING_ENTITIES = 500;

/** The same answer for every refusal, so it tells nothing about what exists. */
export function refused(what: string): NotAllowedError {
  return new NotAllowedError(
    `You may not read the Argo CD applications of ${what} (${argocdApplicationReadPermission.name})`,
  );
}

/**
 * An entity can name any application in its annotations, and whoever may
 * register entities writes those; the team label comes from the GitOps
 * repository's ApplicationSets. So without blanket access an application is
 * readable only when its team owns one of the entities that let it through.
 */
export function mayRead(access: ApplicationAccess, app: ArgoCdApplication) {
  if (access.all) {
    return true;
  }
  const team = applicationTeam(app);
  return (
    team !== undefined &&
    access.owners.has(`group:default/${team}`.toLocaleLowerCase('en-US'))
  );
}

function owners(entities: Entity[]): ReadonlySet<string> {
  return new Set(
    entities.flatMap(entity =>
      (entity.relations ?? [])
        .filter(r => r.type === RELATION_OWNED_BY)
        .map(r => r.targetRef.toLocaleLowerCase('en-US')),
    ),
  );
}

/** Decides `argocd.application.read` through the permission framework. */
export class AccessResolver {
  readonly #permissions: PermissionsService;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;

  constructor(options: {
    permissions: PermissionsService;
    catalog: CatalogService;
    auth: AuthService;
  }) {
    this.#permissions = options.permissions;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
  }

  /**
   * Access to the applications that entities name with `annotation: value`.
   * Each such entity is authorized by its ref, so the catalog applies the
   * policy's conditions; an application no entity names is for blanket
   * access only.
   */
  async forAnnotation(
    credentials: UserCredentials,
    annotation: string,
    value: string,
    what: string,
  ): Promise<ApplicationAccess> {
    const policy = await this.#policy(credentials, what);
    if (policy.all) {
      return policy;
    }
    // A predicate query travels as JSON: selectors hold the commas and
    // equals signs that the key=value filter syntax splits on.
    const query: Record<`metadata.annotations.${string}`, string> = {
      [`metadata.annotations.${annotation}`]: value,
    };
    const { items } = await this.#catalog.queryEntities(
      {
        query,
        fields: ENTITY_FIELDS,
        limit: MAX_NAMING_ENTITIES,
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    // The catalog's filter ignores case; annotation values must match exactly.
    const naming = items.filter(
      e => e.metadata.annotations?.[annotation] === value,
    );
    const allowed = await this.#allowed(credentials, naming);
    if (allowed.length === 0) {
      throw refused(what);
    }
    return { all: false, owners: owners(allowed) };
  }

  /**
   * Access to the applications of one entity, and the entity. A service
   * caller the router let in is allowed everything by the permission
   * framework.
   */
  async forEntity(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<{ access: ApplicationAccess; entity: Entity }> {
    const what = `entity ${entityRef}`;
    const policy = await this.#policy(credentials, what);
    if (!policy.all) {
      const [decision] = await this.#permissions.authorize(
        [
          {
            permission: argocdApplicationReadPermission,
            resourceRef: entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw refused(what);
      }
    }
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials: await this.#auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw policy.all
        ? new NotFoundError(`No entity ${entityRef}`)
        : refused(what);
    }
    return {
      access: policy.all ? policy : { all: false, owners: owners([entity]) },
      entity,
    };
  }

  /** The policy's decision without a resource: allow, deny, or "it depends". */
  async #policy(
    credentials: BackstageCredentials,
    what: string,
  ): Promise<{ all: true } | { all: false }> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission: argocdApplicationReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw refused(what);
    }
    return { all: decision.result === AuthorizeResult.ALLOW };
  }

  async #allowed(credentials: UserCredentials, entities: Entity[]) {
    if (entities.length === 0) {
      return [];
    }
    const decisions = await this.#permissions.authorize(
      entities.map(entity => ({
        permission: argocdApplicationReadPermission,
        resourceRef: stringifyEntityRef(entity),
      })),
      { credentials },
    );
    return entities.filter(
      (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
  }
}
