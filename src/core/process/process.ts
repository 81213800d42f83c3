/**
 * psutil's Process class for Linux, and waitProcs. processIter is a
 * ProcessTable (process/table) built on the bulk scanner (process/scan).
 *
 * A Process is bound to (pid, start time in clock ticks since boot, stat field
 * 22): the identity. Methods that change a process (signals, nice, ionice,
 * affinity, rlimit) and children()/parent() check it first and raise
 * NoSuchProcess when the pid now names another process. Every errno from a
 * read or a syscall goes through one mapper, mapProcessError().
 */
import { accessSync, constants as fsConstants, readdirSync, readlinkSync, statSync } from 'node:fs';
import { BulkScratch, bulkSlot, native } from '../../native/index.js';
import {
  IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE, IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, STATUS_DEAD, STATUS_DISK_SLEEP,
  STATUS_IDLE, STATUS_PARKED, STATUS_RUNNING, STATUS_SLEEPING, STATUS_STOPPED, STATUS_TRACING_STOP,
  STATUS_WAKE_KILL, STATUS_WAKING, STATUS_ZOMBIE, type ProcessStatus,
} from '../base/constants.js';
import { processNetConnections, type ConnKind, type ProcessConnection } from '../net/connections.js';
import { AccessDenied, NoSuchProcess, ZombieProcess } from '../base/errors.js';
import { processMemoryMaps, processOpenFiles, type MemoryMap, type MemoryMapExt, type OpenFile } from './maps.js';
import { virtualMemory } from '../system/memory.js';
import { getProcfsPath, procPath, sysPath } from '../base/paths.js';
import { pids } from './pids.js';
import { errCode, freshStat, mapProcessError, reusedError, slotError } from './errors.js';
import { parseStat, PF_KTHREAD, type PidStat } from '../procfs/pid-stat.js';
import {
  parseCpuList, statusGroups, statusIds, statusInt, statusSigmasks, statusUmask, statusValue, type SignalMasks,
} from '../procfs/pid-status.js';
import { parseStatm } from '../procfs/pid-statm.js';
import { parseIo } from '../procfs/pid-io.js';
import { parseCmdline, parseEnviron } from '../procfs/pid-cmdline.js';
import { parseSmapsRollup, type SmapsTotals } from '../procfs/pid-maps.js';
import { scanProcesses, type ProcRecord } from './scan.js';
import { terminalMap, terminalName, type TerminalMap } from './terminal.js';
import { monotonic, sleepSync } from '../base/clock.js';
import { waitSync } from './wait.js';
import { readText, tryReadText } from '../base/read.js';
import { clockTicks, pageSize } from '../base/sysconf.js';
import { bootTime } from '../system/system.js';
import { userNameOrId } from '../base/users.js';
import { decodeSurrogateEscape } from '../base/text-bytes.js';

export { mapProcessError } from './errors.js';

/** Reused by threads() (decoded before it returns). */
const threadsScratch = new BulkScratch();
export { waitProcs, type WaitProcsOptions, type WaitProcsResult } from './wait.js';

// ------------------------------------------------------------------ result types

/** psutil's puids / pgids. */
export interface ProcessIds {
  readonly real: number;
  readonly effective: number;
  readonly saved: number;
}

/** psutil's pcputimes for Linux, seconds. */
export interface ProcessCpuTimes {
  readonly user: number;
  readonly system: number;
  readonly childrenUser: number;
  readonly childrenSystem: number;
  /** Time waiting for block I/O (delayacct_blkio_ticks). */
  readonly iowait: number;
}

/** psutil's pmem for Linux, bytes (statm × page size). */
export interface ProcessMemoryInfo {
  readonly rss: number;
  readonly vms: number;
  readonly shared: number;
  readonly text: number;
  readonly lib: number;
  readonly data: number;
  readonly dirty: number;
}

/** psutil's pfullmem: pmem + uss, pss, swap. */
export interface ProcessMemoryFullInfo extends ProcessMemoryInfo {
  readonly uss: number;
  readonly pss: number;
  readonly swap: number;
}

/** psutil's pio for Linux. */
export interface ProcessIoCounters {
  readonly readCount: number;
  readonly writeCount: number;
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly readChars: number;
  readonly writeChars: number;
}

/** psutil's pctxsw. */
export interface ProcessCtxSwitches {
  readonly voluntary: number;
  readonly involuntary: number;
}

/** psutil's pthread. */
export interface ProcessThread {
  readonly id: number;
  readonly userTime: number;
  readonly systemTime: number;
}

/** psutil's pionice: ioclass is one of IOPRIO_CLASS_*, value 0-7. */
export interface ProcessIonice {
  readonly ioclass: number;
  readonly value: number;
}

export type { SignalMasks } from '../procfs/pid-status.js';

/** The fields memoryPercent accepts (pfullmem's). */
export type MemType = keyof ProcessMemoryFullInfo;
const PMEM_FIELDS = ['rss', 'vms', 'shared', 'text', 'lib', 'data', 'dirty'] as const;
const PFULLMEM_FIELDS = [...PMEM_FIELDS, 'uss', 'pss', 'swap'] as const;

const PROC_STATUSES: Record<string, ProcessStatus> = {
  R: STATUS_RUNNING,
  S: STATUS_SLEEPING,
  D: STATUS_DISK_SLEEP,
  T: STATUS_STOPPED,
  t: STATUS_TRACING_STOP,
  Z: STATUS_ZOMBIE,
  X: STATUS_DEAD,
  x: STATUS_DEAD,
  K: STATUS_WAKE_KILL,
  W: STATUS_WAKING,
  I: STATUS_IDLE,
  P: STATUS_PARKED,
};

// ------------------------------------------------------------------ shared state

/** Boot time per procfs root (psutil keeps it once read; processIter refreshes it). */
const bootTimes = new Map<string, number>();
/** @internal */
export function cachedBootTime(refresh = false): number {
  const root = getProcfsPath();
  let bt = bootTimes.get(root);
  if (bt === undefined || refresh) {
    bt = bootTime();
    bootTimes.set(root, bt);
  }
  return bt;
}

/** Total physical memory per procfs root (psutil's _TOTAL_PHYMEM). */
const memTotals = new Map<string, number>();
function totalPhysicalMemory(): number {
  const root = getProcfsPath();
  let t = memTotals.get(root);
  if (t === undefined) {
    t = virtualMemory().total;
    memTotals.set(root, t);
  }
  return t;
}

const lowestPids = new Map<string, number>();
function lowestPid(): number {
  const root = getProcfsPath();
  let p = lowestPids.get(root);
  if (p === undefined) {
    p = pids()[0] ?? 1;
    lowestPids.set(root, p);
  }
  return p;
}

/** Python's repr of a str, enough for names and statuses. */
function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(new RegExp(q, 'g'), `\\${q}`);
  return q + body + q;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
/** psutil's _pprint_secs: local time, the date only when more than a day ago. */
function pprintSecs(secs: number): string {
  const d = new Date(secs * 1000);
  const hms = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  if (Date.now() / 1000 - secs < 86400) return hms;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${hms}`;
}

// ------------------------------------------------------------------ the oneshot cache

/** What a oneshot scope (or a bulk scan) has read: file texts, or -errno for a failed bulk read. */
/** @internal */
export interface OneshotCache {
  text: Map<string, string | number>;
  stat?: PidStat;
  tmap?: TerminalMap;
  /** A scan's shared terminal map, built on first need. */
  terminals?: () => TerminalMap;
}

function newCache(): OneshotCache {
  return { text: new Map() };
}

/** A parsed stat handed to the constructor by a scan (no second read). */
class Seed {
  constructor(readonly stat: PidStat) {}
}

// ------------------------------------------------------------------ attrs (asDict, processIter)

type AttrFn = (p: Process) => unknown;

/** Every attribute asDict/processIter can collect: psutil's as_dict names, camelCased, plus pypsutil's extras. */
const ATTRS: Record<string, AttrFn> = {
  cmdline: (p) => p.cmdline(),
  netConnections: (p) => p.netConnections(),
  cpuAffinity: (p) => p.cpuAffinity(),
  cpuNum: (p) => p.cpuNum(),
  cpuPercent: (p) => p.cpuPercent(),
  cpuTimes: (p) => p.cpuTimes(),
  createTime: (p) => p.createTime(),
  cwd: (p) => p.cwd(),
  environ: (p) => p.environ(),
  exe: (p) => p.exe(),
  gids: (p) => p.gids(),
  ioCounters: (p) => p.ioCounters(),
  ionice: (p) => p.ionice(),
  memoryFullInfo: (p) => p.memoryFullInfo(),
  memoryInfo: (p) => p.memoryInfo(),
  memoryMaps: (p) => p.memoryMaps(),
  memoryPercent: (p) => p.memoryPercent(),
  name: (p) => p.name(),
  nice: (p) => p.nice(),
  numCtxSwitches: (p) => p.numCtxSwitches(),
  numFds: (p) => p.numFds(),
  numThreads: (p) => p.numThreads(),
  openFiles: (p) => p.openFiles(),
  pid: (p) => p.pid,
  ppid: (p) => p.ppid(),
  status: (p) => p.status(),
  terminal: (p) => p.terminal(),
  threads: (p) => p.threads(),
  uids: (p) => p.uids(),
  username: (p) => p.username(),
  // pypsutil's extras
  pgid: (p) => p.pgid(),
  sid: (p) => p.sid(),
  umask: (p) => p.umask(),
  sigmasks: (p) => p.sigmasks(),
  getgroups: (p) => p.getgroups(),
  root: (p) => p.root(),
};

/** psutil's old name for netConnections. */
const ALIASES: Record<string, string> = { connections: 'netConnections' };

/** The names asDict() and processIter({ attrs }) accept (snake_case psutil names are accepted too). */
export const PROCESS_ATTRS: readonly string[] = Object.keys(ATTRS);

/** The /proc/<pid> files each attribute reads; the bulk scanner reads their union. */
const ATTR_SOURCES: Record<string, readonly string[]> = {
  ppid: ['stat'], name: ['stat'], status: ['stat'], terminal: ['stat'], createTime: ['stat'], cpuTimes: ['stat'],
  cpuPercent: ['stat'], cpuNum: ['stat'], nice: ['stat'], pgid: ['stat'], sid: ['stat'],
  cmdline: ['cmdline'], environ: ['environ'],
  memoryInfo: ['statm'], memoryPercent: ['statm'], memoryFullInfo: ['statm', 'smaps_rollup'],
  uids: ['status'], gids: ['status'], username: ['status'], numCtxSwitches: ['status'], numThreads: ['status'],
  umask: ['status'], sigmasks: ['status'], getgroups: ['status'],
  ioCounters: ['io'],
};

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** attrs → [key in the result, attribute name]; undefined or [] → every attribute. */
/** @internal */
export function resolveAttrs(attrs: readonly string[] | undefined): Array<[string, string]> {
  if (attrs === undefined || attrs.length === 0) return PROCESS_ATTRS.map((a) => [a, a]);
  if (!Array.isArray(attrs)) throw new TypeError(`invalid attrs type ${typeof attrs}`);
  const out: Array<[string, string]> = [];
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const key of attrs) {
    if (typeof key !== 'string') throw new TypeError('attrs must be strings');
    if (seen.has(key)) continue;
    seen.add(key);
    let name = camel(key);
    name = ALIASES[name] ?? name;
    if (!(name in ATTRS)) bad.push(key);
    else out.push([key, name]);
  }
  if (bad.length) throw new RangeError(`invalid attr name${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ')}`);
  return out;
}

/** @internal */
export function sourcesOf(attrs: ReadonlyArray<[string, string]>): string[] {
  const set = new Set<string>(['stat']);
  for (const [, name] of attrs) for (const s of ATTR_SOURCES[name] ?? []) set.add(s);
  return [...set];
}

// ------------------------------------------------------------------ Process

export interface AsDictOptions {
  /** Attribute names (camelCase, or psutil's snake_case); default: all. */
  readonly attrs?: readonly string[];
  /** The value for an attribute that raised AccessDenied or ZombieProcess (default null). */
  readonly adValue?: unknown;
}

export interface WaitOptions {
  /** Seconds; TimeoutExpired when the process still runs after it. Default: forever. */
  readonly timeout?: number;
}

/** psutil's Process: one process, bound to (pid, start time). */
export class Process {
  /** The process id. */
  readonly pid: number;
  /** With attrs, what processIter collected (psutil's `info`). */
  info: Record<string, unknown> | undefined = undefined;

  /** @internal Start time in clock ticks since boot: with the pid, the identity. */
  readonly _ticks: number;
  /** @internal The name, once known (for error messages). */
  _name: string | null = null;
  /** @internal */
  _cache: OneshotCache | null = null;
  /** @internal The exit code once waited for (null: unknown), undefined before. */
  _exitcode: number | null | undefined = undefined;
  private readonly _createTime: number;
  private _exe: string | undefined = undefined;
  private _lastCpu: { t: number; busy: number } | undefined = undefined;
  private _gone = false;

  /**
   * Binds to the process `pid` (default: this one). NoSuchProcess when there
   * is no such process.
   */
  constructor(pid: number = process.pid, seed?: unknown) {
    if (typeof pid !== 'number' || !Number.isInteger(pid)) throw new TypeError(`pid must be an integer (got ${String(pid)})`);
    if (pid < 0) throw new RangeError(`pid must be a positive integer (got ${pid})`);
    this.pid = pid;
    let st: PidStat;
    if (seed instanceof Seed) st = seed.stat;
    else {
      let text: string;
      try {
        text = readText(procPath(pid, 'stat'));
      } catch (e) {
        const code = errCode(e);
        if (code === 'ENOENT' || code === 'ESRCH') throw new NoSuchProcess(pid, null, `process PID not found (pid=${pid})`);
        if (code === 'EPERM' || code === 'EACCES') throw new AccessDenied(pid);
        throw e;
      }
      st = parseStat(text);
    }
    this._ticks = st.starttime;
    this._createTime = cachedBootTime() + st.starttime / clockTicks();
  }

  /** @internal A Process from a stat a scan already read. */
  static _fromStat(pid: number, stat: PidStat): Process {
    return new Process(pid, new Seed(stat));
  }

  // -------------------------------------------------------------- plumbing

  /** @internal Maps an errno error through the one mapper. */
  _map(e: unknown): unknown {
    return mapProcessError(this, e);
  }

  /** @internal A /proc/<pid>/<name> file's text, from the oneshot cache when active. */
  _read(name: string): string {
    const c = this._cache;
    if (c !== null) {
      const v = c.text.get(name);
      if (v !== undefined) {
        if (typeof v === 'number') throw this._map(slotError(v, procPath(this.pid, name)));
        return v;
      }
    }
    let t: string;
    try {
      t = readText(procPath(this.pid, name));
    } catch (e) {
      throw this._map(e);
    }
    if (c !== null) c.text.set(name, t);
    return t;
  }

  /** @internal */
  _stat(): PidStat {
    const c = this._cache;
    if (c?.stat) return c.stat;
    const st = parseStat(this._read('stat'));
    if (c !== null) c.stat = st;
    return st;
  }

  private _call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this._map(e);
    }
  }

  private _readlink(name: string): string {
    return this._call(() => {
      let path = decodeSurrogateEscape(readlinkSync(procPath(this.pid, name), { encoding: 'buffer' })).split('\0')[0]!;
      // ' (deleted)' is often bogus (the file exists); drop it only when the path is really gone (psutil).
      if (path.endsWith(' (deleted)') && !pathExistsStrict(path)) path = path.slice(0, -10);
      return path;
    });
  }

  /**
   * Raises NoSuchProcess when the process is gone or its pid now names
   * another process (start time differs). Used before every change.
   * @internal
   */
  _assertSame(): void {
    const now = freshStat(this.pid);
    if (now === undefined) {
      this._gone = true;
      throw new NoSuchProcess(this.pid, this._name);
    }
    if (now.starttime !== this._ticks) throw reusedError(this);
  }

  /** Whether the process is a live kernel thread (same identity). */
  private _isKernelThread(): boolean {
    const now = freshStat(this.pid);
    return now !== undefined && now.starttime === this._ticks && now.state !== 'Z' && (now.flags & PF_KTHREAD) !== 0;
  }

  // -------------------------------------------------------------- identity and utilities

  /** Same process: same pid and same start time. */
  equals(other: unknown): boolean {
    return other instanceof Process && other.pid === this.pid && other._ticks === this._ticks;
  }

  /**
   * Runs `fn` with a cache: one read of stat/status/statm/... feeds every
   * method called inside (psutil's oneshot()). `fn` must be synchronous.
   */
  oneshot<T>(fn: () => T): T {
    if (this._cache !== null) return fn();
    this._cache = newCache();
    try {
      return fn();
    } finally {
      this._cache = null;
    }
  }

  /** @internal Runs `fn` with a cache seeded by a scan. */
  _withCache<T>(cache: OneshotCache, fn: () => T): T {
    const prev = this._cache;
    this._cache = cache;
    try {
      return fn();
    } finally {
      this._cache = prev;
    }
  }

  /**
   * Many attributes at once, in one oneshot scope (psutil's as_dict):
   * AccessDenied and ZombieProcess give `adValue`; NoSuchProcess propagates.
   */
  asDict(opts: AsDictOptions = {}): Record<string, unknown> {
    const list = resolveAttrs(opts.attrs);
    return this.oneshot(() => this._collect(list, opts.adValue ?? null));
  }

  /** @internal */
  _collect(list: ReadonlyArray<[string, string]>, adValue: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, name] of list) {
      try {
        out[key] = ATTRS[name]!(this);
      } catch (e) {
        if (e instanceof AccessDenied || e instanceof ZombieProcess) out[key] = adValue;
        else throw e;
      }
    }
    return out;
  }

  /** Whether the process still runs with this identity (a zombie counts as running, as in psutil). */
  isRunning(): boolean {
    if (this._gone) return false;
    const now = freshStat(this.pid);
    if (now === undefined) {
      this._gone = true;
      return false;
    }
    return now.starttime === this._ticks;
  }

  /** psutil's repr: `ptools.Process(pid=1, name='init', status='sleeping', started='12:00:00')`. */
  toString(): string {
    const info: string[] = [`pid=${this.pid}`];
    let name = this._name;
    let status: string | undefined;
    this.oneshot(() => {
      try {
        name = this.name();
        status = this.status();
      } catch (e) {
        if (e instanceof ZombieProcess) status = 'zombie';
        else if (e instanceof NoSuchProcess) status = 'terminated';
        else if (!(e instanceof AccessDenied)) throw e;
      }
    });
    if (name) info.push(`name=${pyRepr(name)}`);
    if (status !== undefined) info.push(`status=${pyRepr(status)}`);
    if (this._exitcode !== undefined && this._exitcode !== null) info.push(`exitcode=${this._exitcode}`);
    info.push(`started=${pyRepr(pprintSecs(this._createTime))}`);
    return `ptools.${this.constructor.name}(${info.join(', ')})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // -------------------------------------------------------------- stat-based

  /** The parent's pid (not cached: it becomes 1, or a subreaper, when the parent dies). */
  ppid(): number {
    return this._stat().ppid;
  }

  /**
   * The name: stat's comm (15 bytes at most), or the basename of cmdline[0]
   * when that starts with the comm (psutil's rule for truncated names).
   */
  name(): string {
    const st = this._stat();
    let name = st.comm;
    // A kernel thread has no command line to extend from (and its comm may be long: kworker/...).
    if (name.length >= 15 && (st.flags & PF_KTHREAD) === 0) {
      try {
        const cmd = this.cmdline();
        if (cmd.length > 0) {
          const ext = cmd[0]!.slice(cmd[0]!.lastIndexOf('/') + 1);
          if (ext.startsWith(name)) name = ext;
        }
      } catch (e) {
        if (!(e instanceof AccessDenied)) throw e;
      }
    }
    this._name = name;
    return name;
  }

  /** One of the STATUS_* constants ('?' for a state letter psutil does not know). */
  status(): ProcessStatus | '?' {
    try {
      return PROC_STATUSES[this._stat().state] ?? '?';
    } catch (e) {
      if (e instanceof ZombieProcess) return STATUS_ZOMBIE;
      throw e;
    }
  }

  /** Creation time, seconds since the epoch: boot time + start ticks / clock ticks (fixed at construction). */
  createTime(): number {
    return this._createTime;
  }

  /** The controlling terminal ('/dev/pts/3'), or null. */
  terminal(): string | null {
    const tty = this._stat().ttyNr;
    if (tty === 0) return null;
    const c = this._cache;
    let map = c?.terminals?.() ?? c?.tmap;
    if (map === undefined) {
      map = terminalMap();
      if (c) c.tmap = map;
    }
    return terminalName(tty, map);
  }

  /** psutil's cpu_times(): user, system, children's, and iowait (block I/O delay), seconds. */
  cpuTimes(): ProcessCpuTimes {
    const st = this._stat();
    const hz = clockTicks();
    return {
      user: st.utime / hz,
      system: st.stime / hz,
      childrenUser: st.cutime / hz,
      childrenSystem: st.cstime / hz,
      iowait: st.blkioTicks / hz,
    };
  }

  /**
   * CPU use in percent of one CPU since the last call (or over `interval`
   * seconds, blocking): Δ(user+system) / Δmonotonic × 100, rounded to 0.1;
   * may exceed 100 with several threads. The first non-blocking call
   * returns 0.
   */
  cpuPercent(opts: { interval?: number | null } = {}): number {
    const interval = opts.interval ?? null;
    if (interval !== null && !(interval >= 0)) throw new RangeError(`interval is not positive (got ${interval})`);
    const busy = (): number => {
      const t = this.cpuTimes();
      return t.user + t.system;
    };
    let t1: number;
    let b1: number;
    if (interval !== null && interval > 0) {
      t1 = monotonic();
      b1 = busy();
      sleepSync(interval);
      // A fresh read: a oneshot cache must not hand back the first sample.
      const saved = this._cache;
      this._cache = null;
      try {
        const b2 = busy();
        const t2 = monotonic();
        this._lastCpu = { t: t2, busy: b2 };
        return percentOf(b2 - b1, t2 - t1);
      } finally {
        this._cache = saved;
      }
    }
    const b2 = busy();
    const t2 = monotonic();
    const last = this._lastCpu;
    this._lastCpu = { t: t2, busy: b2 };
    if (last === undefined) return 0;
    t1 = last.t;
    b1 = last.busy;
    return percentOf(b2 - b1, t2 - t1);
  }

  /** The CPU the process last ran on. */
  cpuNum(): number {
    return this._stat().processor;
  }

  /** Process group id (pypsutil). */
  pgid(): number {
    return this._stat().pgrp;
  }

  /** Session id (pypsutil). */
  sid(): number {
    return this._stat().session;
  }

  /** Get the nice value (-20..19)... */
  nice(): number;
  /** ...or set it (identity checked first). */
  nice(value: number): void;
  nice(value?: number): number | void {
    if (value === undefined) return this._stat().nice;
    if (!Number.isInteger(value)) throw new TypeError(`nice value must be an integer (got ${String(value)})`);
    this._assertSame();
    this._call(() => native.setpriority(this.pid, value));
  }

  // -------------------------------------------------------------- status-based

  private _status(): string {
    return this._read('status');
  }

  /** Real, effective and saved user ids. */
  uids(): ProcessIds {
    const { real, effective, saved } = statusIds(this._status(), 'Uid');
    return { real, effective, saved };
  }

  /** Real, effective and saved group ids. */
  gids(): ProcessIds {
    const { real, effective, saved } = statusIds(this._status(), 'Gid');
    return { real, effective, saved };
  }

  /** The name of the real user (the uid as a string when it has no name). */
  username(): string {
    return userNameOrId(this.uids().real);
  }

  /** Supplementary group ids (pypsutil). */
  getgroups(): number[] {
    return statusGroups(this._status());
  }

  /** The umask (pypsutil; Linux 4.7+), null when the kernel does not say; ZombieProcess for a zombie. */
  umask(): number | null {
    const text = this._status();
    const u = statusUmask(text);
    if (u === null && statusValue(text, 'State')?.trim().startsWith('Z')) {
      throw new ZombieProcess(this.pid, this._name, this._stat().ppid);
    }
    return u;
  }

  /** Pending, blocked, ignored and caught signals (pypsutil); glibc's internal 32 and 33 only with includeInternal. */
  sigmasks(opts: { includeInternal?: boolean } = {}): SignalMasks {
    return statusSigmasks(this._status(), opts.includeInternal ?? false);
  }

  /** Voluntary and involuntary context switches. */
  numCtxSwitches(): ProcessCtxSwitches {
    const text = this._status();
    return {
      voluntary: statusInt(text, 'voluntary_ctxt_switches'),
      involuntary: statusInt(text, 'nonvoluntary_ctxt_switches'),
    };
  }

  /** Number of threads. */
  numThreads(): number {
    return statusInt(this._status(), 'Threads');
  }

  // -------------------------------------------------------------- other files

  /** The command line (psutil's splitting rules); [] for zombies and kernel threads. */
  cmdline(): string[] {
    return parseCmdline(this._read('cmdline'));
  }

  /** The environment the process started with. A kernel thread has none: {}. */
  environ(): Record<string, string> {
    try {
      return parseEnviron(this._read('environ'));
    } catch (e) {
      // ESRCH: no memory to read. psutil says NoSuchProcess even for a live kernel thread; {} is the truth.
      if (e instanceof NoSuchProcess && !(e instanceof ZombieProcess) && this._isKernelThread()) return {};
      throw e;
    }
  }

  /** Read and write counts and bytes (/proc/<pid>/io). */
  ioCounters(): ProcessIoCounters {
    const io = parseIo(this._read('io'));
    return {
      readCount: io.syscr,
      writeCount: io.syscw,
      readBytes: io.readBytes,
      writeBytes: io.writeBytes,
      readChars: io.rchar,
      writeChars: io.wchar,
    };
  }

  /** rss, vms, shared, text, lib, data, dirty in bytes (statm × page size). */
  memoryInfo(): ProcessMemoryInfo {
    const m = parseStatm(this._read('statm'));
    const ps = pageSize();
    return {
      rss: m.resident * ps,
      vms: m.size * ps,
      shared: m.shared * ps,
      text: m.text * ps,
      lib: m.lib * ps,
      data: m.data * ps,
      dirty: m.dirty * ps,
    };
  }

  /** memoryInfo + uss, pss, swap (smaps_rollup; smaps on kernels without it). A kernel thread has 0 of each. */
  memoryFullInfo(): ProcessMemoryFullInfo {
    let totals: SmapsTotals;
    try {
      totals = parseSmapsRollup(this._read('smaps_rollup'));
    } catch (e) {
      if (e instanceof NoSuchProcess && !(e instanceof ZombieProcess) && this._isKernelThread()) {
        // psutil raises ZombieProcess for a kernel thread (ESRCH: no mm); it has no user memory at all.
        totals = { uss: 0, pss: 0, swap: 0 };
      } else if (errCode(e) === 'ENOENT') {
        // The live process has no smaps_rollup: a kernel older than 4.14.
        totals = parseSmapsRollup(this._read('smaps'), 'smaps');
      } else throw e;
    }
    return { ...this.memoryInfo(), ...totals };
  }

  /** Memory (rss by default, or any pfullmem field) as a percent of total physical memory. */
  memoryPercent(opts: { memtype?: MemType } = {}): number {
    const memtype = opts.memtype ?? 'rss';
    if (!(PFULLMEM_FIELDS as readonly string[]).includes(memtype)) {
      throw new RangeError(`invalid memtype '${String(memtype)}'; valid types are ${PFULLMEM_FIELDS.join(', ')}`);
    }
    const info = (PMEM_FIELDS as readonly string[]).includes(memtype) ? this.memoryInfo() : this.memoryFullInfo();
    const value = (info as unknown as Record<string, number>)[memtype]!;
    const total = totalPhysicalMemory();
    if (!(total > 0)) throw new RangeError(`can't calculate process memory percent because total physical system memory is not positive (${total})`);
    return (value / total) * 100;
  }

  /** Mapped regions (smaps): grouped by path (default), or one per mapping with addr and perms. */
  memoryMaps(opts?: { grouped?: true }): MemoryMap[];
  memoryMaps(opts: { grouped: false }): MemoryMapExt[];
  memoryMaps(opts?: { grouped?: boolean }): MemoryMap[] | MemoryMapExt[];
  memoryMaps(opts: { grouped?: boolean } = {}): MemoryMap[] | MemoryMapExt[] {
    return this._call(() => processMemoryMaps(this.pid, opts));
  }

  /** Regular files the process has open, with position, mode and flags. */
  openFiles(): OpenFile[] {
    return this._call(() => processOpenFiles(this.pid));
  }

  /** Sockets the process holds, filtered by kind (default 'inet'). */
  netConnections(opts: { kind?: ConnKind } = {}): ProcessConnection[] {
    const out = this._call(() => processNetConnections(this.pid, opts.kind ?? 'inet'));
    // psutil's _assert_alive: an empty answer from a process that is gone is an error.
    this._call(() => statSync(procPath(this.pid)));
    return out;
  }

  /** psutil < 6 name of netConnections. */
  connections(opts: { kind?: ConnKind } = {}): ProcessConnection[] {
    return this.netConnections(opts);
  }

  /** Number of open file descriptors. */
  numFds(): number {
    return this._call(() => readdirSync(procPath(this.pid, 'fd')).length);
  }

  /** Threads with their CPU times (task/<tid>/stat). */
  threads(): ProcessThread[] {
    const dir = procPath(this.pid, 'task');
    // psutil sorts the task directory's names as strings: 1000 comes before 995.
    const tids = this._call(() => readdirSync(dir))
      .filter((n) => /^\d+$/.test(n))
      .sort()
      .map(Number);
    const bulk = threadsScratch.read(dir, tids, ['stat']);
    const hz = clockTicks();
    const out: ProcessThread[] = [];
    let vanished = false;
    tids.forEach((tid, i) => {
      const slot = bulkSlot(bulk, i);
      if (typeof slot === 'number') {
        // A thread that ended while we looked.
        vanished = true;
        return;
      }
      const st = parseStat(decodeSurrogateEscape(slot), 'task stat');
      out.push({ id: tid, userTime: st.utime / hz, systemTime: st.stime / hz });
    });
    if (vanished) this._call(() => statSync(procPath(this.pid)));
    return out;
  }

  /** The executable's path; '' when there is none (kernel threads, zombies). Cached after the first call. */
  exe(): string {
    if (this._exe !== undefined) return this._exe;
    let exe: string;
    try {
      exe = decodeSurrogateEscape(readlinkSync(procPath(this.pid, 'exe'), { encoding: 'buffer' })).split('\0')[0]!;
      if (exe.endsWith(' (deleted)') && !pathExistsStrict(exe)) exe = exe.slice(0, -10);
    } catch (e) {
      const code = errCode(e);
      if (code === 'EPERM' || code === 'EACCES') return this._guessExe(new AccessDenied(this.pid, this._name)) as string;
      if (code !== 'ENOENT' && code !== 'ESRCH') throw this._map(e);
      const now = freshStat(this.pid);
      if (now === undefined) throw new NoSuchProcess(this.pid, this._name);
      if (now.starttime !== this._ticks) throw reusedError(this);
      // The link is absent for kernel threads and zombies: psutil returns ''.
      exe = '';
    }
    if (exe === '') {
      try {
        exe = this._guessExe('') as string;
      } catch (e) {
        if (!(e instanceof AccessDenied)) throw e;
      }
    }
    this._exe = exe;
    return exe;
  }

  /** psutil's guess_it: an absolute, executable cmdline[0], else the fallback (raised when it is an error). */
  private _guessExe(fallback: string | AccessDenied): string {
    const cmd = this.cmdline();
    const first = cmd[0];
    if (first !== undefined && first.startsWith('/')) {
      try {
        if (statSync(first).isFile()) {
          accessSync(first, fsConstants.X_OK);
          return first;
        }
      } catch {
        // not it
      }
    }
    if (fallback instanceof AccessDenied) throw fallback;
    return fallback;
  }

  /** The current working directory. */
  cwd(): string {
    return this._readlink('cwd');
  }

  /** The root directory (pypsutil; differs from '/' under chroot). */
  root(): string {
    return this._readlink('root');
  }

  // -------------------------------------------------------------- syscalls

  /** Get the I/O priority... */
  ionice(): ProcessIonice;
  /** ...or set it: class IOPRIO_CLASS_*, value 0-7 (only for RT and BE). Identity checked first. */
  ionice(ioclass: number, value?: number): void;
  ionice(ioclass?: number, value?: number): ProcessIonice | void {
    if (ioclass === undefined) {
      if (value !== undefined) throw new TypeError("'ioclass' argument must be specified");
      const [cls, val] = this._call(() => native.ioprioGet(this.pid));
      return { ioclass: cls, value: val };
    }
    const v = value ?? 0;
    if (![IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE].includes(ioclass)) {
      throw new RangeError(`invalid ioclass ${ioclass}`);
    }
    if (v && (ioclass === IOPRIO_CLASS_IDLE || ioclass === IOPRIO_CLASS_NONE)) throw new RangeError(`${ioclass} ioclass accepts no value`);
    if (!Number.isInteger(v) || v < 0 || v > 7) throw new RangeError('value not in 0-7 range');
    this._assertSame();
    this._call(() => native.ioprioSet(this.pid, ioclass, v));
  }

  /** Get a resource limit as [soft, hard] (RLIM_INFINITY is -1)... */
  rlimit(resource: number): [number, number];
  /** ...or set it (identity checked first). */
  rlimit(resource: number, limits: readonly [number, number]): void;
  rlimit(resource: number, limits?: readonly [number, number]): [number, number] | void {
    if (this.pid === 0) throw new RangeError("can't use prlimit() against PID 0 process");
    if (limits === undefined) return this._call(() => native.prlimit(this.pid, resource));
    if (!Array.isArray(limits) || limits.length !== 2) throw new TypeError(`second argument must be a [soft, hard] pair, got ${JSON.stringify(limits)}`);
    const [soft, hard] = limits;
    if (!Number.isInteger(soft) || !Number.isInteger(hard)) throw new TypeError('limits must be integers (RLIM_INFINITY is -1)');
    // Python's resource.prlimit check, before the kernel's EINVAL
    if (hard >= 0 && (soft < 0 || soft > hard)) throw new RangeError('current limit exceeds maximum limit');
    this._assertSame();
    this._call(() => native.prlimit(this.pid, resource, soft, hard));
  }

  /** Get the CPUs the process may run on (ascending)... */
  cpuAffinity(): number[];
  /** ...or set them ([] means every eligible CPU). Identity checked first. */
  cpuAffinity(cpus: readonly number[]): void;
  cpuAffinity(cpus?: readonly number[]): number[] | void {
    if (cpus === undefined) return [...new Set(this._call(() => native.schedGetaffinity(this.pid)))].sort((a, b) => a - b);
    let list = [...new Set(cpus)];
    if (list.length === 0) list = this._eligibleCpus();
    for (const c of list) if (!Number.isInteger(c) || c < 0) throw new RangeError(`invalid CPU ${JSON.stringify(c)}`);
    this._assertSame();
    try {
      native.schedSetaffinity(this.pid, list);
    } catch (e) {
      if (errCode(e) === 'EINVAL') {
        const eligible = this._eligibleCpus();
        const all = onlineCpuCount();
        for (const c of list) {
          if (c >= all) throw new RangeError(`invalid CPU number ${c}; choose between ${JSON.stringify(eligible)}`);
          if (!eligible.includes(c)) throw new RangeError(`CPU number ${c} is not eligible; choose between ${JSON.stringify(eligible)}`);
        }
      }
      throw this._map(e);
    }
  }

  /**
   * The CPUs a process could be given: every online CPU (the kernel narrows
   * the mask to the cpuset). psutil re-reads the process's Cpus_allowed_list,
   * which is its current mask, so its `cpu_affinity([])` cannot widen a
   * narrowed process; ptools does what psutil documents.
   */
  private _eligibleCpus(): number[] {
    const online = tryReadText(sysPath('devices', 'system', 'cpu', 'online'));
    if (online !== undefined) {
      try {
        return parseCpuList(online);
      } catch {
        // fall through
      }
    }
    return Array.from({ length: onlineCpuCount() }, (_x, i) => i);
  }

  // -------------------------------------------------------------- family

  /** The parent Process, or null (pid 1, no parent, or the ppid was reused by a younger process). Identity checked first. */
  parent(): Process | null {
    this._assertSame();
    return this._parentUnchecked();
  }

  private _parentUnchecked(): Process | null {
    if (this.pid === lowestPid()) return null;
    const ppid = this.ppid();
    try {
      const p = new Process(ppid);
      // A parent is never younger than its child; a younger one took the pid.
      return p._ticks <= this._ticks ? p : null;
    } catch (e) {
      if (e instanceof NoSuchProcess) return null;
      throw e;
    }
  }

  /** Parent, grandparent, ... up to the top. */
  parents(): Process[] {
    const out: Process[] = [];
    let p = this.parent();
    while (p !== null) {
      out.push(p);
      p = p.parent();
    }
    return out;
  }

  /** Direct children, or every descendant with recursive. Identity checked first; one bulk read of every stat. */
  children(opts: { recursive?: boolean } = {}): Process[] {
    this._assertSame();
    return childrenFrom(this, scanProcesses({ pids: pids(), decoding: 'text' }), opts.recursive ?? false);
  }

  // -------------------------------------------------------------- signals and waiting

  /** Sends a signal (number or name), identity checked first. */
  sendSignal(sig: number | NodeJS.Signals): void {
    if (this.pid === 0) {
      throw new RangeError('preventing sending signal to process with PID 0 as it would affect every process in the process group of the calling process (process.pid) instead of PID 0');
    }
    this._assertSame();
    try {
      process.kill(this.pid, sig);
    } catch (e) {
      const code = errCode(e);
      if (code === 'ESRCH') {
        this._gone = true;
        throw new NoSuchProcess(this.pid, this._name);
      }
      if (code === 'EPERM') throw new AccessDenied(this.pid, this._name);
      throw e;
    }
  }

  /** SIGSTOP. */
  suspend(): void {
    this.sendSignal('SIGSTOP');
  }
  /** SIGCONT. */
  resume(): void {
    this.sendSignal('SIGCONT');
  }
  /** SIGTERM. */
  terminate(): void {
    this.sendSignal('SIGTERM');
  }
  /** SIGKILL. */
  kill(): void {
    this.sendSignal('SIGKILL');
  }

  /** The exit code once waited for (set by wait()/waitProcs()), null when unknown, undefined before. */
  get returncode(): number | null | undefined {
    return this._exitcode;
  }

  /**
   * Waits for the process to end (blocking the thread; ptools/promises has
   * the non-blocking one). Returns its exit code (minus the signal number
   * when killed) for a child of this process, null for any other process.
   * TimeoutExpired when `timeout` seconds pass first. Uses a pidfd: no
   * polling loop.
   */
  wait(opts: WaitOptions = {}): number | null {
    const timeout = opts.timeout;
    if (timeout !== undefined && timeout !== null && !(timeout >= 0)) throw new RangeError('timeout must be a positive number');
    if (this._exitcode !== undefined) return this._exitcode;
    const code = waitSync(this, timeout ?? undefined);
    this._exitcode = code;
    return code;
  }
}

/** Children (or descendants) of `proc` among the scanned records (every process's stat). @internal */
export function childrenFrom(proc: Process, recs: readonly ProcRecord[], recursive: boolean): Process[] {
  const stats = new Map<number, PidStat>();
  const byParent = new Map<number, number[]>();
  for (const rec of recs) {
    const st = rec.stat;
    stats.set(rec.tid, st);
    const kids = byParent.get(st.ppid);
    if (kids) kids.push(rec.tid);
    else byParent.set(st.ppid, [rec.tid]);
  }
  const out: Process[] = [];
  const seen = new Set<number>();
  const stack = [proc.pid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    // pids are reused while the map is read: the "tree" may have a cycle.
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const kid of byParent.get(pid) ?? []) {
      const st = stats.get(kid)!;
      // A child older than its parent took a reused pid.
      if (st.starttime < proc._ticks) continue;
      out.push(Process._fromStat(kid, st));
      if (recursive) stack.push(kid);
    }
    if (!recursive) break;
  }
  return out;
}

function percentOf(busyDelta: number, timeDelta: number): number {
  if (!(timeDelta > 0)) return 0;
  return Math.round((busyDelta / timeDelta) * 100 * 10) / 10;
}

function pathExistsStrict(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    const code = errCode(e);
    if (code === 'EPERM' || code === 'EACCES') throw e;
    return false;
  }
}

function onlineCpuCount(): number {
  try {
    return readText(procPath('stat')).split('\n').filter((l) => /^cpu\d+ /.test(l)).length || native.sysconf().nprocessorsOnln;
  } catch {
    return native.sysconf().nprocessorsOnln;
  }
}

