import fs from 'node:fs';
import path from 'node:path';

/** Groups that own the generated components, besides the developer's team. */
const OWNER_GROUPS = 200;
/** Every this-many-th component belongs to the developer's team. */
const DEVELOPER_SHARE = 50;
const TYPES = ['service', 'website', 'library'];
const LIFECYCLES = ['production', 'experimental'];

/** The developer (bob) is in this team; the owner filter asks for it. */
export const DEVELOPER_TEAM = 'group:default/team-payments';

/** Marks the generated components, so that ingestion can be counted. */
export const BENCH_LABEL = { key: 'bench', value: 'catalog' };

export const componentName = (i: number) =>
  `component-${String(i).padStart(6, '0')}`;

function ownerOf(i: number): string {
  return i % DEVELOPER_SHARE === 0
    ? DEVELOPER_TEAM
    : `group:default/owners-${i % OWNER_GROUPS}`;
}

/**
 * Writes `count` components owned by many groups as one multi-document
 * YAML file, which both apps read through a `file` location in their
 * config, and returns its path.
 */
export function writeComponents(dir: string, count: number): string {
  const file = path.join(dir, `components-${count}.yaml`);
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < count; i++) {
      fs.writeSync(
        fd,
        [
          '---',
          'apiVersion: backstage.io/v1alpha1',
          'kind: Component',
          'metadata:',
          `  name: ${componentName(i)}`,
          `  description: Generated component ${i} for the catalog benchmark`,
          `  labels: { ${BENCH_LABEL.key}: ${BENCH_LABEL.value} }`,
          `  tags: [bench, tier-${i % 5}]`,
          'spec:',
          `  type: ${TYPES[i % TYPES.length]}`,
          `  lifecycle: ${LIFECYCLES[i % LIFECYCLES.length]}`,
          `  owner: ${ownerOf(i)}`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}
