import {
  BackstageUserInfo,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import path from 'node:path';
import { repoRoot } from '@internal/test-harness';
import { percentile } from '../figures';

/** The policy file the portal ships. */
export const POLICY_FILE = path.join(repoRoot, 'permission-policy.yaml');

/** Users of catalog/org.yaml and the groups sign-in puts in their tokens. */
export const USERS: Record<string, BackstageUserInfo> = Object.fromEntries(
  [
    ['admin', 'user:default/alice', 'group:default/platform-team'],
    ['developer', 'user:default/bob', 'group:default/team-payments'],
    ['template-author', 'user:default/carol', 'group:default/team-search'],
    ['no role', 'user:default/dave'],
  ].map(([label, ref, ...groups]) => [
    label,
    { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  ]),
);

/** User info from the table above, as sign-in would have issued it. */
export const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const ref = (credentials.principal as BackstageUserPrincipal).userEntityRef;
    return (
      Object.values(USERS).find(u => u.userEntityRef === ref) ?? {
        userEntityRef: ref,
        ownershipEntityRefs: [ref],
      }
    );
  },
};

/** Mean, p50 and p99 of samples in milliseconds. */
export function stats(samplesMs: number[]) {
  const mean = samplesMs.reduce((sum, v) => sum + v, 0) / samplesMs.length;
  return {
    mean,
    p50: percentile(samplesMs, 0.5),
    p99: percentile(samplesMs, 0.99),
    n: samplesMs.length,
  };
}
