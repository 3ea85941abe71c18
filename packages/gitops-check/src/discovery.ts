import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { matchesGlob } from '@internal/plugin-gitops-node';

/** An Argo CD Application as an ApplicationSet would generate it. */
export interface DiscoveredApplication {
  /** The ApplicationSet that generated it. */
  applicationSet: string;
  /** The repository folder it syncs. */
  dir: string;
  name: string;
  project: string;
  /** Destination namespace; undefined when the template sets none. */
  namespace?: string;
}

interface GitDirectoryGenerator {
  applicationSet: string;
  include: string[];
  exclude: string[];
  template: {
    name: string;
    project: string;
    namespace?: string;
  };
}

/**
 * Reads the ApplicationSets with Git directory generators from the
 * bootstrap files of a GitOps tree (any document of kind ApplicationSet).
 */
export function readGenerators(
  files: Map<string, string>,
): GitDirectoryGenerator[] {
  const generators: GitDirectoryGenerator[] = [];
  for (const [file, content] of files) {
    if (!/\.ya?ml$/.test(file)) {
      continue;
    }
    for (const doc of parseAllDocuments(content)) {
      const set = doc.toJS() as any;
      if (set?.kind !== 'ApplicationSet') {
        continue;
      }
      for (const generator of set.spec?.generators ?? []) {
        const directories: { path: string; exclude?: boolean }[] =
          generator.git?.directories ?? [];
        if (directories.length === 0) {
          continue;
        }
        const template = set.spec.template;
        generators.push({
          applicationSet: set.metadata.name,
          include: directories.filter(d => !d.exclude).map(d => d.path),
          exclude: directories.filter(d => d.exclude).map(d => d.path),
          template: {
            name: template.metadata.name,
            project: template.spec.project,
            namespace: template.spec.destination?.namespace,
          },
        });
      }
    }
  }
  return generators;
}

/**
 * Whether `dir` matches an Argo CD Git generator path pattern. Argo CD
 * matches with Go's path.Match: `*` stays within one path segment.
 */
export function matchesPattern(pattern: string, dir: string): boolean {
  return matchesGlob(pattern, dir, { separator: '/' });
}

/**
 * Renders the subset of Go templates the bootstrap uses with the Git
 * directory generator's parameters. Anything else is an error, as
 * `missingkey=error` would make it in Argo CD.
 */
export function renderGoTemplate(template: string, dir: string): string {
  const segments = dir.split('/');
  return template.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_, expression) => {
    if (expression === '.path.path') {
      return dir;
    }
    if (expression === '.path.basename') {
      return path.posix.basename(dir);
    }
    const index = /^index \.path\.segments (\d+)$/.exec(expression);
    if (index) {
      const value = segments[Number(index[1])];
      if (value === undefined) {
        throw new Error(`${expression} is out of range for ${dir}`);
      }
      return value;
    }
    throw new Error(`unsupported template expression {{ ${expression} }}`);
  });
}

/**
 * The names in each folder of a tree (`.` is the root), from its file
 * paths: what `listDirectory` answers for a tree held in memory.
 */
export function directoryListing(
  files: Iterable<string>,
): Map<string, string[]> {
  const listing = new Map<string, Set<string>>();
  for (const file of files) {
    let child = file;
    let dir = path.posix.dirname(file);
    for (;;) {
      const names = listing.get(dir) ?? new Set<string>();
      const known = names.size > 0 && listing.has(dir);
      names.add(path.posix.basename(child));
      listing.set(dir, names);
      if (dir === '.' || known) break;
      child = dir;
      dir = path.posix.dirname(dir);
    }
  }
  return new Map([...listing].map(([dir, names]) => [dir, [...names].sort()]));
}

/** Every directory of a tree that holds at least one file. */
export function directoriesOf(files: Iterable<string>): Set<string> {
  const dirs = new Set(directoryListing(files).keys());
  dirs.delete('.');
  return dirs;
}

/**
 * The Applications the tree's ApplicationSets generate from the tree's
 * folders, as Argo CD would for the default branch.
 */
export function discoverApplications(
  files: Map<string, string>,
  generatorFiles: Map<string, string> = files,
): DiscoveredApplication[] {
  const generators = readGenerators(generatorFiles);
  const dirs = [...directoriesOf(files.keys())].sort();
  const apps: DiscoveredApplication[] = [];
  for (const generator of generators) {
    for (const dir of dirs) {
      if (
        !generator.include.some(p => matchesPattern(p, dir)) ||
        generator.exclude.some(p => matchesPattern(p, dir))
      ) {
        continue;
      }
      apps.push({
        applicationSet: generator.applicationSet,
        dir,
        name: renderGoTemplate(generator.template.name, dir),
        project: renderGoTemplate(generator.template.project, dir),
        namespace:
          generator.template.namespace === undefined
            ? undefined
            : renderGoTemplate(generator.template.namespace, dir),
      });
    }
  }
  return apps;
}
