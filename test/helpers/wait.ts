/**
 * Waiting for a state instead of for a time: a child is ready when it shows
 * the state the test needs (exec'd and asleep, stopped, gone), however long
 * this shared machine takes to get it there. The cap only turns a hang into
 * a failure with a name; no test relies on it.
 */
import { readFileSync } from 'node:fs';

/** Polls `cond` every 10 ms until it holds; throws (naming `what`) after `capMs`. */
export async function waitUntil(cond: () => boolean, what: string, capMs = 20_000): Promise<void> {
  const end = Date.now() + capMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting (${capMs} ms) for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The state letter in /proc/PID/stat ('' when the process is gone). */
export function procState(pid: number): string {
  try {
    const t = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return t.charAt(t.lastIndexOf(')') + 2);
  } catch {
    return '';
  }
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

/**
 * Whether `pid` has exec'd `comm` and is asleep in nanosleep: a freshly
 * spawned `sleep` that has finished its loader's work (its mappings, RSS and
 * command line no longer change). Where the kernel hides wchan ('0'), asleep
 * as `comm` is taken as enough.
 */
export function sleepingIn(pid: number, comm = 'sleep'): boolean {
  if (read(`/proc/${pid}/comm`)?.trimEnd() !== comm || procState(pid) !== 'S') return false;
  const wchan = read(`/proc/${pid}/wchan`);
  return wchan === null || wchan === '0' || wchan === '' || /nanosleep/.test(wchan);
}
