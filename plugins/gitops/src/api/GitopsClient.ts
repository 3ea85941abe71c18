import { ResponseError } from '@backstage/errors';
import {
  ChangeRequest,
  ChangeRequestFile,
  ChangeRequestList,
  EntityGitopsSummary,
} from '@internal/plugin-gitops-common';
import { BackendDeps, fetchJson, queryString } from './fetchJson';
import { ChangeRequestQuery, GitopsApi } from './GitopsApi';

/** {@link GitopsApi} over HTTP, as the signed-in user. */
export class GitopsClient implements GitopsApi {
  constructor(private readonly deps: BackendDeps) {}

  listChangeRequests(query: ChangeRequestQuery): Promise<ChangeRequestList> {
    const { scope, state, entityRef, limit, offset } = query;
    return this.get(
      `/change-requests${queryString({
        scope,
        state,
        entityRef,
        limit,
        offset,
      })}`,
    );
  }

  getChangeRequest(id: string): Promise<ChangeRequest> {
    return this.get(`/change-requests/${encodeURIComponent(id)}`);
  }

  getChangeRequestFiles(id: string): Promise<ChangeRequestFile[]> {
    return this.get(`/change-requests/${encodeURIComponent(id)}/files`);
  }

  async getEntitySummary(
    entityRef: string,
  ): Promise<EntityGitopsSummary | undefined> {
    try {
      return await this.get(`/entity-summary${queryString({ entityRef })}`);
    } catch (error) {
      if (error instanceof ResponseError && error.statusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }

  private get<T>(path: string): Promise<T> {
    return fetchJson<T>(this.deps, 'gitops', path);
  }
}
