import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { ChangeRequest } from '@internal/plugin-gitops-common';
import { changeRouteRef } from '../../routes';

/** The title of a change request, leading to its page in the portal. */
export function ChangeRequestLink(props: { request: ChangeRequest }) {
  const changeLink = useRouteRef(changeRouteRef);
  const { id, title } = props.request;
  return changeLink ? (
    <Link to={changeLink({ id })}>{title}</Link>
  ) : (
    <>{title}</>
  );
}

/** "#12" or "!12" for a pull or merge request, else the branch. */
export function forgeLabel(request: ChangeRequest): string {
  if (request.number === undefined) {
    return request.branch;
  }
  return request.provider === 'gitlab'
    ? `!${request.number}`
    : `#${request.number}`;
}
