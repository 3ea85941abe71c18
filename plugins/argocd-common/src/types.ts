/**
 * Sync and health of one Argo CD application of an entity, as
 * `GET /api/argocd/entity-status` answers it.
 *
 * @public
 */
export interface ApplicationStatus {
  /** The Argo CD instance the application lives in. */
  instance: string;
  /** The Application's name. */
  name: string;
  /**
   * The environment, from the `portal.platform/env` label or else the last
   * part of a `<team>.<service>.<env>` name; undefined when neither says.
   */
  environment?: string;
  /** Argo CD's sync status: Synced, OutOfSync or Unknown. */
  syncStatus: string;
  /** Argo CD's health status: Healthy, Progressing, Degraded, Suspended, Missing or Unknown. */
  healthStatus: string;
  /** The revision the application is synced to, if Argo CD reports one. */
  revision?: string;
  /** When the last sync operation finished, or started if still running (ISO 8601). */
  lastOperationAt?: string;
}

/**
 * The answer of `GET /api/argocd/entity-status?entityRef=...`.
 *
 * @public
 */
export interface EntityStatusResponse {
  entityRef: string;
  applications: ApplicationStatus[];
}
