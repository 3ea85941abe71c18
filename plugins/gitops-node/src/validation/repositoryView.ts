import path from 'node:path';
import { KUSTOMIZATION_FILES } from '@internal/plugin-gitops-common';
import { isObject, Obj, parseManifestFile, ParsedDocument } from './parse';
import { ManifestFile, ValidateManifestsOptions } from './types';

/**
 * The repository as one validation sees it: the files being validated,
 * over what the caller can read of the rest (`readFile`,
 * `listDirectory`). Parsed files are kept for the length of the
 * validation.
 */
export class RepositoryView {
  private readonly changed: Map<string, string>;
  private readonly parsed = new Map<string, ParsedDocument[]>();
  private readonly listings = new Map<string, string[]>();
  private changedDirs?: Map<string, string[]>;

  constructor(
    files: ManifestFile[],
    private readonly options: ValidateManifestsOptions,
  ) {
    this.changed = new Map(files.map(f => [f.path, f.content]));
  }

  /** Whether a file is one of those being validated. */
  isChanged(file: string): boolean {
    return this.changed.has(file);
  }

  /** The paths being validated. */
  changedPaths(): string[] {
    return [...this.changed.keys()];
  }

  /** A file's text: as validated, else as the caller reads it. */
  read(file: string): string | undefined {
    return this.changed.get(file) ?? this.options.readFile?.(file);
  }

  /** The names in a folder, from the validated files and the caller. */
  list(dir: string): string[] {
    let names = this.listings.get(dir);
    if (!names) {
      const own = this.changedListing().get(dir) ?? [];
      const theirs = this.options.listDirectory?.(dir) ?? [];
      names = [...new Set([...theirs, ...own])].sort();
      this.listings.set(dir, names);
    }
    return names;
  }

  /** The names in each folder that the validated files make up. */
  private changedListing(): Map<string, string[]> {
    if (!this.changedDirs) {
      const dirs = new Map<string, Set<string>>();
      for (const file of this.changed.keys()) {
        let child = file;
        for (let dir = path.posix.dirname(file); ; ) {
          const names = dirs.get(dir) ?? new Set<string>();
          const seen = dirs.has(dir);
          names.add(path.posix.basename(child));
          dirs.set(dir, names);
          if (seen || dir === '.') break;
          child = dir;
          dir = path.posix.dirname(dir);
        }
      }
      this.changedDirs = new Map(
        [...dirs].map(([dir, names]) => [dir, [...names]]),
      );
    }
    return this.changedDirs;
  }

  /** Keeps the documents of a file parsed elsewhere. */
  remember(file: string, documents: ParsedDocument[]) {
    this.parsed.set(file, documents);
  }

  /** A file's documents, parsed once; empty when it cannot be read. */
  documents(file: string): ParsedDocument[] {
    let documents = this.parsed.get(file);
    if (!documents) {
      const content = this.read(file);
      documents =
        content === undefined
          ? []
          : parseManifestFile({ path: file, content }).documents;
      this.parsed.set(file, documents);
    }
    return documents;
  }

  /** The kustomization of a folder (path and first document), if it has one. */
  kustomizationIn(dir: string): { path: string; fields: Obj } | undefined {
    const names = this.list(dir);
    const name = KUSTOMIZATION_FILES.find(n => names.includes(n));
    if (!name) return undefined;
    const file = path.posix.join(dir, name);
    const fields = this.documents(file)[0]?.object;
    return { path: file, fields: isObject(fields) ? fields : {} };
  }
}
