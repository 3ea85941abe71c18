import {
  AuditorService,
  BackstageUserInfo,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { RoleBinding } from './policyFile';
import { DecisionRecorder, PolicyTelemetry } from './policyTelemetry';
import { Grant, ROLES, RoleGrants, RoleName } from './roles';

/** The binding that decided, for audit events and explanations. */
export interface DecidedBy {
  role: RoleName;
  /** The group of the binding, as written in the policy file. */
  group: string;
}

/** A decision together with why it was taken. */
export interface Evaluation {
  decision: PolicyDecision;
  decidedBy: DecidedBy | null;
  reason: string;
}

/** Options of {@link PortalPolicy}. */
export interface PortalPolicyOptions {
  bindings: RoleBinding[];
  auditor: AuditorService;
  /** Replaces the portal's roles; meant for tests of the role union. */
  roles?: RoleGrants;
  /** Metrics and a span per decision; none without it. */
  telemetry?: PolicyTelemetry;
}

const deny = (reason: string): Evaluation => ({
  decision: { result: AuthorizeResult.DENY },
  decidedBy: null,
  reason,
});

/**
 * Role-based and default-deny: a user gets the union of the roles bound to
 * the groups in their ownership references, as the permission backend
 * resolved them for the request. Permissions no role grants, including
 * ones this policy has never heard of, and requests without a user are
 * denied. Every decision is written to the audit log.
 */
export class PortalPolicy implements PermissionPolicy {
  /**
   * In file order, which decides when several bindings grant. Replaced as a
   * whole when the policy file changes, so a decision sees either the old
   * bindings or the new ones, never a mix.
   */
  #bindings: ReadonlyArray<{ ref: string; decidedBy: DecidedBy }>;
  readonly #roles: RoleGrants;
  readonly #knownPermissions: ReadonlySet<string>;
  readonly #auditor: AuditorService;
  readonly #telemetry?: PolicyTelemetry;

  constructor(options: PortalPolicyOptions) {
    this.#roles = options.roles ?? ROLES;
    this.#auditor = options.auditor;
    this.#telemetry = options.telemetry;
    this.#knownPermissions = new Set(
      [...this.#roles.values()].flatMap(grants => [...grants.keys()]),
    );
    this.#bindings = indexBindings(options.bindings);
  }

  /** Decides with these bindings from now on (a reloaded policy file). */
  setBindings(bindings: RoleBinding[]): void {
    this.#bindings = indexBindings(bindings);
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!this.#telemetry) return this.#decide(request, user);
    return this.#telemetry.decide(
      request.permission.name,
      user?.credentials,
      recorder => this.#decide(request, user, recorder),
    );
  }

  async #decide(
    request: PolicyQuery,
    user?: PolicyQueryUser,
    recorder?: DecisionRecorder,
  ): Promise<PolicyDecision> {
    const started = performance.now();
    const { permission } = request;
    // The permission backend resolved the user's ownership references once
    // for this request (from the auth backend, cached per token for a few
    // seconds); deciding on exactly those keeps one source per request and
    // adds no cache of ours that could outlive a membership change.
    const info = user?.info;
    let evaluation = this.evaluate(permission.name, info);
    const { decision } = evaluation;
    // The permission backend fails the whole batch on a conditional answer
    // to a basic permission, so a mislabelled request is denied on its own.
    if (
      decision.result === AuthorizeResult.CONDITIONAL &&
      !isResourcePermission(permission, decision.resourceType)
    ) {
      evaluation = deny(
        `${permission.name} is granted only on ${decision.resourceType} resources, but the request is not for one`,
      );
    }
    const evaluationMs = performance.now() - started;
    recorder?.record(evaluation, evaluationMs);

    const event = await this.#auditor.createEvent({
      eventId: 'policy-decision',
      // "medium" is logged at info level by default, so no decision is lost.
      severityLevel: 'medium',
      meta: {
        user: info?.userEntityRef ?? null,
        permission: permission.name,
        resourceType: isResourcePermission(permission)
          ? permission.resourceType
          : null,
      },
    });
    await event.success({
      meta: {
        result: evaluation.decision.result,
        role: evaluation.decidedBy?.role ?? null,
        group: evaluation.decidedBy?.group ?? null,
        reason: evaluation.reason,
        evaluationMs: Math.round(evaluationMs * 1000) / 1000,
      },
    });
    return evaluation.decision;
  }

  /**
   * Decides on a permission name for a user without auditing; `handle`
   * audits, and the explain endpoint asks about other users with it.
   */
  evaluate(permissionName: string, user?: BackstageUserInfo): Evaluation {
    if (!user) {
      return deny('the request has no signed-in user');
    }
    const bindings = this.#bindingsOf(user);
    if (bindings.length === 0) {
      return deny(`${user.userEntityRef} is in no group bound to a role`);
    }

    const conditional: Array<{
      binding: DecidedBy;
      grant: Extract<Grant, { kind: 'conditional' }>;
    }> = [];
    for (const binding of bindings) {
      const grant = this.#roles.get(binding.role)?.get(permissionName);
      if (grant?.kind === 'allow') {
        return {
          decision: { result: AuthorizeResult.ALLOW },
          decidedBy: binding,
          reason: `role ${binding.role} (bound to ${binding.group}) grants ${permissionName}`,
        };
      }
      if (grant && !conditional.some(c => c.grant === grant)) {
        conditional.push({ binding, grant });
      }
    }

    if (conditional.length > 0) {
      const [first] = conditional;
      return {
        decision: union(conditional.map(c => c.grant.decide(user))),
        decidedBy: first.binding,
        reason: conditional
          .map(
            c =>
              `role ${c.binding.role} (bound to ${c.binding.group}) grants ${permissionName} on ${c.grant.scope}`,
          )
          .join('; '),
      };
    }

    if (!this.#knownPermissions.has(permissionName)) {
      return deny(
        `${permissionName} is not a permission this policy knows, so it is denied`,
      );
    }
    const roles = [...new Set(bindings.map(b => b.role))].join(', ');
    return deny(`none of the user's roles (${roles}) grants ${permissionName}`);
  }

  #bindingsOf(user: BackstageUserInfo): DecidedBy[] {
    const refs = new Set(user.ownershipEntityRefs.map(normalizeRef));
    return this.#bindings
      .filter(binding => refs.has(binding.ref))
      .map(binding => binding.decidedBy);
  }
}

function indexBindings(
  bindings: RoleBinding[],
): ReadonlyArray<{ ref: string; decidedBy: DecidedBy }> {
  return bindings.flatMap(({ role, groups }) =>
    groups.map(group => ({
      ref: normalizeRef(group),
      decidedBy: { role, group },
    })),
  );
}

/** Entity refs compare case-insensitively. */
function normalizeRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/** Roles add up: an entity passes if any role's conditions let it through. */
function union([
  first,
  ...rest
]: ConditionalPolicyDecision[]): ConditionalPolicyDecision {
  if (rest.length === 0) {
    return first;
  }
  return {
    ...first,
    conditions: {
      anyOf: [first.conditions, ...rest.map(d => d.conditions)],
    },
  };
}
