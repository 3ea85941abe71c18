import {
  Content,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import {
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { changeRouteRef, rootRouteRef } from '../../routes';
import { LoadError } from '../common/LoadError';
import { ChangeMetadata } from './ChangeMetadata';
import { FileDiff } from './FileDiff';

function Files(props: { id: string }) {
  const api = useApi(gitopsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getChangeRequestFiles(props.id),
    [api, props.id],
  );
  if (loading) return <Progress />;
  if (error) return <LoadError error={error} />;
  if (!value || value.length === 0) {
    return <Typography>The change request changes no file.</Typography>;
  }
  return (
    <>
      {value.map(file => (
        <FileDiff key={file.path} file={file} />
      ))}
    </>
  );
}

/**
 * One change request: what it is and where it stands, then every file it
 * wrote with its diff. The diff comes from the portal's backend, so the
 * page works the same without a forge web UI.
 */
export function ChangeView() {
  const { id } = useRouteRefParams(changeRouteRef);
  const api = useApi(gitopsApiRef);
  const changesLink = useRouteRef(rootRouteRef);
  const { value, loading, error } = useAsync(
    () => api.getChangeRequest(id),
    [api, id],
  );
  let body;
  if (loading) {
    body = <Progress />;
  } else if (error instanceof ResponseError && error.statusCode === 404) {
    body = (
      <WarningPanel
        severity="info"
        title="No such change request"
        message={`There is no change request ${id}, or you may not read it.`}
      />
    );
  } else if (error || !value) {
    body = <LoadError error={error ?? new Error('No answer')} />;
  } else {
    body = (
      <>
        <ChangeMetadata request={value} />
        <Box mt={3} mb={1}>
          <Typography variant="h6" component="h2">
            Files
          </Typography>
        </Box>
        <Files id={id} />
      </>
    );
  }
  return (
    <Content>
      {changesLink && (
        <Box mb={2}>
          <Link to={changesLink()}>← All changes</Link>
        </Box>
      )}
      {body}
    </Content>
  );
}
