import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ChangeRequest } from '@internal/plugin-gitops-common';
import { ReactNode } from 'react';
import { taskRouteRef } from '../../routes';
import { Age } from '../common/Age';
import { forgeLabel } from '../common/ChangeRequestLink';
import { ChecksStatus } from '../common/ChecksStatus';
import { ForgeLink } from '../common/ForgeLink';
import { StateChip } from '../common/StateChip';
import { formatTime } from '../common/time';

function Field(props: { label: string; children: ReactNode }) {
  return (
    <Grid item xs={12} sm={6} md={4}>
      <Typography variant="overline" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Grid>
  );
}

function Time(props: { time: string }) {
  return (
    <>
      {formatTime(props.time)} (<Age time={props.time} />)
    </>
  );
}

const mono = { fontFamily: 'monospace' };

/** Who asked for a change, for whom, with which template, and where it is. */
export function ChangeMetadata(props: { request: ChangeRequest }) {
  const { request } = props;
  const taskLink = useRouteRef(taskRouteRef);
  return (
    <InfoCard title={request.title}>
      <Grid container spacing={2}>
        <Field label="State">
          <StateChip state={request.state} />
        </Field>
        <Field label="Checks">
          <ChecksStatus checks={request.checks} />
        </Field>
        <Field label="At the forge">
          <ForgeLink
            url={request.forgeUrl}
            fallback="The Git server has no web pages: the diff below is the change."
          >
            {request.number === undefined
              ? 'open at the forge'
              : forgeLabel(request)}
          </ForgeLink>
        </Field>
        <Field label="Template">
          <EntityRefLink entityRef={request.template} defaultKind="template" />
        </Field>
        <Field label="Requested by">
          <EntityRefLink entityRef={request.requester} defaultKind="user" />
        </Field>
        <Field label="Team">
          <EntityRefLink entityRef={request.team} defaultKind="group" />
        </Field>
        <Field label="Branch">
          <span style={mono}>{request.branch}</span>
        </Field>
        <Field label="Commits">
          <span style={mono}>
            {request.baseCommit.slice(0, 10)}…{request.headCommit.slice(0, 10)}
          </span>
        </Field>
        {request.taskId && taskLink && (
          <Field label="Scaffolder task">
            <Link to={taskLink({ taskId: request.taskId })}>
              log of the run
            </Link>
          </Field>
        )}
        <Field label="Created">
          <Time time={request.createdAt} />
        </Field>
        <Field label="Updated">
          <Time time={request.updatedAt} />
        </Field>
        {request.closedAt && (
          <Field label={request.state === 'merged' ? 'Merged' : 'Closed'}>
            <Time time={request.closedAt} />
          </Field>
        )}
        <Field label="Folders">
          {request.folders.map(folder => (
            <div key={folder} style={mono}>
              {folder}
            </div>
          ))}
        </Field>
      </Grid>
    </InfoCard>
  );
}
