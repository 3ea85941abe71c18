/*
 * How long the portal policy takes per decision, and what its conditional
 * catalog read costs a developer listing the catalog next to an admin.
 * Figures only, no assertions: they depend on the machine.
 *
 *   yarn bench policy [--quick]
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/policy/bench.ts [--decisions 100000] [--entities 10000]
 */
import { AuditorService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  Permission,
  createPermission,
} from '@backstage/plugin-permission-common';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
// The policy class and file parser are the module's internals; a benchmark
// of the policy itself needs them, nothing else imports them.
import { parsePolicyFile } from '@internal/permission-backend-module-portal-policy/src/policyFile';
import { PortalPolicy } from '@internal/permission-backend-module-portal-policy/src/portalPolicy';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Figure, quick, writeFigures, runMain } from '../figures';
import { benchCatalog } from './catalog';
import { POLICY_FILE, USERS, stats } from './users';

const µs = (ms: number) => Math.round(ms * 1000 * 100) / 100;

async function benchPolicy(decisions: number): Promise<Figure[]> {
  const bindings = parsePolicyFile(
    readFileSync(POLICY_FILE, 'utf8'),
    POLICY_FILE,
  );
  // Auditing goes to a sink that drops events: the log transport is not
  // what is being measured.
  const auditor: AuditorService = {
    async createEvent() {
      return { success: async () => {}, fail: async () => {} };
    },
  };
  const policy = new PortalPolicy({ bindings, auditor });
  const unknown = createPermission({ name: 'never.heard.of', attributes: {} });
  const cases: Array<[string, string, Permission]> = [
    ['admin', 'ALLOW', catalogEntityDeletePermission],
    ['developer', 'CONDITIONAL', catalogEntityDeletePermission],
    ['developer', 'ALLOW', taskCreatePermission],
    ['template-author', 'CONDITIONAL', catalogEntityReadPermission],
    ['developer', 'DENY', kubernetesProxyPermission],
    ['no role', 'DENY', catalogEntityReadPermission],
    ['admin', 'DENY (unknown)', unknown],
  ];
  console.log(
    `\nPolicy evaluation, ${decisions} decisions per case (handle() on the user info the permission backend resolved, with the audit call)`,
  );
  const figures: Figure[] = [];
  const all: number[] = [];
  for (const [who, result, permission] of cases) {
    const user = {
      credentials: mockCredentials.user(USERS[who].userEntityRef),
      info: USERS[who],
    };
    for (let i = 0; i < Math.min(5_000, decisions); i++) {
      await policy.handle({ permission }, user);
    }
    const samples = new Array<number>(decisions);
    for (let i = 0; i < decisions; i++) {
      const start = process.hrtime.bigint();
      await policy.handle({ permission }, user);
      samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
    }
    all.push(...samples);
    const s = stats(samples);
    const name = `decision, ${who}: ${permission.name} -> ${result}`;
    console.log(`  ${name}: mean ${µs(s.mean)} µs, p99 ${µs(s.p99)} µs`);
    figures.push({
      name,
      unit: 'µs',
      portal: µs(s.mean),
      note: `mean; p50 ${µs(s.p50)}, p99 ${µs(s.p99)} µs, n=${s.n}`,
    });
  }
  const s = stats(all);
  figures.push(
    {
      name: 'decision, all cases p50',
      unit: 'µs',
      portal: µs(s.p50),
      note: `n=${s.n}`,
    },
    {
      name: 'decision, all cases p99',
      unit: 'µs',
      portal: µs(s.p99),
      note: `n=${s.n}`,
    },
  );
  return figures;
}

async function main() {
  const { values } = parseArgs({
    options: {
      decisions: { type: 'string' },
      entities: { type: 'string' },
    },
  });
  const decisions = Number(values.decisions ?? (quick ? 10_000 : 100_000));
  const entities = Number(values.entities ?? (quick ? 1_000 : 10_000));
  const figures = [
    ...(await benchPolicy(decisions)),
    ...(await benchCatalog(entities, quick ? 10 : 50)),
  ];
  writeFigures(figures);
}

runMain(main);
