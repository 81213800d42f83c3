/** psutil's pids() and pid_exists(); pid_max. */
import { readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { procPath } from '../base/paths.js';
import { statusValue } from '../procfs/pid-status.js';
import { tryReadText } from '../base/read.js';

/** The pids of every process (not thread), ascending: the numeric entries of the procfs root. */
export function pids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync(procPath())) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57 && /^\d+$/.test(name)) out.push(Number(name));
  }
  return out.sort((a, b) => a - b);
}

/** pids() with the directory read on the thread pool. */
export async function pidsAsync(): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir(procPath())) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57 && /^\d+$/.test(name)) out.push(Number(name));
  }
  return out.sort((a, b) => a - b);
}

/** The largest pid plus one (/proc/sys/kernel/pid_max) as the kernel writes it, or undefined when unreadable. */
export function pidMaxText(): string | undefined {
  const t = tryReadText(procPath('sys', 'kernel', 'pid_max'));
  return t === undefined ? undefined : t.replace(/\n$/, '');
}

function killZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // EPERM: there is a process, we may not signal it.
    if (code === 'EPERM') return true;
    throw e;
  }
}

/**
 * Whether a process with this pid exists: kill(pid, 0) (EPERM counts as
 * existing), then its status must say Tgid == pid, since kill() also accepts
 * thread ids, which are not processes. pid 0 is looked up in pids() (kill(0)
 * means "my process group"). Zombies exist.
 */
export function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid < 0) return false;
  if (pid === 0) return pids().includes(0);
  if (pid > 0x7fffffff) return false;
  if (!killZero(pid)) return false;
  const text = tryReadText(procPath(pid, 'status'));
  const tgid = text === undefined ? undefined : statusValue(text, 'Tgid');
  if (tgid === undefined || !/^\s*\d+\s*$/.test(tgid)) return pids().includes(pid);
  return Number(tgid) === pid;
}
