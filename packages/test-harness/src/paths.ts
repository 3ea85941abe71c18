import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';

/** The root of the portal repository this package lives in. */
export const repoRoot = path.resolve(
  resolvePackagePath('@internal/test-harness'),
  '../..',
);

/** A fresh folder under the ignored `.scratch/` for one test run's files. */
export function scratchDir(name: string): string {
  const dir = path.join(repoRoot, '.scratch', `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes `data` as a JSON config file (YAML is a superset of JSON). */
export function writeConfig(dir: string, name: string, data: object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
