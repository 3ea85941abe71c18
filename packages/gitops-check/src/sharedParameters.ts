import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * The parameter schemas the templates share, relative to the templates
 * folder. A template carries a copy of one under a `# shared: <name>`
 * comment: the catalog reads templates from `file` locations, where
 * `$yaml` placeholders with relative paths do not resolve
 * (backstage/backstage#30702), so the copies are kept in step here
 * instead.
 */
export const SHARED_PARAMETERS_FILE = 'shared/parameters.yaml';

/** `# shared: <name>` on the line before a property. */
const MARKER = /^( *)# shared: ([A-Za-z][\w-]*) *$/;
const KEY = /^( *)[A-Za-z][\w-]*: *$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * The end (exclusive) of the block of lines more indented than `indent`
 * that starts at `start`, blank lines at its end left out.
 */
function blockEnd(lines: string[], start: number, indent: number): number {
  let end = start;
  for (let i = start; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    if (indentOf(lines[i]) <= indent) break;
    end = i + 1;
  }
  return end;
}

/**
 * Reads the shared schemas: the lines under each top-level key of the
 * shared file, without their indentation. Comments at the left margin
 * document the file and are not copied.
 */
export function readSharedParameters(
  templatesDir: string,
): Map<string, string[]> {
  const file = path.join(templatesDir, SHARED_PARAMETERS_FILE);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const schemas = new Map<string, string[]>();
  lines.forEach((line, i) => {
    const key = /^([A-Za-z][\w-]*): *$/.exec(line);
    if (!key) return;
    const body = lines.slice(i + 1, blockEnd(lines, i + 1, 0));
    const base = Math.min(...body.filter(l => l.trim() !== '').map(indentOf));
    schemas.set(
      key[1],
      body.map(l => l.slice(base)),
    );
  });
  return schemas;
}

/**
 * A template.yaml with every `# shared:` property rewritten from the
 * shared schemas, and the problems that stop it (an unknown name, a marker
 * not followed by a property).
 */
export function renderSharedFragments(
  text: string,
  shared: Map<string, string[]>,
): { text: string; problems: string[] } {
  const lines = text.split('\n');
  const out: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const [, indent, name] = marker;
    const key = KEY.exec(lines[i + 1] ?? '');
    const schema = shared.get(name);
    if (!key || key[1] !== indent) {
      problems.push(
        `line ${
          i + 1
        }: "# shared: ${name}" must come right before a property of the same indentation`,
      );
    } else if (!schema) {
      problems.push(
        `line ${i + 1}: ${SHARED_PARAMETERS_FILE} has no schema "${name}"`,
      );
    } else {
      const end = blockEnd(lines, i + 2, indent.length);
      out.push(lines[i + 1]);
      out.push(...schema.map(l => (l === '' ? '' : `${indent}  ${l}`)));
      i = end - 1;
    }
  }
  return { text: out.join('\n'), problems };
}

/** `$yaml`, `$json` and `$text` placeholders anywhere in a document. */
function placeholderPaths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => placeholderPaths(v, `${at}[${i}]`));
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k.startsWith('$') ? [`${at}.${k}`] : placeholderPaths(v, `${at}.${k}`),
  );
}

/**
 * Checks (or, with `update`, rewrites) the shared parameter schemas of one
 * template: every `# shared:` copy must equal the shared file, and no
 * catalog placeholder may be used, as the catalog could not resolve it
 * for a `file` location. Returns the problems, for a person.
 */
export function checkSharedParameters(
  templateDir: string,
  templatesDir: string,
  update = false,
): string[] {
  const file = path.join(templateDir, 'template.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const rendered = renderSharedFragments(
    text,
    readSharedParameters(templatesDir),
  );
  const problems = rendered.problems.map(p => `template.yaml ${p}`);
  for (const at of placeholderPaths(parse(text))) {
    problems.push(
      `template.yaml: ${at} is a catalog placeholder, which a file location cannot resolve; use a "# shared:" schema of ${SHARED_PARAMETERS_FILE}`,
    );
  }
  if (rendered.text !== text) {
    if (update) {
      fs.writeFileSync(file, rendered.text);
    } else {
      problems.push(
        `template.yaml differs from ${SHARED_PARAMETERS_FILE}; run yarn gitops-check templates --update`,
      );
    }
  }
  return problems;
}
