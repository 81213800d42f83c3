/**
 * The raw process scan behind ps: one bulk read of the chosen
 * /proc/<pid>/<file>s for every process (and, when asked, every thread),
 * returning the kernel's raw fields. A scan reads only the sources it is
 * given: `ps -eo pid,comm` reads stat alone, `ps aux` stat, status and
 * cmdline. Formatting (procps's escaping, names, widths) is the command's
 * business; this module only reads and parses.
 */
import { opendirSync, readlinkSync, statSync } from 'node:fs';
import { BulkScratch, native, type BulkRead } from '../../native/index.js';
import { ParseError } from '../base/errors.js';
import { getProcfsPath, procPath, sysPath } from '../base/paths.js';
import { parseCpuList, parseIo, parseStatm, type PidIo, type PidStatm } from '../procfs/pid.js';
import { tryReadText } from '../base/read.js';
import {
  parseAutogroup,
  parseIntFile,
  parseSmapsKiB,
  parseStatFields,
  StatusView,
  type SmapsKiB,
  type StatFields,
  type StatusFields,
} from '../procfs/pid-scan.js';

export * from '../procfs/pid-scan.js';
export { ttyPath, lookupTerminal, charDevice, devMajor, devMinor, parseTtyDrivers, resetTtyCache } from './tty.js';

/** What a scan can read, beyond stat (always read). */
export type ScanSource =
  | 'stat'
  | 'status'
  | 'statm'
  | 'cmdline'
  | 'environ'
  | 'cgroup'
  | 'wchan'
  | 'io'
  | 'smaps'
  | 'oom'
  | 'loginuid'
  | 'autogroup'
  | 'attr'
  | 'ns'
  | 'exe';

/** The namespaces procps reports, in its order. */
export const NS_NAMES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;

/** One process (or thread) as the kernel describes it. Fields of unread sources are null. */
export interface ProcRecord {
  /** Task id: the pid for a process, the thread id for a thread. */
  readonly tid: number;
  /** Thread group id: the process's pid. */
  readonly tgid: number;
  readonly stat: StatFields;
  readonly status: StatusFields | null;
  readonly statm: PidStatm | null;
  /** /proc/<pid>/cmdline, bytes as latin1 characters ('' for kernel threads and zombies). */
  readonly cmdline: string | null;
  readonly environ: string | null;
  readonly cgroup: string | null;
  /** /proc/<pid>/wchan text ("0" when running). */
  readonly wchan: string | null;
  readonly io: PidIo | null;
  readonly smaps: SmapsKiB | null;
  readonly oomScore: number | null;
  readonly oomScoreAdj: number | null;
  readonly loginuid: number | null;
  readonly autogroup: { readonly id: number; readonly nice: number } | null;
  /** /proc/<pid>/attr/current (security label), bytes as latin1. */
  readonly attrCurrent: string | null;
  /** Namespace inode per NS_NAMES entry; 0 when it cannot be read. */
  readonly ns: readonly number[] | null;
  /** The executable's path (readlink of exe), bytes as latin1. */
  readonly exe: string | null;
}

export interface ScanOptions {
  /** Sources to read besides stat. */
  readonly sources?: Iterable<ScanSource>;
  /** Also return every thread (the leader first, read from the process's own files, as procps does). */
  readonly threads?: boolean;
  /** Only these pids (in this order); default every process, ascending. */
  readonly pids?: readonly number[];
  /** Leave out kernel threads (procps's LIBPROC_HIDE_KERNEL). */
  readonly hideKernel?: boolean;
}

const FILES: Partial<Record<ScanSource, readonly string[]>> = {
  stat: ['stat'],
  status: ['status'],
  statm: ['statm'],
  cmdline: ['cmdline'],
  environ: ['environ'],
  cgroup: ['cgroup'],
  wchan: ['wchan'],
  io: ['io'],
  smaps: ['smaps_rollup'],
  oom: ['oom_score', 'oom_score_adj'],
  loginuid: ['loginuid'],
  autogroup: ['autogroup'],
  attr: ['attr/current'],
};

/**
 * Reused by every scan (records hold strings, never the bytes): a loop of
 * scans allocates no Buffers. Two, since a thread listing reads while the
 * processes' bytes are still being decoded.
 */
const procScratch = new BulkScratch();
const taskScratch = new BulkScratch();

/**
 * The numeric entries of a directory in the kernel's order (fs.readdirSync
 * sorts names; procps reads them unsorted). Native: fs.Dir lstat()s every
 * entry the kernel reports as DT_UNKNOWN, which is what procfs reports for a
 * process that exits while the directory is read, and that lstat's ENOENT
 * would end the scan. A directory that is gone (a vanished process's task/)
 * lists nothing.
 */
function numericEntries(dir: string): number[] {
  try {
    return native.listNumeric(dir);
  } catch {
    return [];
  }
}

/** The pids of every process, in the kernel's (ascending) order. */
export function scanPids(): number[] {
  return numericEntries(getProcfsPath());
}

/** Slot k of a bulk read as a latin1 string (one char per byte), or null; decoded in place, without a Buffer view per slot. */
function text(r: BulkRead, k: number): string | null {
  const len = r.slots[2 * k + 1]!;
  if (len < 0) return null;
  const off = r.slots[2 * k]!;
  return r.data.toString('latin1', off, off + len);
}

function tryParse<T>(t: string | null, parse: (t: string) => T): T | null {
  if (t === null) return null;
  try {
    return parse(t);
  } catch (e) {
    if (e instanceof ParseError) return null;
    throw e;
  }
}

function nsInodes(dir: string): number[] {
  return NS_NAMES.map((n) => {
    try {
      return statSync(`${dir}/ns/${n}`, { throwIfNoEntry: false })?.ino ?? 0;
    } catch {
      return 0;
    }
  });
}

function exeLink(dir: string): string | null {
  try {
    return readlinkSync(`${dir}/exe`, { encoding: 'latin1' });
  } catch {
    return null;
  }
}

function statusOf(t: string | null): StatusFields | null {
  return t === null ? null : new StatusView(t);
}

interface Plan {
  names: string[];
  at: Partial<Record<string, number>>;
  want: Set<ScanSource>;
}

function plan(sources: Iterable<ScanSource> | undefined): Plan {
  const want = new Set<ScanSource>(sources ?? []);
  const names = ['stat'];
  const at: Partial<Record<string, number>> = { stat: 0 };
  for (const s of want) {
    for (const f of FILES[s] ?? []) {
      if (at[f] === undefined) {
        at[f] = names.length;
        names.push(f);
      }
    }
  }
  return { names, at, want };
}

/** Decodes the files of one task (slots base..base+names.length-1 of `r`); null when stat is unreadable (gone). */
function record(r: BulkRead, base: number, p: Plan, tid: number, tgid: number, dir: string): ProcRecord | null {
  const slot = (f: string): string | null => {
    const i = p.at[f];
    return i === undefined ? null : text(r, base + i);
  };
  const statText = slot('stat');
  if (statText === null) return null;
  const stat = tryParse(statText, (t) => parseStatFields(t));
  if (!stat) return null;
  const w = p.want;
  return {
    tid,
    tgid,
    stat,
    status: w.has('status') ? statusOf(slot('status')) : null,
    statm: w.has('statm') ? tryParse(slot('statm'), (t) => parseStatm(t)) : null,
    cmdline: w.has('cmdline') ? slot('cmdline') : null,
    environ: w.has('environ') ? slot('environ') : null,
    cgroup: w.has('cgroup') ? slot('cgroup') : null,
    wchan: w.has('wchan') ? slot('wchan') : null,
    io: w.has('io') ? tryParse(slot('io'), (t) => parseIo(t)) : null,
    smaps: w.has('smaps') ? tryParse(slot('smaps_rollup'), (t) => parseSmapsKiB(t)) : null,
    oomScore: w.has('oom') ? tryParse(slot('oom_score'), (t) => parseIntFile(t, 'oom_score')) : null,
    oomScoreAdj: w.has('oom') ? tryParse(slot('oom_score_adj'), (t) => parseIntFile(t, 'oom_score_adj')) : null,
    loginuid: w.has('loginuid') ? tryParse(slot('loginuid'), (t) => parseIntFile(t, 'loginuid')) : null,
    autogroup: w.has('autogroup') ? tryParse(slot('autogroup'), (t) => parseAutogroup(t)) : null,
    attrCurrent: w.has('attr') ? slot('attr/current') : null,
    ns: w.has('ns') ? nsInodes(dir) : null,
    exe: w.has('exe') ? exeLink(dir) : null,
  };
}

/**
 * Scans the processes (and threads). A process whose stat cannot be read
 * (it exited mid-scan) is left out; any other unreadable file leaves its
 * field null, as procps leaves it empty.
 */
export function scanProcesses(opts: ScanOptions = {}): ProcRecord[] {
  const p = plan(opts.sources);
  const root = getProcfsPath();
  const pids = opts.pids ? [...opts.pids] : scanPids();
  const bulk = procScratch.read(root, pids, p.names);
  const n = p.names.length;
  const out: ProcRecord[] = [];
  for (let i = 0; i < pids.length; i++) {
    const pid = pids[i]!;
    const rec = record(bulk, i * n, p, pid, pid, `${root}/${pid}`);
    if (!rec) continue;
    if (opts.hideKernel && (rec.stat.ppid === 2 || pid === 2)) continue;
    if (!opts.threads) {
      out.push(rec);
      continue;
    }
    const taskDir = `${root}/${pid}/task`;
    const tids = numericEntries(taskDir);
    // No task directory: the process is gone (procps then shows nothing of it).
    if (tids.length === 0) continue;
    const others = tids.filter((t) => t !== pid);
    const tb = others.length ? taskScratch.read(taskDir, others, p.names) : null;
    for (const tid of tids) {
      if (tid === pid) {
        out.push(rec);
        continue;
      }
      const k = others.indexOf(tid);
      const tr = record(tb!, k * n, p, tid, pid, `${taskDir}/${tid}`);
      // procps stops at a thread it cannot read and moves on to the next process.
      if (!tr) break;
      out.push(tr);
    }
  }
  return out;
}

/** /proc/uptime's first number: seconds since boot (with the kernel's two decimals). */
export function uptimeSeconds(): number {
  const t = tryReadText(procPath('uptime'));
  const m = t === undefined ? null : /^\s*(\d+(?:\.\d+)?)/.exec(t);
  if (!m) throw new ParseError('uptime', `unexpected ${JSON.stringify((t ?? '').slice(0, 40))}`);
  return Number(m[1]);
}

/** MemTotal of /proc/meminfo in KiB (what ps divides resident sizes by). */
export function memTotalKiB(): number {
  const t = tryReadText(procPath('meminfo')) ?? '';
  const m = /^MemTotal:\s*(\d+)/m.exec(t);
  if (!m) throw new ParseError('meminfo', 'no MemTotal line');
  return Number(m[1]);
}

/** How many digits the largest pid has (/proc/sys/kernel/pid_max), 5 when unknown: ps's pid column width. */
export function pidMaxDigits(): number {
  const t = tryReadText(procPath('sys', 'kernel', 'pid_max'));
  const v = t === undefined ? '' : t.replace(/\n$/, '');
  return v.length > 0 ? v.length : 5;
}

/** This process's own stat fields (ps uses its terminal and euid for its default selection). */
export function selfStat(): StatFields {
  const t = tryReadText(procPath('self', 'stat'));
  if (t === undefined) throw new ParseError('stat', 'cannot read self/stat');
  return parseStatFields(t, 'self/stat');
}

/**
 * cpu number → NUMA node, from sysfs (/sys/devices/system/node/node<N>/cpulist),
 * as libnuma's numa_node_of_cpu answers; -1 for a cpu in no node (or no NUMA
 * information at all).
 */
export function numaNodes(): (cpu: number) => number {
  const map = new Map<number, number>();
  let names: string[] = [];
  try {
    const d = opendirSync(sysPath('devices', 'system', 'node'));
    try {
      for (let e = d.readSync(); e !== null; e = d.readSync()) names.push(e.name);
    } finally {
      d.closeSync();
    }
  } catch {
    names = [];
  }
  for (const name of names) {
    const m = /^node(\d+)$/.exec(name);
    if (!m) continue;
    const list = tryReadText(sysPath('devices', 'system', 'node', name, 'cpulist'));
    if (list === undefined) continue;
    try {
      for (const cpu of parseCpuList(list)) map.set(cpu, Number(m[1]));
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
    }
  }
  return (cpu) => map.get(cpu) ?? -1;
}

/** The uid of a user name (getpwnam), or null when there is no such user. */
export function uidOfName(name: string): number | null {
  try {
    return native.getpwnam(name)?.uid ?? null;
  } catch {
    return null;
  }
}

/** The gid of a group name (getgrnam), or null when there is no such group. */
export function gidOfName(name: string): number | null {
  try {
    return native.getgrnam(name)?.gid ?? null;
  } catch {
    return null;
  }
}
