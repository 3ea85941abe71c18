import http from 'node:http';
import path from 'node:path';
import { runGit } from './git';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

function page(
  res: http.ServerResponse,
  status: number,
  title: string,
  body: string,
) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(
      title,
    )}</title>` +
      '<style>body{font-family:sans-serif;margin:2em}pre{background:#f6f8fa;padding:1em;overflow:auto}' +
      '.add{color:#22863a}.del{color:#b31d28}</style></head>' +
      `<body><h1>${escape(title)}</h1>${body}</body></html>`,
  );
}

/** A line of a diff, coloured. */
function diffLine(line: string): string {
  const cls = ({ '+': 'add', '-': 'del' } as Record<string, string>)[line[0]];
  return cls ? `<span class="${cls}">${escape(line)}</span>` : escape(line);
}

async function tree(
  res: http.ServerResponse,
  bare: string,
  where: { repo: string; ref: string; file: string },
) {
  const { repo, ref, file } = where;
  const spec = `refs/heads/${ref}:${file}`;
  const type = (
    await runGit([`--git-dir=${bare}`, 'cat-file', '-t', spec])
  ).stdout.trim();
  if (type === 'blob') {
    const { stdout } = await runGit([
      `--git-dir=${bare}`,
      'cat-file',
      'blob',
      spec,
    ]);
    page(res, 200, `${file} at ${ref}`, `<pre>${escape(stdout)}</pre>`);
    return;
  }
  const { stdout } = await runGit([
    `--git-dir=${bare}`,
    'ls-tree',
    '--name-only',
    spec,
  ]);
  const items = stdout
    .split('\n')
    .filter(Boolean)
    .map(name => {
      const href = `/${repo}/src/branch/${ref}/${path.posix.join(file, name)}`;
      return `<li><a href="${escape(encodeURI(href))}">${escape(
        name,
      )}</a></li>`;
    })
    .join('');
  page(res, 200, `${file || '/'} at ${ref}`, `<ul>${items}</ul>`);
}

/**
 * A read-only web view of the repositories, in Gitea's URL shapes, so the
 * links the portal builds for provider `git` (folder pages and compare
 * pages) open in local development too: `/<repo>/src/branch/<branch>/<path>`
 * and `/<repo>/compare/<base>...<branch>`. Answers false for any other
 * request.
 */
export async function serveWebView(
  root: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<boolean> {
  if (req.method !== 'GET') return false;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const match = /^\/([^/]+)\/(src\/branch|compare)\/(.*)$/.exec(
    decodeURIComponent(url.pathname),
  );
  if (!match || req.headers['git-protocol']) return false;
  const [, repo, kind, rest] = match;
  const bare = path.join(root, `${repo}.git`);
  try {
    if (kind === 'compare') {
      const [base, branch] = rest.split('...');
      const { stdout } = await runGit([
        `--git-dir=${bare}`,
        'diff',
        `refs/heads/${base}...refs/heads/${branch}`,
      ]);
      const body = stdout.split('\n').map(diffLine).join('\n');
      page(res, 200, `${branch} compared with ${base}`, `<pre>${body}</pre>`);
      return true;
    }
    // Branch names have slashes too: the longest branch that exists wins.
    const segments = rest.split('/');
    for (let i = segments.length; i > 0; i--) {
      const ref = segments.slice(0, i).join('/');
      const exists = await runGit([
        `--git-dir=${bare}`,
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${ref}`,
      ]).then(
        () => true,
        () => false,
      );
      if (exists) {
        await tree(res, bare, { repo, ref, file: segments.slice(i).join('/') });
        return true;
      }
    }
    page(res, 404, 'Not found', '<p>No such branch.</p>');
  } catch {
    page(res, 404, 'Not found', '<p>No such file, folder or branch.</p>');
  }
  return true;
}
