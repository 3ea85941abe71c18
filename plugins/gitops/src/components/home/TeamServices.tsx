import { Progress } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { LoadError } from '../common/LoadError';
import { ArgoCdStatusSummary } from '../common/ArgoCdStatusView';

/** One Argo CD status request per service shown, so the list is bounded. */
const SHOWN = 20;

/**
 * Home page widget: the services my groups own, from the catalog, each
 * with its Argo CD health per environment.
 */
export function TeamServices() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    const groups = ownershipEntityRefs.filter(ref => ref.startsWith('group:'));
    if (groups.length === 0) {
      return { groups, services: [], total: 0 };
    }
    const { items, totalItems } = await catalogApi.queryEntities({
      filter: {
        kind: 'Component',
        'spec.type': 'service',
        'relations.ownedBy': groups,
      },
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title'],
      orderFields: { field: 'metadata.name', order: 'asc' },
      limit: SHOWN,
    });
    return { groups, services: items, total: totalItems };
  }, [identityApi, catalogApi]);
  if (loading) return <Progress />;
  if (error) return <LoadError error={error} compact />;
  if (!value || value.groups.length === 0) {
    return <Typography variant="body2">You are in no team yet.</Typography>;
  }
  if (value.services.length === 0) {
    return (
      <Typography variant="body2">
        Your teams own no service yet: deploy one with a golden path.
      </Typography>
    );
  }
  return (
    <>
      <List disablePadding>
        {value.services.map(service => {
          const ref = stringifyEntityRef(service);
          return (
            <ListItem key={ref} disableGutters>
              <ListItemText
                primary={<EntityRefLink entityRef={service} hideIcon />}
                secondary={<ArgoCdStatusSummary entityRef={ref} />}
                secondaryTypographyProps={{ component: 'div' }}
              />
            </ListItem>
          );
        })}
      </List>
      {value.total > SHOWN && (
        <Typography variant="body2" color="textSecondary">
          and {value.total - SHOWN} more in the catalog
        </Typography>
      )}
    </>
  );
}
