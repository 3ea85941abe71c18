import { Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { DEFAULT_NAMESPACE, Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { LoadError } from '../common/LoadError';
import { templateRouteRef } from '../../routes';

const title = (t: Entity) => t.metadata.title ?? t.metadata.name;

/** Home page widget: the golden paths I may run, each opening its form. */
export function GoldenPaths() {
  const catalogApi = useApi(catalogApiRef);
  const templateLink = useRouteRef(templateRouteRef);
  const { value, loading, error } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Template' },
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.title',
        'metadata.description',
      ],
    });
    return items.sort((a, b) => title(a).localeCompare(title(b)));
  }, [catalogApi]);
  if (loading) return <Progress />;
  if (error) return <LoadError error={error} compact />;
  if (!value || value.length === 0) {
    return <Typography variant="body2">No golden path for you yet.</Typography>;
  }
  return (
    <List disablePadding>
      {value.map(template => {
        const namespace = template.metadata.namespace ?? DEFAULT_NAMESPACE;
        const name = template.metadata.name;
        return (
          <ListItem key={`${namespace}/${name}`} disableGutters>
            <ListItemText
              primary={
                templateLink ? (
                  <Link to={templateLink({ namespace, templateName: name })}>
                    {title(template)}
                  </Link>
                ) : (
                  title(template)
                )
              }
              secondary={template.metadata.description}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
