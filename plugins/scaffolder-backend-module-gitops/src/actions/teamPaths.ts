import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { teamOfPath } from '@internal/plugin-gitops-common';

/**
 * The team name of the `team` input, a group entity ref such as
 * `group:default/team-payments`.
 */
export function teamNameOf(team: string): string {
  let ref;
  try {
    ref = parseEntityRef(team);
  } catch {
    ref = undefined;
  }
  if (!ref || ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(
      `team "${team}" is not a group entity ref such as group:default/team-payments`,
    );
  }
  return ref.name;
}

/**
 * Refuses a change that touches paths outside the team's own folders
 * (`teams/<team>`, `services/<team>`, `databases/<team>`): whatever the
 * template did, a change request is made for one team, and the permission
 * policy has already checked that the requester belongs to it.
 */
export function assertTeamOwnsPaths(team: string, paths: string[]): void {
  const foreign = paths.filter(p => teamOfPath(p) !== team);
  if (foreign.length > 0) {
    throw new NotAllowedError(
      `A change request of team ${team} may only change the team's own folders (teams/${team}, services/${team}, databases/${team}); this one also changes ${foreign.join(
        ', ',
      )}`,
    );
  }
}
