/** One line of a unified diff, with its numbers in the old and new file. */
export type DiffLine =
  | { kind: 'context'; text: string; oldLine: number; newLine: number }
  | { kind: 'added'; text: string; newLine: number }
  | { kind: 'removed'; text: string; oldLine: number }
  /** `\ No newline at end of file` and the like. */
  | { kind: 'note'; text: string };

/** A hunk: its `@@ … @@` header and its lines. */
export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

/** A file's diff, parsed. */
export interface ParsedDiff {
  hunks: DiffHunk[];
  added: number;
  removed: number;
  /** Git said the file is binary (or there is no textual change). */
  binary: boolean;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * Parses the unified diff of one file as `git diff` writes it. The lines
 * before the first hunk (`diff --git`, `index`, `---`, `+++`, modes) are
 * left out; text after the last hunk that is not diff syntax (the
 * backend's note that a long diff was cut) becomes a note.
 */
export function parseUnifiedDiff(patch: string): ParsedDiff {
  const hunks: DiffHunk[] = [];
  let added = 0;
  let removed = 0;
  let oldLine = 0;
  let newLine = 0;
  let hunk: DiffHunk | undefined;
  const lines = patch.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const text of lines) {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      hunk = { header: text, lines: [] };
      hunks.push(hunk);
    } else if (!hunk) {
      continue;
    } else if (text.startsWith('+')) {
      hunk.lines.push({ kind: 'added', text: text.slice(1), newLine });
      newLine += 1;
      added += 1;
    } else if (text.startsWith('-')) {
      hunk.lines.push({ kind: 'removed', text: text.slice(1), oldLine });
      oldLine += 1;
      removed += 1;
    } else if (text.startsWith(' ') || text === '') {
      hunk.lines.push({
        kind: 'context',
        text: text.slice(1),
        oldLine,
        newLine,
      });
      oldLine += 1;
      newLine += 1;
    } else {
      hunk.lines.push({ kind: 'note', text: text.replace(/^\\ /, '') });
    }
  }
  return { hunks, added, removed, binary: hunks.length === 0 };
}
