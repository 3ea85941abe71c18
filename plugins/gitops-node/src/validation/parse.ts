import { isAlias, isCollection, parseAllDocuments, visit } from 'yaml';
import { ManifestFile, ManifestProblem } from './types';

/** A YAML mapping as plain data. */
export type Obj = Record<string, any>;

/** Whether a value is a YAML mapping (not a list, not a scalar). */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One document of a manifest file, by its index in the file. */
export interface ParsedDocument {
  documentIndex: number;
  /** The document as data; undefined when it is a scalar. */
  object: unknown;
}

/** Whether a YAML document uses an alias (anchors are refused). */
function hasAlias(doc: ReturnType<typeof parseAllDocuments>[number]) {
  let found = isAlias(doc.contents);
  visit(doc, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Parses a multi-document YAML manifest file into its objects (empty
 * documents skipped), or the problems that stop it from being read: YAML
 * errors, duplicate keys, anchors and aliases.
 */
export function parseManifestFile(file: ManifestFile): {
  documents: ParsedDocument[];
  problems: ManifestProblem[];
} {
  const documents: ParsedDocument[] = [];
  const problems: ManifestProblem[] = [];
  const yamlProblem = (documentIndex: number, message: string) =>
    problems.push({ path: file.path, documentIndex, rule: 'yaml', message });
  let docs;
  try {
    docs = parseAllDocuments(file.content, { merge: false, uniqueKeys: true });
  } catch (error) {
    yamlProblem(0, `not valid YAML: ${(error as Error).message}`);
    return { documents, problems };
  }
  if (!Array.isArray(docs)) {
    return { documents, problems }; // an empty stream
  }
  docs.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      const errors = doc.errors.map(e => e.message).join('; ');
      yamlProblem(documentIndex, `not valid YAML: ${errors}`);
    } else if (hasAlias(doc)) {
      yamlProblem(
        documentIndex,
        'YAML anchors and aliases are not allowed in manifests',
      );
    } else if (doc.contents !== null) {
      // A null content is an empty document, e.g. after a trailing `---`.
      documents.push({
        documentIndex,
        object: isCollection(doc.contents) ? doc.toJS() : undefined,
      });
    }
  });
  return { documents, problems };
}
