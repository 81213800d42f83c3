/**
 * Identity and errors of a process: a fresh read of its stat, and the one
 * errno mapper every Process method goes through.
 */
import { constants as osConstants } from 'node:os';
import { AccessDenied, NoSuchProcess, PtoolsError, ZombieProcess } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';
import { parseStat, type PidStat } from '../procfs/pid-stat.js';

const ERRNO_NAMES = new Map<number, string>(Object.entries(osConstants.errno).map(([k, v]) => [v, k]));

export function errCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** An Error like the addon's for a bulk-read slot that failed with -errno. @internal */
export function slotError(negErrno: number, path: string): Error {
  const errno = -negErrno;
  const code = ERRNO_NAMES.get(errno) ?? `E${errno}`;
  return Object.assign(new Error(`${code}: read failed, '${path}'`), { code, errno: negErrno, syscall: 'read', path });
}

/** A fresh (uncached) read of /proc/<pid>/stat, or undefined when it cannot be read. */
export function freshStat(pid: number): PidStat | undefined {
  let text: string;
  try {
    text = readText(procPath(pid, 'stat'));
  } catch {
    return undefined;
  }
  return parseStat(text);
}

export interface Identity {
  readonly pid: number;
  readonly _ticks: number;
  _name: string | null;
}

export function reusedError(p: Identity): NoSuchProcess {
  const name = p._name ? `, name=${JSON.stringify(p._name)}` : '';
  return new NoSuchProcess(p.pid, p._name, `process no longer exists and its PID has been reused (pid=${p.pid}${name})`);
}

/**
 * The one errno mapper (psutil's wrap_exceptions, with a recheck):
 * EPERM/EACCES → AccessDenied; ENOENT/ESRCH → ZombieProcess when the process
 * is a zombie, NoSuchProcess when its stat is gone or names another process
 * (pid reused); ESRCH from a live process (its memory is already gone: it is
 * exiting) → NoSuchProcess; ENOENT from a live process (the file does not
 * exist on this kernel) → the raw error. Anything else is returned as is.
 */
export function mapProcessError(p: Identity, e: unknown): unknown {
  if (e instanceof PtoolsError) return e;
  const code = errCode(e);
  if (code === 'EPERM' || code === 'EACCES') return new AccessDenied(p.pid, p._name);
  if (code === 'ENOENT' || code === 'ESRCH') {
    const now = freshStat(p.pid);
    if (now === undefined) return new NoSuchProcess(p.pid, p._name);
    if (now.starttime !== p._ticks) return reusedError(p);
    if (now.state === 'Z') return new ZombieProcess(p.pid, p._name, now.ppid);
    if (code === 'ESRCH') return new NoSuchProcess(p.pid, p._name);
    return e;
  }
  return e;
}
