import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { EntityGitopsSummary } from '@internal/plugin-gitops-common';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { ArgoCdStatusTable } from '../common/ArgoCdStatusView';
import { ChangeRequestList } from '../common/ChangeRequestList';
import { ForgeLink } from '../common/ForgeLink';
import { LoadError } from '../common/LoadError';

function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box mb={2}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function Summary(props: { entityRef: string; summary: EntityGitopsSummary }) {
  const { entityRef, summary } = props;
  const changesLink = useRouteRef(rootRouteRef);
  const folder = (
    <span style={{ fontFamily: 'monospace' }}>{summary.folder}</span>
  );
  return (
    <>
      <Section title="Folder in the GitOps repository">
        <ForgeLink url={summary.folderUrl} fallback={folder}>
          {folder}
        </ForgeLink>
      </Section>
      <Section title="Open change requests">
        <ChangeRequestList
          requests={summary.openChangeRequests}
          empty="None open."
        />
        {changesLink && summary.openChangeRequests.length > 0 && (
          <Link
            to={`${changesLink()}?${new URLSearchParams({
              scope: 'all',
              state: 'open',
              entityRef,
            })}`}
          >
            All open change requests
          </Link>
        )}
      </Section>
      <Section title="Last merged">
        <ChangeRequestList
          requests={summary.lastMerged ? [summary.lastMerged] : []}
          empty="Nothing merged yet."
        />
      </Section>
    </>
  );
}

/**
 * The GitOps card of an entity: its folder, its open change requests (a
 * team's: across all its folders), its last merged change, and the Argo CD
 * status per environment. The two sources load and fail apart.
 */
export function EntityGitopsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(gitopsApiRef);
  const summary = useAsync(
    () => api.getEntitySummary(entityRef),
    [api, entityRef],
  );
  let body;
  if (summary.loading) {
    body = <Progress />;
  } else if (summary.error) {
    body = <LoadError error={summary.error} compact />;
  } else if (!summary.value) {
    body = <Typography>Not in the GitOps repository.</Typography>;
  } else {
    body = <Summary entityRef={entityRef} summary={summary.value} />;
  }
  return (
    <InfoCard title="GitOps">
      {body}
      {entity.kind.toLocaleLowerCase('en-US') !== 'group' && (
        <Section title="Argo CD">
          <ArgoCdStatusTable entityRef={entityRef} />
        </Section>
      )}
    </InfoCard>
  );
}
