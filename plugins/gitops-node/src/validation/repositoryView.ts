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
    const names = new Set(this.options.listDirectory?.(dir) ?? []);
    const prefix = dir === '.' ? '' : `${dir}/`;
    for (const file of this.changed.keys()) {
      if (file.startsWith(prefix))
        names.add(file.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
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
