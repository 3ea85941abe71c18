import { Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { LoadError } from '../common/LoadError';
import { gitopsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { ChangeRequestList } from '../common/ChangeRequestList';

const SHOWN = 10;

/** Home page widget: the change requests I asked for that are still open. */
export function MyOpenChanges() {
  const api = useApi(gitopsApiRef);
  const changesLink = useRouteRef(rootRouteRef);
  const { value, loading, error } = useAsync(
    () =>
      api.listChangeRequests({ scope: 'mine', state: 'open', limit: SHOWN }),
    [api],
  );
  if (loading) return <Progress />;
  if (error) return <LoadError error={error} compact />;
  return (
    <>
      <ChangeRequestList
        requests={value?.items ?? []}
        empty="None open. The golden paths below open change requests."
      />
      {changesLink && (
        <Link to={`${changesLink()}?scope=mine&state=open`}>
          {value && value.totalCount > SHOWN
            ? `All ${value.totalCount} open`
            : 'All my change requests'}
        </Link>
      )}
    </>
  );
}
