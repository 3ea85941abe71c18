import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'node:path';

/** The root of the portal repository this package lives in. */
export const repoRoot = path.resolve(
  resolvePackagePath('@internal/gitops-check'),
  '../..',
);
/** The golden-path templates. */
export const templatesDir = path.join(repoRoot, 'templates');
/** The GitOps layout contract and bootstrap; every fixture starts from it. */
export const gitopsDir = path.join(repoRoot, 'gitops');
/** The portal's embedded config, whose `gitops` defaults the checks share. */
export const appConfigFile = path.join(repoRoot, 'app-config.yaml');
