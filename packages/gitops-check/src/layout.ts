import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DiscoveredApplication, discoverApplications } from './discovery';

/** A breach of the GitOps layout contract (gitops/README.md). */
export interface LayoutProblem {
  path: string;
  message: string;
}

/** Top-level folders whose content Argo CD must discover. */
const DISCOVERED_ROOTS = ['teams', 'services', 'databases'];

/** Files in discovered folders that are for the portal, not the cluster. */
function isCatalogFile(file: string) {
  return path.posix.basename(file) === 'catalog-info.yaml';
}

function documentsOf(content: string): any[] {
  try {
    return parseAllDocuments(content)
      .map(d => d.toJS())
      .filter(d => d && typeof d === 'object');
  } catch {
    // Malformed YAML is reported by validateManifests.
    return [];
  }
}

function appFor(
  apps: DiscoveredApplication[],
  file: string,
): DiscoveredApplication | undefined {
  // The deepest folder wins, as a nested app would own its files.
  return apps
    .filter(app => file.startsWith(`${app.dir}/`))
    .sort((a, b) => b.dir.length - a.dir.length)[0];
}

/**
 * Checks that every manifest under teams/, services/ and databases/ is
 * synced by an Application the bootstrap's ApplicationSets generate, into
 * the namespace and project the path implies.
 *
 * `files` is the whole tree (paths relative to its root).
 */
export function checkLayout(files: Map<string, string>): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const apps = discoverApplications(files);
  const projects = new Map<string, string[]>();
  for (const [file, content] of files) {
    for (const doc of /\.ya?ml$/.test(file) ? documentsOf(content) : []) {
      if (doc.kind === 'AppProject' && doc.metadata?.name) {
        projects.set(
          doc.metadata.name,
          (doc.spec?.destinations ?? []).map((d: any) => d.namespace),
        );
      }
    }
  }

  for (const app of apps) {
    const destinations = projects.get(app.project);
    if (!destinations) {
      problems.push({
        path: app.dir,
        message: `Application ${app.name} uses AppProject "${app.project}", which no file of the repository defines`,
      });
    } else if (
      app.namespace &&
      !destinations.some(ns => ns === '*' || ns === app.namespace)
    ) {
      problems.push({
        path: app.dir,
        message: `Application ${app.name} deploys to namespace ${app.namespace}, which AppProject ${app.project} does not allow`,
      });
    }
  }

  for (const [file, content] of files) {
    const root = file.split('/')[0];
    if (
      !DISCOVERED_ROOTS.includes(root) ||
      isCatalogFile(file) ||
      path.posix.basename(file) === '.gitkeep'
    ) {
      continue;
    }
    if (root === 'services') {
      const [, team, service, kind] = file.split('/');
      if (!team || !service || !['base', 'overlays'].includes(kind)) {
        problems.push({
          path: file,
          message:
            'services/ holds only services/<team>/<service>/{base,overlays/<env>}/ and catalog-info.yaml',
        });
        continue;
      }
      if (kind === 'base') {
        // Reached through the overlays' kustomizations.
        continue;
      }
    }
    const app = appFor(apps, file);
    if (!app) {
      problems.push({
        path: file,
        message:
          'no ApplicationSet of bootstrap/ discovers this folder, so Argo CD would never apply it',
      });
      continue;
    }
    if (!app.namespace || !/\.ya?ml$/.test(file)) {
      continue;
    }
    for (const doc of documentsOf(content)) {
      const declared =
        doc.kind === 'Kustomization' ? doc.namespace : doc.metadata?.namespace;
      if (declared !== undefined && declared !== app.namespace) {
        problems.push({
          path: file,
          message: `${doc.kind} declares namespace ${declared}, but Application ${app.name} deploys this folder to ${app.namespace}`,
        });
      }
    }
  }
  return problems;
}
