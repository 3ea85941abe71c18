import {
  APPLICATION_ENV_LABEL,
  APPLICATION_TEAM_LABEL,
  ApplicationStatus,
} from '@internal/plugin-argocd-common';

/** The parts of an Argo CD Application (argoproj.io/v1alpha1) the portal reads. */
export interface ArgoCdApplication {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string };
    operationState?: { startedAt?: string; finishedAt?: string };
  };
}

/** Copy the value as it is (a string, number, list of strings or string map). */
type Shape = true | { [key: string]: Shape } | [Shape];

const SOURCE: Shape = {
  repoURL: true,
  path: true,
  targetRevision: true,
  chart: true,
};

/**
 * What Roadie's card reads of an Application, and nothing more: no Helm
 * values or parameters, plugin environment, resource list or operation
 * messages, which can carry what the page should not see.
 */
const CARD_SHAPE: Shape = {
  metadata: { name: true, namespace: true, labels: true },
  spec: {
    project: true,
    source: SOURCE,
    sources: [SOURCE],
    destination: { server: true, name: true, namespace: true },
  },
  status: {
    sync: { status: true, revision: true, revisions: true },
    health: { status: true },
    operationState: { phase: true, startedAt: true, finishedAt: true },
    history: [
      {
        id: true,
        revision: true,
        revisions: true,
        deployStartedAt: true,
        deployedAt: true,
        source: SOURCE,
        sources: [SOURCE],
      },
    ],
    conditions: [{ type: true, message: true, lastTransitionTime: true }],
    summary: { images: true },
  },
};

function project(value: unknown, shape: Shape): unknown {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (shape === true) {
    return value;
  }
  if (Array.isArray(shape)) {
    return Array.isArray(value)
      ? value.map(item => project(item, shape[0]))
      : undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(shape)) {
    const projected = project((value as Record<string, unknown>)[key], inner);
    if (projected !== undefined) {
      out[key] = projected;
    }
  }
  return out;
}

/** What the entity status answer needs, and the team label. */
const STATUS_SHAPE: Shape = {
  metadata: { name: true, labels: true },
  status: {
    sync: { status: true, revision: true, revisions: true },
    health: { status: true },
    operationState: { startedAt: true, finishedAt: true },
  },
};

/** An Application reduced to what the entity status needs, for caching. */
export function statusFields(app: ArgoCdApplication): ArgoCdApplication {
  return project(app, STATUS_SHAPE) as ArgoCdApplication;
}

/** An Application in Argo CD's shape, reduced to what the card shows. */
export function cardApplication(app: ArgoCdApplication): unknown {
  return project(app, CARD_SHAPE);
}

/** The team the Application belongs to, from the label its ApplicationSet sets. */
export function applicationTeam(app: ArgoCdApplication): string | undefined {
  return app.metadata.labels?.[APPLICATION_TEAM_LABEL];
}

/**
 * The environment: the env label, or else the last part of a
 * `<team>.<service>.<env>` name as the ApplicationSets name Applications.
 */
export function applicationEnvironment(
  app: ArgoCdApplication,
): string | undefined {
  const label = app.metadata.labels?.[APPLICATION_ENV_LABEL];
  if (label) {
    return label;
  }
  const parts = app.metadata.name.split('.');
  return parts.length === 3 ? parts[2] : undefined;
}

/** One line of the entity status answer. */
export function applicationStatus(
  instance: string,
  app: ArgoCdApplication,
): ApplicationStatus {
  const { sync, health, operationState } = app.status ?? {};
  return {
    instance,
    name: app.metadata.name,
    environment: applicationEnvironment(app),
    syncStatus: sync?.status ?? 'Unknown',
    healthStatus: health?.status ?? 'Unknown',
    revision: sync?.revision ?? sync?.revisions?.[0],
    lastOperationAt: operationState?.finishedAt ?? operationState?.startedAt,
  };
}
