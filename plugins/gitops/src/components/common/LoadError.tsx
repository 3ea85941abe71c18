import { ResponseErrorPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Typography from '@material-ui/core/Typography';

/**
 * Why something could not be loaded. A refusal by the permission policy
 * (403) is an answer, said in the backend's own words; anything else is
 * an error, in full on a page or on one line in a card.
 */
export function LoadError(props: { error: Error; compact?: boolean }) {
  const { error, compact } = props;
  if (error instanceof ResponseError && error.statusCode === 403) {
    return (
      <Typography variant="body2" color="textSecondary">
        {error.cause.message}
      </Typography>
    );
  }
  if (compact) {
    return (
      <Typography variant="body2" color="error">
        {error instanceof ResponseError ? error.cause.message : error.message}
      </Typography>
    );
  }
  return <ResponseErrorPanel error={error} />;
}
