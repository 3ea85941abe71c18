import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { ChangeRequest } from '@internal/plugin-gitops-common';
import { Age } from './Age';
import { ChangeRequestLink } from './ChangeRequestLink';
import { ChecksStatus } from './ChecksStatus';
import { StateChip } from './StateChip';

/** Change requests in a card: title, state, checks and age. */
export function ChangeRequestList(props: {
  requests: ChangeRequest[];
  empty: string;
}) {
  if (props.requests.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.empty}
      </Typography>
    );
  }
  return (
    <List disablePadding>
      {props.requests.map(request => (
        <ListItem key={request.id} disableGutters>
          <ListItemText
            primary={<ChangeRequestLink request={request} />}
            secondary={
              <>
                <StateChip state={request.state} />{' '}
                {request.checks && (
                  <>
                    checks <ChecksStatus checks={request.checks} /> ·{' '}
                  </>
                )}
                <Age time={request.closedAt ?? request.updatedAt} />
              </>
            }
            secondaryTypographyProps={{ component: 'div' }}
          />
        </ListItem>
      ))}
    </List>
  );
}
