import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { ChangeRequestState } from '@internal/plugin-gitops-common';

const useStyles = makeStyles(theme => ({
  open: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  merged: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  closed: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.common.white,
  },
}));

/** Where a change request stands at the forge: open, merged or closed. */
export function StateChip(props: { state: ChangeRequestState }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.state}
      className={classes[props.state]}
      style={{ margin: 0 }}
    />
  );
}
