import { ChangeRequestState } from '@internal/plugin-gitops-common';
import { useSearchParams } from 'react-router-dom';
import { ChangeRequestScope } from '../../api';

const SCOPES: ChangeRequestScope[] = ['mine', 'team', 'all'];
const STATES: ChangeRequestState[] = ['open', 'merged', 'closed'];

/** What the Changes page lists, kept in its address so it can be linked. */
export interface ListParams {
  scope: ChangeRequestScope;
  state?: ChangeRequestState;
  entityRef?: string;
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [25, 50, 100];

function oneOf<T extends string>(value: string | null, allowed: T[]) {
  return allowed.find(a => a === value);
}

/**
 * The list parameters from the query string (`scope`, `state`,
 * `entityRef`, `page`, `pageSize`); anything else there is ignored, and
 * the backend checks them again.
 */
export function useListParams(): [
  ListParams,
  (p: Partial<ListParams>) => void,
] {
  const [search, setSearch] = useSearchParams();
  const entityRef = search.get('entityRef') ?? undefined;
  const page = Number(search.get('page'));
  const pageSize = Number(search.get('pageSize'));
  const params: ListParams = {
    scope: oneOf(search.get('scope'), SCOPES) ?? (entityRef ? 'all' : 'mine'),
    state: oneOf(search.get('state'), STATES),
    entityRef,
    page: Number.isInteger(page) && page > 0 ? page : 0,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : PAGE_SIZES[0],
  };
  /** A change of anything but the page starts again at the first page. */
  const update = (change: Partial<ListParams>) => {
    const next = { ...params, page: 0, ...change };
    const query: Record<string, string> = { scope: next.scope };
    if (next.state) query.state = next.state;
    if (next.entityRef) query.entityRef = next.entityRef;
    if (next.page > 0) query.page = String(next.page);
    if (next.pageSize !== PAGE_SIZES[0]) {
      query.pageSize = String(next.pageSize);
    }
    setSearch(query);
  };
  return [params, update];
}
