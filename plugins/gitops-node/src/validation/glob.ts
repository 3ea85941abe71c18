/**
 * The one glob matcher of the GitOps code, for the two dialects Argo CD
 * uses: Git generator paths (Go's `path.Match`: `*` and `?` stay within a
 * path segment) and AppProject destinations (`glob.Match`, where `{a,b}`
 * alternates). Both know `*`, `?`, `[abc]`, `[a-z]`, `[!x]`/`[^x]` and `\`
 * escapes.
 */

/** Options of the glob functions. */
export interface GlobOptions {
  /** A character that `*`, `?` and classes never match (`/` for paths). */
  separator?: string;
  /** Expand `{a,b}` alternatives (Argo CD's AppProject globs). */
  braces?: boolean;
}

type Token =
  | { type: 'char'; value: string }
  | { type: 'one' }
  | { type: 'any' }
  | { type: 'class'; negated: boolean; ranges: Array<[string, string]> };

/** Alternatives of a brace expression are bounded, as the input is not ours. */
const MAX_ALTERNATIVES = 64;

/** `a{b,c}d` → `abd`, `acd`; only the first (outermost, leftmost) group per pass. */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  if (open === -1) return [glob];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === '{') depth++;
    else if (glob[i] === ',' && depth === 1) commas.push(i);
    else if (glob[i] === '}' && --depth === 0) {
      const cuts = [open, ...commas, i];
      const expanded = cuts
        .slice(1)
        .flatMap((cut, n) =>
          expandBraces(
            glob.slice(0, open) +
              glob.slice(cuts[n] + 1, cut) +
              glob.slice(i + 1),
          ),
        );
      if (expanded.length > MAX_ALTERNATIVES) {
        throw new Error(`glob "${glob}" has too many alternatives`);
      }
      return expanded;
    }
  }
  return [glob]; // an unclosed brace is a literal
}

/** Reads `[...]` at `start` (just after `[`); undefined when unclosed. */
function readClass(glob: string, start: number) {
  let i = start;
  const negated = glob[i] === '!' || glob[i] === '^';
  if (negated) i++;
  const ranges: Array<[string, string]> = [];
  for (let first = true; i < glob.length; first = false) {
    if (glob[i] === ']' && !first) {
      return { token: { type: 'class', negated, ranges } as Token, end: i };
    }
    const low = glob[i] === '\\' ? glob[++i] : glob[i];
    i++;
    if (glob[i] === '-' && glob[i + 1] !== ']' && i + 1 < glob.length) {
      const high = glob[i + 1] === '\\' ? glob[i + 2] : glob[i + 1];
      i += glob[i + 1] === '\\' ? 3 : 2;
      ranges.push([low, high]);
    } else {
      ranges.push([low, low]);
    }
  }
  return undefined;
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') tokens.push({ type: 'any' });
    else if (c === '?') tokens.push({ type: 'one' });
    else if (c === '\\' && i + 1 < glob.length) {
      tokens.push({ type: 'char', value: glob[++i] });
    } else if (c === '[' && readClass(glob, i + 1)) {
      const { token, end } = readClass(glob, i + 1)!;
      tokens.push(token);
      i = end;
    } else tokens.push({ type: 'char', value: c });
  }
  return tokens;
}

function accepts(token: Token, c: string, separator?: string): boolean {
  if (token.type === 'char') return token.value === c;
  if (c === separator) return false;
  if (token.type !== 'class') return true;
  const inside = token.ranges.some(([low, high]) => c >= low && c <= high);
  return inside !== token.negated;
}

/** The token positions reachable from `states` without reading (over `*`). */
function close(tokens: Token[], states: Set<number>): Set<number> {
  const closed = new Set(states);
  for (const state of closed) {
    if (tokens[state]?.type === 'any') closed.add(state + 1);
  }
  return closed;
}

/** The positions alive after reading `text` from the start of the glob. */
function run(tokens: Token[], text: string, separator?: string): Set<number> {
  let states = close(tokens, new Set([0]));
  for (const c of text) {
    const next = new Set<number>();
    for (const state of states) {
      const token = tokens[state];
      if (!token || !accepts(token, c, separator)) continue;
      next.add(token.type === 'any' ? state : state + 1);
    }
    states = close(tokens, next);
    if (states.size === 0) break;
  }
  return states;
}

/** Whether `text` matches the glob as a whole. */
export function matchesGlob(
  glob: string,
  text: string,
  options: GlobOptions = {},
): boolean {
  const globs = options.braces ? expandBraces(glob) : [glob];
  return globs.some(g => {
    const tokens = tokenize(g);
    return run(tokens, text, options.separator).has(tokens.length);
  });
}

/**
 * Whether the glob matches some text that starts with `prefix` (`team-*`
 * and `kube-*` do not meet; `k*` and `kube-*` do).
 */
export function globMeetsPrefix(
  glob: string,
  prefix: string,
  options: GlobOptions = {},
): boolean {
  const globs = options.braces ? expandBraces(glob) : [glob];
  // Any position still alive can be completed: every token matches
  // something (a class of the dialects above is never empty).
  return globs.some(g => run(tokenize(g), prefix, options.separator).size > 0);
}
