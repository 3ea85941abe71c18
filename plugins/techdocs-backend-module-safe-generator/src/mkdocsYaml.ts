import { InputError, NotAllowedError } from '@backstage/errors';
import { Document, isNode, parseDocument, visit } from 'yaml';
import type { Tags } from 'yaml';

/** A `!!python/name:` reference to one of the allowlisted Python callables. */
export class PythonName {
  constructor(readonly name: string) {}
}

const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';

/** Plain data tags; explicit ones are harmless in PyYAML too. */
const DATA_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map(
    tag => `${YAML_TAG_PREFIX}${tag}`,
  ),
);

/** Aliases expand data; a small bound keeps a hostile file from growing it. */
const MAX_ALIAS_COUNT = 100;

function pythonNameTags(pythonNames: ReadonlySet<string>): Tags {
  return [...pythonNames].map(name => ({
    tag: `${YAML_TAG_PREFIX}python/name:${name}`,
    identify: (value: unknown) =>
      value instanceof PythonName && value.name === name,
    resolve: () => new PythonName(name),
    stringify: () => '""',
  }));
}

/**
 * Parses mkdocs.yml the way PyYAML reads YAML 1.1 (so `on` is a boolean and
 * `<<` merges), refusing every explicit tag that is not plain data or an
 * allowlisted `!!python/name:`. That refuses `!ENV` (reads the environment),
 * `!include`-style tags, `!relative`, and every `!!python/object...` or
 * `!!python/module` tag, which construct arbitrary objects.
 */
export function parseMkdocsYaml(
  text: string,
  pythonNames: ReadonlySet<string>,
): unknown {
  const doc = parseDocument(text, {
    version: '1.1',
    customTags: pythonNameTags(pythonNames),
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    throw new InputError(
      `mkdocs.yml is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  const refused = new Set<string>();
  visit(doc, {
    Node(_key, node) {
      if (!isNode(node) || !node.tag || DATA_TAGS.has(node.tag)) {
        return;
      }
      const pythonName = node.tag.startsWith(`${YAML_TAG_PREFIX}python/name:`)
        ? node.tag.slice(`${YAML_TAG_PREFIX}python/name:`.length)
        : undefined;
      if (!pythonName || !pythonNames.has(pythonName)) {
        refused.add(node.tag.replace(YAML_TAG_PREFIX, '!!'));
      }
    },
  });
  if (refused.size > 0) {
    throw new NotAllowedError(
      `mkdocs.yml uses YAML tags that are not allowed here: ${[...refused].join(
        ', ',
      )}. Only plain data and !!python/name: of ${
        pythonNames.size > 0 ? [...pythonNames].join(', ') : 'nothing'
      } are.`,
    );
  }
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}

/**
 * Writes the sanitised configuration as YAML 1.1 for PyYAML: strings that
 * YAML 1.1 would read as something else are quoted, no anchors or aliases,
 * and the only tags are the allowlisted `!!python/name:` references.
 */
export function stringifyMkdocsYaml(
  value: Record<string, unknown>,
  pythonNames: ReadonlySet<string>,
): string {
  const doc = new Document(value, {
    version: '1.1',
    customTags: pythonNameTags(pythonNames),
    aliasDuplicateObjects: false,
  });
  return doc.toString();
}
