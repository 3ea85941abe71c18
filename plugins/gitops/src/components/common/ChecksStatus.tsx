import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ChangeRequestChecks } from '@internal/plugin-gitops-common';

/** The combined result of a change request's checks, if it has any. */
export function ChecksStatus(props: { checks?: ChangeRequestChecks }) {
  switch (props.checks) {
    case 'success':
      return <StatusOK>passed</StatusOK>;
    case 'failure':
      return <StatusError>failed</StatusError>;
    case 'pending':
      return <StatusPending>running</StatusPending>;
    default:
      return (
        <Typography variant="body2" color="textSecondary" component="span">
          not reported
        </Typography>
      );
  }
}
