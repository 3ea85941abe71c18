import fs from 'node:fs';

/**
 * Every live descendant of `pid`, read from /proc. The start command's
 * children do not all stay in its process group (the Backstage CLI starts the
 * backend on its own), so killing the group alone can leave a backend behind.
 */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // The command name (field 2) may hold spaces; the parent pid follows it.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pids: number[], name: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops `pid` and everything it started: SIGTERM first, SIGKILL for whatever
 * still runs after `graceMs`.
 */
export async function stopTree(pid: number, graceMs = 20_000): Promise<void> {
  const pids = [pid, ...descendants(pid)];
  signal(pids, 'SIGTERM');
  for (let waited = 0; waited < graceMs; waited += 250) {
    if (!pids.some(alive)) {
      return;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  signal(pids.filter(alive), 'SIGKILL');
}
