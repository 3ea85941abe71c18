import Tooltip from '@material-ui/core/Tooltip';
import { formatAge, formatTime } from './time';

/** "3 hours ago", with the exact time on hover. */
export function Age(props: { time: string }) {
  return (
    <Tooltip title={formatTime(props.time)}>
      <time dateTime={props.time}>{formatAge(props.time)}</time>
    </Tooltip>
  );
}
