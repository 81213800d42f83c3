/**
 * A process's mappings as pmap shows them: /proc/<pid>/maps and smaps read
 * by the one reader (procfs/pid-maps), and the little pmap needs about the
 * process itself (its thread group, command line, stack start), a view of
 * the stat and status records.
 *
 * Kernel strings (command line, comm, mapping paths) are bytes: they are
 * decoded with surrogateescape (core/base/text-bytes), so valid UTF-8 reads as
 * text and any other byte survives as U+DC80..U+DCFF;
 * encodeSurrogateEscape() gives the exact bytes back.
 *
 * Errors concerning the pid (its maps cannot be read) are raised raw, the
 * addon's errno error (ENOENT, EACCES, ...).
 */
import { isErrnoError } from '../../native/index.js';
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readBytes } from '../base/read.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';
import { parseMaps, parseSmapsEntries, type MapsEntry, type SmapsEntry } from '../procfs/pid-maps.js';
import { parseStat } from '../procfs/pid-stat.js';
import { statusInt } from '../procfs/pid-status.js';

/** The process side of a pmap report. */
export interface PmapProcessInfo {
  /** The pid asked for. */
  readonly pid: number;
  /** Its thread group (the process whose maps are read; pmap prints it). */
  readonly tgid: number;
  /** /proc/<pid>/cmdline, whole, NULs kept ('' for kernel threads and zombies), surrogateescape-decoded. */
  readonly cmdline: string;
  /** stat's command name, surrogateescape-decoded. */
  readonly comm: string;
  /** stat's state letter. */
  readonly state: string;
  /** stat's startstack: the address the stack started at (0 when not permitted). */
  readonly startStack: bigint;
}

// ------------------------------------------------------------------ reading

/**
 * What pmap prints about a process before its mappings, or null when there
 * is no such process (procps skips it and exits 42). The thread group comes
 * from status (a thread id names its process), the rest from stat and
 * cmdline (an unreadable cmdline reads as empty).
 */
export function pmapProcessInfo(pid: number): PmapProcessInfo | null {
  let stat: string;
  try {
    stat = readKernelText(procPath(pid, 'stat'));
  } catch (e) {
    if (isErrnoError(e) && (e.code === 'ENOENT' || e.code === 'ESRCH' || e.code === 'ENOTDIR')) return null;
    throw e;
  }
  const s = parseStat(stat, '/proc/<pid>/stat');
  let tgid = pid;
  const status = tryReadKernelText(procPath(pid, 'status'));
  if (status !== undefined) {
    try {
      tgid = statusInt(status, 'Tgid');
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
    }
  }
  return { pid, tgid, cmdline: tryReadKernelText(procPath(pid, 'cmdline')) ?? '', comm: s.comm, state: s.state, startStack: BigInt(s.startstack) };
}

/** A kernel file's bytes, surrogateescape-decoded (lossless). */
function readKernelText(path: string): string {
  return decodeSurrogateEscape(readBytes(path));
}

function tryReadKernelText(path: string): string | undefined {
  try {
    return readKernelText(path);
  } catch (e) {
    if (isErrnoError(e)) return undefined;
    throw e;
  }
}

/** /proc/<pid>/maps, parsed. */
export function processMaps(pid: number): MapsEntry[] {
  return parseMaps(readKernelText(procPath(pid, 'maps')));
}

/** /proc/<pid>/smaps with every field, parsed. */
export function processSmaps(pid: number): SmapsEntry[] {
  return parseSmapsEntries(readKernelText(procPath(pid, 'smaps')));
}
