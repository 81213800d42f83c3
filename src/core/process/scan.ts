/**
 * The one bulk process scanner: one native call reads the chosen
 * /proc/<pid>/<file>s for every process (and, when asked, every thread), and
 * each task becomes one typed ProcRecord built by the one parser of each
 * file (core/procfs). A scan reads only the sources it is given: `ps -eo
 * pid,comm` reads stat alone, `ps aux` stat, status and cmdline. ps, the
 * psutil process table (processIter) and Process.children() are built on it.
 * Formatting (procps's escaping, names, widths) is the callers' business:
 * this module only reads and parses.
 */
import { statSync, readlinkSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { BulkScratch, native, type BulkRead } from '../../native/index.js';
import { ParseError } from '../base/errors.js';
import { getProcfsPath } from '../base/paths.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';
import { parseStat, type PidStat } from '../procfs/pid-stat.js';
import { StatusView, type StatusFields } from '../procfs/pid-status.js';
import { parseStatm, type PidStatm } from '../procfs/pid-statm.js';
import { parseIo, type PidIo } from '../procfs/pid-io.js';
import { parseSmapsRollupFields, type SmapsRollup } from '../procfs/pid-maps.js';
import { parseAutogroup, parseIntFile } from '../procfs/pid-misc.js';

/** What a scan can read (stat is always read). */
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
  | 'exe'
  /** The owner of /proc/<pid> (stat(2) of the directory): the euid procps uses when it does not read status. */
  | 'owner';

/** The namespaces procps reports, in its order. */
export const NS_NAMES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;

/** One process (or thread) as the kernel describes it. Fields of unread sources are null. */
export interface ProcRecord {
  /** Task id: the pid for a process, the thread id for a thread. */
  readonly tid: number;
  /** Thread group id: the process's pid. */
  readonly tgid: number;
  readonly stat: PidStat;
  readonly status: StatusFields | null;
  readonly statm: PidStatm | null;
  /** /proc/<pid>/cmdline as decoded ('' for kernel threads and zombies). */
  readonly cmdline: string | null;
  readonly environ: string | null;
  readonly cgroup: string | null;
  /** /proc/<pid>/wchan text ("0" when running). */
  readonly wchan: string | null;
  readonly io: PidIo | null;
  /** smaps_rollup's fields, KiB. */
  readonly smaps: SmapsRollup | null;
  readonly oomScore: number | null;
  readonly oomScoreAdj: number | null;
  readonly loginuid: number | null;
  readonly autogroup: { readonly id: number; readonly nice: number } | null;
  /** /proc/<pid>/attr/current (security label), as decoded. */
  readonly attrCurrent: string | null;
  /** Namespace inode per NS_NAMES entry; 0 when it cannot be read. */
  readonly ns: readonly number[] | null;
  /** The executable's path (readlink of exe), as decoded. */
  readonly exe: string | null;
  /** With `rawFiles`: each of those files' text, or -errno when it could not be read. */
  readonly raw: ReadonlyMap<string, string | number> | null;
  /** With 'owner': the uid that owns /proc/<pid> (the euid, root for a process that is not dumpable); null when not read. */
  readonly ownerUid: number | null;
}

/**
 * How kernel bytes become strings: 'bytes' (default) one char per byte
 * (latin1), as procps handles them; 'text' UTF-8 with any other byte kept as
 * U+DC80..U+DCFF (psutil's surrogateescape, core/base/text-bytes).
 */
export type ScanDecoding = 'bytes' | 'text';

export interface ScanOptions {
  /** Sources to read besides stat. */
  readonly sources?: Iterable<ScanSource>;
  /** Further /proc/<pid>/ files to hand back as text (ProcRecord.raw), unparsed. */
  readonly rawFiles?: readonly string[];
  /** Also return every thread (the leader first, read from the process's own files, as procps does). Synchronous scans only. */
  readonly threads?: boolean;
  /** Only these pids (in this order); default every process, ascending. */
  readonly pids?: readonly number[];
  /** Leave out kernel threads (procps's LIBPROC_HIDE_KERNEL). */
  readonly hideKernel?: boolean;
  readonly decoding?: ScanDecoding;
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
 * Reused by every synchronous scan (records hold strings, never the bytes):
 * a loop of scans allocates no Buffers. Two, since a thread listing reads
 * while the processes' bytes are still being decoded.
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

function exeLink(dir: string, decoding: ScanDecoding): string | null {
  try {
    return decoding === 'text'
      ? decodeSurrogateEscape(readlinkSync(`${dir}/exe`, { encoding: 'buffer' }))
      : readlinkSync(`${dir}/exe`, { encoding: 'latin1' });
  } catch {
    return null;
  }
}

/** One scan's files: their names in read order and where each sits. */
interface Plan {
  readonly names: string[];
  readonly at: Partial<Record<string, number>>;
  readonly want: Set<ScanSource>;
  readonly raw: readonly string[];
  readonly decoding: ScanDecoding;
}

function plan(opts: ScanOptions): Plan {
  const want = new Set<ScanSource>(opts.sources ?? []);
  const names = ['stat'];
  const at: Partial<Record<string, number>> = { stat: 0 };
  const add = (f: string): void => {
    if (at[f] === undefined) {
      at[f] = names.length;
      names.push(f);
    }
  };
  for (const s of want) for (const f of FILES[s] ?? []) add(f);
  const raw = opts.rawFiles ?? [];
  for (const f of raw) add(f);
  return { names, at, want, raw, decoding: opts.decoding ?? 'bytes' };
}

/** Decodes the files of one task (slots base..base+names.length-1 of `r`); null when stat is unreadable (gone). */
function record(r: BulkRead, base: number, p: Plan, tid: number, tgid: number, dir: string, index = -1): ProcRecord | null {
  const bytes = p.decoding === 'bytes';
  const slotLen = (f: string): number => {
    const i = p.at[f];
    return i === undefined ? -1 : r.slots[2 * (base + i) + 1]!;
  };
  const slot = (f: string): string | null => {
    const i = p.at[f];
    if (i === undefined) return null;
    const k = base + i;
    const len = r.slots[2 * k + 1]!;
    if (len < 0) return null;
    const off = r.slots[2 * k]!;
    // Decoded in place, without a Buffer view per slot in the byte form.
    return bytes ? r.data.toString('latin1', off, off + len) : decodeSurrogateEscape(r.data.subarray(off, off + len));
  };
  const stat = tryParse(slot('stat'), (t) => parseStat(t));
  if (!stat) return null;
  const w = p.want;
  let raw: Map<string, string | number> | null = null;
  if (p.raw.length > 0) {
    raw = new Map();
    for (const f of p.raw) {
      const len = slotLen(f);
      raw.set(f, len < 0 ? len : slot(f)!);
    }
  }
  const status = w.has('status') ? slot('status') : null;
  return {
    tid,
    tgid,
    stat,
    status: status === null ? null : new StatusView(status),
    statm: w.has('statm') ? tryParse(slot('statm'), (t) => parseStatm(t)) : null,
    cmdline: w.has('cmdline') ? slot('cmdline') : null,
    environ: w.has('environ') ? slot('environ') : null,
    cgroup: w.has('cgroup') ? slot('cgroup') : null,
    wchan: w.has('wchan') ? slot('wchan') : null,
    io: w.has('io') ? tryParse(slot('io'), (t) => parseIo(t)) : null,
    smaps: w.has('smaps') ? tryParse(slot('smaps_rollup'), (t) => parseSmapsRollupFields(t)) : null,
    oomScore: w.has('oom') ? tryParse(slot('oom_score'), (t) => parseIntFile(t, 'oom_score')) : null,
    oomScoreAdj: w.has('oom') ? tryParse(slot('oom_score_adj'), (t) => parseIntFile(t, 'oom_score_adj')) : null,
    loginuid: w.has('loginuid') ? tryParse(slot('loginuid'), (t) => parseIntFile(t, 'loginuid')) : null,
    autogroup: w.has('autogroup') ? tryParse(slot('autogroup'), (t) => parseAutogroup(t)) : null,
    attrCurrent: w.has('attr') ? slot('attr/current') : null,
    ns: w.has('ns') ? nsInodes(dir) : null,
    exe: w.has('exe') ? exeLink(dir, p.decoding) : null,
    raw,
    ownerUid: r.uids && index >= 0 && r.uids[index]! >= 0 ? r.uids[index]! : null,
  };
}

/** Whether a record is a kernel thread as procps's LIBPROC_HIDE_KERNEL sees it (kthreadd and its children). */
function hiddenKernel(rec: ProcRecord): boolean {
  return rec.stat.ppid === 2 || rec.tid === 2;
}

/** The threads of process `rec` after it (procps's order: the leader, then task/ in the kernel's order). */
function withThreads(out: ProcRecord[], rec: ProcRecord, p: Plan, root: string): void {
  const pid = rec.tid;
  const taskDir = `${root}/${pid}/task`;
  const tids = numericEntries(taskDir);
  // No task directory: the process is gone (procps then shows nothing of it).
  if (tids.length === 0) return;
  const others = tids.filter((t) => t !== pid);
  const tb = others.length ? taskScratch.read(taskDir, others, p.names, p.want.has('owner')) : null;
  const n = p.names.length;
  for (const tid of tids) {
    if (tid === pid) {
      out.push(rec);
      continue;
    }
    const k = others.indexOf(tid);
    const tr = record(tb!, k * n, p, tid, pid, `${taskDir}/${tid}`, k);
    // procps stops at a thread it cannot read and moves on to the next process.
    if (!tr) break;
    out.push(tr);
  }
}

/**
 * Scans the processes (and threads). A process whose stat cannot be read
 * (it exited mid-scan) is left out; any other unreadable file leaves its
 * field null, as procps leaves it empty.
 */
export function scanProcesses(opts: ScanOptions = {}): ProcRecord[] {
  const p = plan(opts);
  const root = getProcfsPath();
  const pids = opts.pids ? [...opts.pids] : scanPids();
  const bulk = procScratch.read(root, pids, p.names, p.want.has('owner'));
  const n = p.names.length;
  const out: ProcRecord[] = [];
  for (let i = 0; i < pids.length; i++) {
    const pid = pids[i]!;
    const rec = record(bulk, i * n, p, pid, pid, `${root}/${pid}`, i);
    if (!rec || (opts.hideKernel && hiddenKernel(rec))) continue;
    if (opts.threads) withThreads(out, rec, p, root);
    else out.push(rec);
  }
  return out;
}

/** Longest stretch of decoding between two yields to the event loop. */
const SLICE_MS = 0.5;

/**
 * scanProcesses off the main thread: the bulk read runs on libuv's thread
 * pool, decoding on the main thread in slices of at most SLICE_MS with a
 * turn of the event loop between slices. No threads.
 */
export async function scanProcessesAsync(opts: ScanOptions = {}): Promise<ProcRecord[]> {
  if (opts.threads) throw new TypeError('scanProcessesAsync lists processes only (threads: false)');
  const p = plan(opts);
  const root = getProcfsPath();
  const pids = opts.pids ? [...opts.pids] : scanPids();
  const bulk = await native.readProcAsync(root, pids, p.names, p.want.has('owner'));
  const n = p.names.length;
  const out: ProcRecord[] = [];
  let i = 0;
  while (i < pids.length) {
    const until = performance.now() + SLICE_MS;
    do {
      const pid = pids[i]!;
      const rec = record(bulk, i * n, p, pid, pid, `${root}/${pid}`, i);
      i++;
      if (rec && !(opts.hideKernel && hiddenKernel(rec))) out.push(rec);
    } while (i < pids.length && performance.now() < until);
    if (i < pids.length) await yieldToLoop();
  }
  return out;
}
