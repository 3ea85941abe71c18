import { Progress } from '@backstage/core-components';
import type { ReactElement } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { ApplicationStatus } from '@internal/plugin-argocd-common';
import useAsync from 'react-use/esm/useAsync';
import { ArgoCdEntityStatus, argoCdStatusApiRef } from '../../api';
import { Age } from './Age';
import { environmentRows, healthTone, syncTone } from './argoCdStatus';
import { StatusText } from './StatusText';

/** One status request for the entity; failures come back as answers. */
export function useArgoCdStatus(entityRef: string) {
  const api = useApi(argoCdStatusApiRef);
  return useAsync(() => api.getEntityStatus(entityRef), [api, entityRef]);
}

/** What to say instead of a status, if anything. */
function statusNotice(status: ArgoCdEntityStatus): string | undefined {
  switch (status.kind) {
    case 'not-configured':
      return 'Argo CD is not configured';
    case 'unavailable':
      return `Argo CD unavailable: ${status.message}`;
    case 'forbidden':
      return 'You may not read the Argo CD status of this entity';
    default:
      return status.applications.length === 0
        ? 'No Argo CD application for this entity'
        : undefined;
  }
}

function ApplicationRow(props: { label: string; app: ApplicationStatus }) {
  const { label, app } = props;
  return (
    <TableRow>
      <TableCell>
        <Tooltip title={`${app.name} (${app.instance})`}>
          <span>{label}</span>
        </Tooltip>
      </TableCell>
      <TableCell>
        <StatusText tone={syncTone(app.syncStatus)}>
          {app.syncStatus}
          {app.revision ? ` to ${app.revision.slice(0, 7)}` : ''}
        </StatusText>
      </TableCell>
      <TableCell>
        <StatusText tone={healthTone(app.healthStatus)}>
          {app.healthStatus}
        </StatusText>
      </TableCell>
      <TableCell>
        {app.lastOperationAt ? <Age time={app.lastOperationAt} /> : '–'}
      </TableCell>
    </TableRow>
  );
}

/**
 * Loads the entity's status once, and shows progress, the notice that
 * stands instead of a status, or what `children` makes of the applications.
 */
function WithApplications(props: {
  entityRef: string;
  notice: (text: string, status: ArgoCdEntityStatus) => ReactElement;
  children: (applications: ApplicationStatus[]) => ReactElement;
}) {
  const { value: status, loading } = useArgoCdStatus(props.entityRef);
  if (loading || !status) {
    return <Progress />;
  }
  const notice = statusNotice(status);
  if (notice !== undefined || status.kind !== 'ok') {
    return props.notice(notice ?? '', status);
  }
  return props.children(status.applications);
}

/** Sync and health per environment, as a table (the GitOps card). */
export function ArgoCdStatusTable(props: { entityRef: string }) {
  return (
    <WithApplications
      entityRef={props.entityRef}
      notice={(text, status) => (
        <Typography variant="body2" component="div">
          {status.kind === 'unavailable' ? (
            <StatusText tone="warning">{text}</StatusText>
          ) : (
            text
          )}
        </Typography>
      )}
    >
      {applications => <ApplicationsTable applications={applications} />}
    </WithApplications>
  );
}

function ApplicationsTable(props: { applications: ApplicationStatus[] }) {
  return (
    <Table size="small" aria-label="Argo CD status by environment">
      <TableHead>
        <TableRow>
          <TableCell>Environment</TableCell>
          <TableCell>Sync</TableCell>
          <TableCell>Health</TableCell>
          <TableCell>Last sync</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {environmentRows(props.applications).flatMap(row =>
          row.applications.length === 0
            ? [
                <TableRow key={row.label}>
                  <TableCell>{row.label}</TableCell>
                  <TableCell colSpan={3}>not deployed</TableCell>
                </TableRow>,
              ]
            : row.applications.map(app => (
                <ApplicationRow
                  key={`${app.instance}/${app.name}`}
                  label={row.label}
                  app={app}
                />
              )),
        )}
      </TableBody>
    </Table>
  );
}

/** Health per environment on one line (the home page's service list). */
export function ArgoCdStatusSummary(props: { entityRef: string }) {
  return (
    <WithApplications
      entityRef={props.entityRef}
      notice={text => (
        <Typography variant="body2" color="textSecondary" component="span">
          {text}
        </Typography>
      )}
    >
      {applications => <HealthLine applications={applications} />}
    </WithApplications>
  );
}

function HealthLine(props: { applications: ApplicationStatus[] }) {
  return (
    <span>
      {environmentRows(props.applications).map(row => {
        const app = row.applications[0];
        return (
          <Tooltip
            key={row.label}
            title={app ? `${app.syncStatus}, ${app.healthStatus}` : ''}
          >
            <span style={{ marginRight: 12 }}>
              {app ? (
                <StatusText tone={healthTone(app.healthStatus)}>
                  {row.label}
                </StatusText>
              ) : (
                <StatusText tone="unknown">{row.label}: –</StatusText>
              )}
            </span>
          </Tooltip>
        );
      })}
    </span>
  );
}
