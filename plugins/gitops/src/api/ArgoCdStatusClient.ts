import { ResponseError } from '@backstage/errors';
import type { EntityStatusResponse } from '@internal/plugin-argocd-common';
import { ArgoCdEntityStatus, ArgoCdStatusApi } from './ArgoCdStatusApi';
import { BackendDeps, fetchJson, queryString } from './fetchJson';

/**
 * {@link ArgoCdStatusApi} over the argocd plugin's per-entity status route:
 * one request per entity, whatever the number of environments.
 */
export class ArgoCdStatusClient implements ArgoCdStatusApi {
  constructor(private readonly deps: BackendDeps) {}

  async getEntityStatus(entityRef: string): Promise<ArgoCdEntityStatus> {
    try {
      const { applications } = await fetchJson<EntityStatusResponse>(
        this.deps,
        'argocd',
        `/entity-status${queryString({ entityRef })}`,
      );
      return { kind: 'ok', applications };
    } catch (error) {
      return statusOfFailure(error);
    }
  }
}

/**
 * The argocd plugin answers 503 ServiceUnavailableError where no Argo CD
 * instance is configured, 502/504 when Argo CD does not answer well, and
 * 403 when the policy keeps the entity's applications from the caller.
 * Anything else (the plugin missing, the network) is "unavailable" too.
 */
function statusOfFailure(error: unknown): ArgoCdEntityStatus {
  if (!(error instanceof ResponseError)) {
    return {
      kind: 'unavailable',
      message: `Argo CD status could not be fetched: ${String(
        (error as Error)?.message ?? error,
      )}`,
    };
  }
  if (
    error.statusCode === 503 &&
    error.cause.name === 'ServiceUnavailableError'
  ) {
    return { kind: 'not-configured' };
  }
  if (error.statusCode === 403) {
    return { kind: 'forbidden', message: error.cause.message };
  }
  return { kind: 'unavailable', message: error.cause.message };
}
