import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import Tab from '@material-ui/core/Tab';
import TablePagination from '@material-ui/core/TablePagination';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import { ChangeRequestState } from '@internal/plugin-gitops-common';
import useAsync from 'react-use/esm/useAsync';
import { ChangeRequestScope, gitopsApiRef } from '../../api';
import { LoadError } from '../common/LoadError';
import { ChangeRequestTable } from './ChangeRequestTable';
import { ListParams, PAGE_SIZES, useListParams } from './useListParams';

const SCOPE_TABS: Array<{ scope: ChangeRequestScope; label: string }> = [
  { scope: 'mine', label: 'Mine' },
  { scope: 'team', label: 'My teams' },
  { scope: 'all', label: 'All I may read' },
];

const EMPTY: Record<ChangeRequestScope, string> = {
  mine: 'You have not asked for a change yet: the golden paths open change requests in the GitOps repository.',
  team: 'No change requests for your teams.',
  all: 'No change requests that you may read.',
};

/** Whose requests (tabs), the entity they are filtered to, and the state. */
function ChangesFilters(props: {
  params: ListParams;
  update: (p: Partial<ListParams>) => void;
}) {
  const { params, update } = props;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" mb={2}>
      <Tabs
        value={params.scope}
        onChange={(_, next) => update({ scope: next })}
        indicatorColor="primary"
        aria-label="Whose change requests"
      >
        {SCOPE_TABS.map(tab => (
          <Tab key={tab.scope} value={tab.scope} label={tab.label} />
        ))}
      </Tabs>
      <Box flexGrow={1} />
      {params.entityRef && (
        <Chip
          label={<EntityRefLink entityRef={params.entityRef} hideIcon />}
          onDelete={() => update({ entityRef: undefined })}
          style={{ marginRight: 16 }}
        />
      )}
      <TextField
        select
        label="State"
        variant="outlined"
        size="small"
        value={params.state ?? 'any'}
        onChange={e =>
          update({
            state:
              e.target.value === 'any'
                ? undefined
                : (e.target.value as ChangeRequestState),
          })
        }
        style={{ minWidth: 140 }}
      >
        <MenuItem value="any">Any state</MenuItem>
        <MenuItem value="open">Open</MenuItem>
        <MenuItem value="merged">Merged</MenuItem>
        <MenuItem value="closed">Closed</MenuItem>
      </TextField>
    </Box>
  );
}

/**
 * The Changes page: my change requests, my teams', or all I may read,
 * by state, page by page. The backend applies the permission policy;
 * the tabs only choose among what it lets through.
 */
export function ChangesPage() {
  const api = useApi(gitopsApiRef);
  const [params, update] = useListParams();
  const { scope, state, entityRef, page, pageSize } = params;
  const { value, loading, error } = useAsync(
    () =>
      api.listChangeRequests({
        scope,
        state,
        entityRef,
        limit: pageSize,
        offset: page * pageSize,
      }),
    [api, scope, state, entityRef, page, pageSize],
  );

  return (
    <Content>
      <ChangesFilters params={params} update={update} />
      {error ? (
        <LoadError error={error} />
      ) : (
        <>
          <ChangeRequestTable
            title={`${value?.totalCount ?? ''} change requests`.trim()}
            items={value?.items ?? []}
            loading={loading}
            emptyContent={<Box p={2}>{EMPTY[scope]}</Box>}
          />
          {(value?.totalCount ?? 0) > PAGE_SIZES[0] && (
            <TablePagination
              component="div"
              count={value?.totalCount ?? 0}
              page={page}
              rowsPerPage={pageSize}
              rowsPerPageOptions={PAGE_SIZES}
              onPageChange={(_, next) => update({ page: next })}
              onRowsPerPageChange={e =>
                update({ pageSize: Number(e.target.value) })
              }
            />
          )}
        </>
      )}
    </Content>
  );
}
