import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  EntityStatusResponse,
} from '@internal/plugin-argocd-common';
import { ApplicationAccess, mayRead, refused } from './access';
import {
  ArgoCdApplication,
  applicationStatus,
  cardApplication,
  statusFields,
} from './applicationShape';
import {
  ApplicationQuery,
  ArgoCdClient,
  RevisionMetadata,
} from './ArgoCdClient';
import { ArgoCdSettings } from './config';
import { ArgoCdRequestMetrics } from './requestMetrics';
import { TtlCache } from './TtlCache';

/** Where an application lives, as Roadie's `find` routes answer. */
export interface ApplicationLocation {
  name: string;
  url: string;
  appName: string[];
}

/**
 * The read-only Argo CD views: the answers of Roadie's card routes and the
 * per-entity status, each limited to what the caller's access lets through.
 */
export class ArgoCdService {
  readonly #clients: ArgoCdClient[];
  readonly #statusCache: TtlCache<ArgoCdApplication[]>;

  /** Undefined where Argo CD is not configured. */
  static fromSettings(
    settings: ArgoCdSettings,
    logger: LoggerService,
    metrics?: ArgoCdRequestMetrics,
  ): ArgoCdService | undefined {
    if (settings.instances.length === 0) {
      return undefined;
    }
    const clients = settings.instances.map(
      instance =>
        new ArgoCdClient(instance, settings.requestTimeoutMs, logger, metrics),
    );
    return new ArgoCdService(clients, settings.statusCacheTtlMs);
  }

  constructor(clients: ArgoCdClient[], statusCacheTtlMs: number) {
    this.#clients = clients;
    this.#statusCache = new TtlCache(statusCacheTtlMs);
  }

  /** The instances that have an application of that name. */
  async findByName(
    access: ApplicationAccess,
    app: string,
  ): Promise<ApplicationLocation[]> {
    const found = await Promise.all(
      this.#clients.map(async client => ({
        client,
        app: await client.getApplication(app),
      })),
    );
    const present = found.filter(f => f.app);
    if (present.some(f => !mayRead(access, f.app!))) {
      throw refused(`application "${app}"`);
    }
    return present.map(({ client }) => location(client, [app]));
  }

  /** The instances with applications the selector matches that access lets through. */
  async findBySelector(
    access: ApplicationAccess,
    selector: string,
  ): Promise<ApplicationLocation[]> {
    const lists = await Promise.all(
      this.#clients.map(async client => ({
        client,
        apps: (
          await client.listApplications({ selector })
        ).filter(a => mayRead(access, a)),
      })),
    );
    return lists
      .filter(({ apps }) => apps.length > 0)
      .map(({ client, apps }) =>
        location(
          client,
          apps.map(a => a.metadata.name),
        ),
      );
  }

  async getApplication(
    access: ApplicationAccess,
    instance: string,
    name: string,
  ): Promise<unknown> {
    return cardApplication(await this.#readable(access, instance, name));
  }

  async listBySelector(
    access: ApplicationAccess,
    instance: string,
    selector: string,
  ): Promise<{ items: unknown[] }> {
    const apps = await this.#client(instance).listApplications({ selector });
    return {
      items: apps.filter(a => mayRead(access, a)).map(cardApplication),
    };
  }

  async getRevisionMetadata(
    access: ApplicationAccess,
    instance: string,
    name: string,
    revision: string,
  ): Promise<RevisionMetadata> {
    if (!access.all) {
      // The team label decides, so the application is read first.
      await this.#readable(access, instance, name);
    }
    const metadata = await this.#client(instance).getRevisionMetadata(
      name,
      revision,
    );
    if (!metadata) {
      throw new NotFoundError(
        `Argo CD instance "${instance}" knows no revision "${revision}" of application "${name}"`,
      );
    }
    const { author, date, message, tags } = metadata;
    return { author, date, message, tags };
  }

  /**
   * Every application of the entity on every instance, from one list call
   * per instance (by the selector annotation if there is one, else by the
   * name annotation), reused for the cache's time to live.
   */
  async entityStatus(
    access: ApplicationAccess,
    entity: Entity,
  ): Promise<EntityStatusResponse> {
    const query = statusQuery(entity);
    const lists = query
      ? await Promise.all(
          this.#clients.map(async client => {
            const apps = await this.#statusCache.get(
              JSON.stringify([client.name, query]),
              async () =>
                (await client.listApplications(query)).map(statusFields),
            );
            return apps
              .filter(app => mayRead(access, app))
              .map(app => applicationStatus(client.name, app));
          }),
        )
      : [];
    return {
      entityRef: stringifyEntityRef(entity),
      applications: lists.flat(),
    };
  }

  async #readable(
    access: ApplicationAccess,
    instance: string,
    name: string,
  ): Promise<ArgoCdApplication> {
    const app = await this.#client(instance).getApplication(name);
    if (!app) {
      throw new NotFoundError(
        `Argo CD instance "${instance}" has no application "${name}"`,
      );
    }
    if (!mayRead(access, app)) {
      throw refused(`application "${name}"`);
    }
    return app;
  }

  #client(instance: string): ArgoCdClient {
    const client = this.#clients.find(c => c.name === instance);
    if (!client) {
      throw new NotFoundError(`No Argo CD instance is named "${instance}"`);
    }
    return client;
  }
}

/** The selector annotation names all of an entity's applications, so it wins. */
function statusQuery(entity: Entity): ApplicationQuery | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const selector = annotations[ARGOCD_APP_SELECTOR_ANNOTATION];
  if (selector) {
    return { selector };
  }
  const name = annotations[ARGOCD_APP_NAME_ANNOTATION];
  return name ? { name } : undefined;
}

function location(
  client: ArgoCdClient,
  appName: string[],
): ApplicationLocation {
  return { name: client.name, url: client.frontendUrl, appName };
}
