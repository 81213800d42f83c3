/**
 * procps's result items as typed values: what libproc2 derives from a
 * scanned task (user and group names, terminal name, elapsed time, start
 * time, lifetime %CPU, the exact argv, environment and cgroup lists, systemd
 * and lxc names...), each defined once with the scan sources it needs and
 * how it sorts, as procps-ng's Item_table serves ps and top alike. ps, top
 * and ptop read rows through ProcItems; text layouts and procps's escaping
 * of these values belong to the commands and src/text.
 */
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';
import { clockTicks, pageSize } from '../base/sysconf.js';
import { latin1ToText } from '../base/text-bytes.js';
import { groupName, userName } from '../base/users.js';
import { parseStat, type PidStat } from '../procfs/pid-stat.js';
import { splitVector } from '../procfs/pid-cmdline.js';
import { virtualMemory } from '../system/memory.js';
import { numaNodes } from '../system/numa.js';
import { readBtime as bootTime } from '../procfs/stat.js';
import { uptime } from '../system/uptime.js';
import { pidMaxText } from './pids.js';
import type { ProcRecord, ScanSource } from './scan.js';
import { ttyPath } from './tty.js';

/** Facts shared by every row of one scan. */
export interface ItemEnv {
  hertz: number;
  /** Boot time, whole seconds since the epoch (/proc/stat btime). */
  readonly bootTime: number;
  /** Clock ticks since boot when the scan ran (uptime × hertz, truncated, as procps). */
  bootTics: number;
  /** Wall clock (seconds since the epoch) when output started. */
  now: number;
  /** MemTotal in KiB (what %MEM divides by). */
  readonly memTotalKiB: number;
  pageSize: number;
  /** cpu → NUMA node (-1 when unknown). */
  numaNode(cpu: number): number;
}

/**
 * The facts for one scan, read now (the wall clock, then uptime, as procps
 * does); boot time, MemTotal and the NUMA map on first use.
 */
export function itemEnv(): ItemEnv {
  const hertz = clockTicks();
  let mem: number | undefined;
  let numa: ((cpu: number) => number) | undefined;
  let boot: number | undefined;
  const now = Math.floor(Date.now() / 1000);
  return {
    hertz,
    get bootTime() {
      return (boot ??= bootTime());
    },
    bootTics: Math.trunc(uptime() * hertz),
    now,
    get memTotalKiB() {
      return (mem ??= virtualMemory().total / 1024);
    },
    pageSize: pageSize(),
    numaNode(cpu: number) {
      return (numa ??= numaNodes())(cpu);
    },
  };
}

/** This process's own stat (ps selects by its terminal and euid by default). */
export function selfStat(): PidStat {
  let t: string;
  try {
    t = readText(procPath('self', 'stat'));
  } catch {
    throw new ParseError('stat', 'cannot read self/stat');
  }
  return parseStat(t, 'self/stat');
}

/** How many digits the largest pid has (/proc/sys/kernel/pid_max), 5 when unknown: ps's and top's pid column width. */
export function pidMaxDigits(): number {
  const v = pidMaxText() ?? '';
  return v.length > 0 ? v.length : 5;
}

/** procps's name rule: the name, or the id in decimal when there is none (or it is 33+ bytes long). */
function nameOr(id: number, n: string | null): string {
  return n === null || Buffer.byteLength(n) >= 33 ? String(id) : n;
}
/** A uid's name as procps shows it (the core's lookups are cached). */
export function userOf(uid: number): string {
  return nameOr(uid, userName(uid));
}
/** A gid's name as procps shows it. */
export function groupOf(gid: number): string {
  return nameOr(gid, groupName(gid));
}

/** procps's dev_to_tty: the /dev path cut to a display name, or '?'. */
function ttyDisplay(path: string | null, number: boolean): string {
  if (path === null) return '?';
  let t = path;
  if (t.startsWith('/dev/') && t.length > 5) t = t.slice(5);
  if (number) {
    if (t.startsWith('tty') && t.length > 3) t = t.slice(3);
    if (t.startsWith('pts/') && t.length > 4) t = t.slice(4);
  }
  t = t.slice(0, 64);
  return t.replace(/[\x00-\x20\x7f-\uffff]/g, '?');
}

/**
 * A NUL-separated vector (cmdline, environ) of a byte-string scan as its
 * exact strings: split as procfs/pid-cmdline's splitVector, each decoded
 * losslessly (core/base/text-bytes). Never cut, never escaped.
 */
export function vectorText(raw: string | null): string[] {
  if (raw === null) return [];
  return splitVector(raw).map(latin1ToText);
}

const SD_NONE = '-';

/** systemd's reading of a cgroup path (sd_pid_get_slice/unit/user_unit/session/owner_uid), without asking systemd. */
export interface SdInfo {
  unit: string;
  slice: string;
  uunit: string;
  session: string;
  ouid: string;
}

const UNIT_RE = /^[A-Za-z0-9:_.\\@-]+\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/;

export function systemdInfo(cgroupFile: string | null): SdInfo {
  const none: SdInfo = { unit: SD_NONE, slice: SD_NONE, uunit: SD_NONE, session: SD_NONE, ouid: SD_NONE };
  if (cgroupFile === null) return none;
  let path: string | null = null;
  let unified: string | null = null;
  for (const line of cgroupFile.split('\n')) {
    const a = line.indexOf(':');
    const b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const ctl = line.slice(a + 1, b);
    if (ctl === 'name=systemd') path = line.slice(b + 1);
    else if (line.startsWith('0::')) unified = line.slice(3);
  }
  path ??= unified;
  if (path === null) return none;
  const parts = path.split('/').filter((p) => p !== '');
  let k = 0;
  let slice = '-.slice';
  while (k < parts.length && parts[k]!.endsWith('.slice')) slice = parts[k++]!;
  const out: SdInfo = { ...none, slice };
  const unit = parts[k];
  if (unit !== undefined && UNIT_RE.test(unit)) {
    out.unit = unit;
    const sm = /^session-(.+)\.scope$/.exec(unit);
    if (sm) out.session = sm[1]!;
    if (/^user@\d+\.service$/.test(unit)) {
      let j = k + 1;
      while (j < parts.length && parts[j]!.endsWith('.slice')) j++;
      if (parts[j] !== undefined && UNIT_RE.test(parts[j]!)) out.uunit = parts[j]!;
    }
  }
  const um = /^user-(\d+)\.slice$/.exec(slice);
  if (um) out.ouid = um[1]!;
  return out;
}

/** The container name from lxc's cgroup naming, or "-". */
export function lxcName(cgroupFile: string | null): string {
  const raw = cgroupFile;
  if (!raw) return '-';
  for (const delim of ['lxc.payload.', 'lxc.payload/', 'lxc/']) {
    let p1 = raw.indexOf(delim);
    if (p1 < 0) continue;
    const nl = raw.indexOf('\n', p1);
    const line = nl < 0 ? raw : raw.slice(0, nl);
    let p2 = p1;
    do {
      p2 = p1 + delim.length;
      p1 = line.indexOf(delim, p2);
    } while (p1 >= 0);
    const name = line.slice(p2);
    const slash = name.indexOf('/');
    return slash >= 0 ? name.slice(0, slash) : name;
  }
  return '-';
}

const NO_IDS = [0, 0, 0, 0] as const;

/**
 * A scanned task (a byte-string scan: ProcRecord with decoding 'bytes') with
 * the values procps's library derives from it, computed on first use.
 */
export class ProcItems {
  readonly r: ProcRecord;
  readonly env: ItemEnv;
  private _tty?: string;
  private _tty4?: string;
  private _sd?: SdInfo;
  private _uids?: readonly number[];
  private _gids?: readonly number[];

  constructor(r: ProcRecord, env: ItemEnv) {
    this.r = r;
    this.env = env;
  }

  get tid(): number {
    return this.r.tid;
  }
  get tgid(): number {
    return this.r.tgid;
  }
  get state(): string {
    return this.r.stat.state;
  }
  /** Threads: status's count, else stat's, at least 1. */
  get nlwp(): number {
    const t = this.r.status?.threads;
    if (t) return t;
    return this.r.stat.numThreads || 1;
  }
  /** [real, effective, saved, fs] uids; zeros when status could not be read. */
  get uids(): readonly number[] {
    if (this._uids === undefined) {
      const u = this.r.status?.uids;
      this._uids = u ? [u.real, u.effective, u.saved, u.fs] : NO_IDS;
    }
    return this._uids;
  }
  /** [real, effective, saved, fs] gids; zeros when status could not be read. */
  get gids(): readonly number[] {
    if (this._gids === undefined) {
      const g = this.r.status?.gids;
      this._gids = g ? [g.real, g.effective, g.saved, g.fs] : NO_IDS;
    }
    return this._gids;
  }
  get euid(): number {
    return this.uids[1]!;
  }

  /** The exact command name. */
  get commText(): string {
    return latin1ToText(this.r.stat.comm);
  }
  /** The exact arguments, [] when the command line is empty (a kernel thread, a zombie). */
  get argv(): string[] {
    return vectorText(this.r.cmdline);
  }
  /** The exact environment entries ("NAME=value"); null when it could not be read. */
  get environList(): string[] | null {
    return this.r.environ === null ? null : vectorText(this.r.environ);
  }
  /** The non-root cgroup lines, exact. */
  get cgroupList(): string[] {
    const raw = this.r.cgroup ?? '';
    return raw.split('\n').filter((l) => l !== '' && !l.endsWith('/')).map(latin1ToText);
  }
  get sd(): SdInfo {
    return (this._sd ??= systemdInfo(this.r.cgroup));
  }
  /** The container name from lxc's cgroup naming, or "-". */
  get lxc(): string {
    return lxcName(this.r.cgroup);
  }

  /** The terminal's display name ("pts/0", "?"): procps's TTY_NAME. */
  get ttyName(): string {
    return (this._tty ??= ttyDisplay(ttyPath(this.r.stat.ttyNr, this.r.tid), false));
  }
  /** The short terminal name ("0", "S0"): procps's TTY_NUMBER. */
  get ttyNumber(): string {
    return (this._tty4 ??= ttyDisplay(ttyPath(this.r.stat.ttyNr, this.r.tid), true));
  }

  /** procps's WCHAN_NAME: "-" when running, "?" when unreadable. */
  get wchanName(): string {
    const w = this.r.wchan;
    if (w === null || w.length < 1) return '?';
    const t = w.slice(0, 63);
    if (t === '0') return '-';
    let i = 0;
    if (t[0] === '.') i = 1;
    while (t[i] === '_') i++;
    return t.slice(i);
  }

  /** The NUMA node of the CPU it last ran on (-1 without NUMA information). */
  get numaNode(): number {
    return this.env.numaNode(this.r.stat.processor);
  }
  /** Seconds since the process started (procps's TIME_ELAPSED; 0 when it started this tick). */
  get elapsed(): number {
    const t = this.env.bootTics - this.r.stat.starttime;
    return t > 0 ? t / this.env.hertz : 0;
  }
  /** CPU seconds (utime + stime) / hertz. */
  get timeAll(): number {
    return this.ticsAll / this.env.hertz;
  }
  /** utime + stime, ticks. */
  get ticsAll(): number {
    return this.r.stat.utime + this.r.stat.stime;
  }
  /** utime + stime + the waited-for children's, ticks. */
  get ticsAllC(): number {
    const s = this.r.stat;
    return s.utime + s.stime + s.cutime + s.cstime;
  }
  /** CPU percent over the process's life, as procps's library computes it (a float product, as in C). */
  utilization(children: boolean): number {
    const t = this.env.bootTics - this.r.stat.starttime;
    if (!(t > 0)) return 0;
    return Math.fround((children ? this.ticsAllC : this.ticsAll) * 100) / t;
  }
  /** Start time, whole seconds since the epoch (boot time + start ticks / hertz, integer division). */
  get startEpoch(): number {
    return this.env.bootTime + Math.floor(this.r.stat.starttime / this.env.hertz);
  }
  /** Start time with the ticks' precision. */
  get startEpochExact(): number {
    return this.env.bootTime + this.r.stat.starttime / this.env.hertz;
  }

  /** Supplementary gids, comma-separated, or "-". */
  get supgid(): string {
    const g = this.r.status?.groups ?? [];
    return g.length ? g.join(',') : '-';
  }
  /** Supplementary groups' names, comma-separated, or "-". */
  get supgrp(): string {
    const g = this.r.status?.groups ?? [];
    return g.length ? g.map(groupOf).join(',') : '-';
  }
  /** procps's SIGNALS: the process-wide pending set on process lines, the thread's own on thread lines. */
  get signals(): string {
    const st = this.r.status;
    if (!st) return '';
    const isProc = this.r.tid === this.r.tgid;
    return isProc && st.shdPnd ? st.shdPnd : st.sigPnd;
  }
  /** loginuid as procps reads it (atoi into an int: 4294967295 is -1; unreadable is -1). */
  get loginId(): number {
    const v = this.r.loginuid;
    if (v === null) return -1;
    return v | 0;
  }
}

/** How an item sorts: numbers, strings (byte order, as strcoll in the C locale), or glibc's strverscmp. */
export type SortType = 'num' | 'str' | 'vers';

/** One item: the sources it reads, how it sorts, its value. */
export interface Item<P extends ProcItems = ProcItems> {
  sources: readonly ScanSource[];
  type: SortType;
  get(p: P): number | string;
}

const stat = ['stat'] as const;
const status = ['status'] as const;
const st = (f: (p: ProcItems) => number): Item => ({ sources: stat, type: 'num', get: f });
const ss = (f: (p: ProcItems) => number): Item => ({ sources: status, type: 'num', get: f });
const str = (sources: readonly ScanSource[], f: (p: ProcItems) => string): Item => ({ sources, type: 'str', get: f });
const nsItem = (i: number): Item => ({ sources: ['ns'], type: 'num', get: (p) => p.r.ns?.[i] ?? 0 });

/**
 * procps's result items with typed values, by name (PIDS_... without the
 * prefix). The items whose value is escaped text (CMD, CMDLINE, ENVIRON,
 * CGROUP, CGNAME, EXE) are added by the command that escapes them.
 */
export const ITEMS: Readonly<Record<string, Item>> = {
  noop: { sources: [], type: 'num', get: () => 0 },
  ID_TGID: st((p) => p.tgid),
  ID_PID: st((p) => p.tid),
  ID_PPID: st((p) => p.r.stat.ppid),
  ID_PGRP: st((p) => p.r.stat.pgrp),
  ID_SESSION: st((p) => p.r.stat.session),
  ID_TPGID: st((p) => p.r.stat.tpgid),
  TTY: st((p) => p.r.stat.ttyNr),
  TTY_NAME: { sources: stat, type: 'vers', get: (p) => p.ttyName },
  TTY_NUMBER: { sources: stat, type: 'vers', get: (p) => p.ttyNumber },
  STATE: st((p) => p.state.charCodeAt(0)),
  NICE: st((p) => p.r.stat.nice),
  PRIORITY: st((p) => p.r.stat.priority),
  PRIORITY_RT: st((p) => p.r.stat.rtPriority),
  SCHED_CLASS: st((p) => p.r.stat.policy),
  PROCESSOR: st((p) => p.r.stat.processor),
  PROCESSOR_NODE: st((p) => p.numaNode),
  NLWP: st((p) => p.nlwp),
  FLAGS: st((p) => p.r.stat.flags),
  FLT_MAJ: st((p) => p.r.stat.majflt),
  FLT_MIN: st((p) => p.r.stat.minflt),
  FLT_MAJ_C: st((p) => p.r.stat.majflt + p.r.stat.cmajflt),
  FLT_MIN_C: st((p) => p.r.stat.minflt + p.r.stat.cminflt),
  TICS_ALL: st((p) => p.ticsAll),
  TICS_ALL_C: st((p) => p.ticsAllC),
  TICS_BEGAN: st((p) => p.r.stat.starttime),
  TICS_USER: st((p) => p.r.stat.utime),
  TICS_USER_C: st((p) => p.r.stat.utime + p.r.stat.cutime),
  TIME_ALL: st((p) => p.timeAll),
  TIME_ELAPSED: st((p) => p.elapsed),
  UTILIZATION: st((p) => p.utilization(false)),
  UTILIZATION_C: st((p) => p.utilization(true)),
  VSIZE_BYTES: st((p) => p.r.stat.vsize),
  RSS: st((p) => p.r.stat.rss),
  RSS_RLIM: st((p) => p.r.stat.rsslim),
  ADDR_CODE_END: st((p) => p.r.stat.endcode),
  ADDR_CODE_START: st((p) => p.r.stat.startcode),
  ADDR_STACK_START: st((p) => p.r.stat.startstack),
  ADDR_CURR_ESP: st((p) => p.r.stat.kstkesp),
  ADDR_CURR_EIP: st((p) => p.r.stat.kstkeip),
  VM_SIZE: ss((p) => p.r.status?.vmSize ?? 0),
  VM_RSS: ss((p) => p.r.status?.vmRss ?? 0),
  VM_RSS_LOCKED: ss((p) => p.r.status?.vmLck ?? 0),
  VM_DATA: ss((p) => p.r.status?.vmData ?? 0),
  VM_STACK: ss((p) => p.r.status?.vmStk ?? 0),
  VM_EXE: ss((p) => p.r.status?.vmExe ?? 0),
  VM_LIB: ss((p) => p.r.status?.vmLib ?? 0),
  MEM_RES_PGS: { sources: ['statm'], type: 'num', get: (p) => p.r.statm?.resident ?? 0 },
  MEM_SHR_PGS: { sources: ['statm'], type: 'num', get: (p) => p.r.statm?.shared ?? 0 },
  ID_RUID: ss((p) => p.uids[0]!),
  ID_EUID: ss((p) => p.uids[1]!),
  ID_SUID: ss((p) => p.uids[2]!),
  ID_FUID: ss((p) => p.uids[3]!),
  ID_RGID: ss((p) => p.gids[0]!),
  ID_EGID: ss((p) => p.gids[1]!),
  ID_SGID: ss((p) => p.gids[2]!),
  ID_FGID: ss((p) => p.gids[3]!),
  ID_RUSER: str(status, (p) => userOf(p.uids[0]!)),
  ID_EUSER: str(status, (p) => userOf(p.uids[1]!)),
  ID_SUSER: str(status, (p) => userOf(p.uids[2]!)),
  ID_FUSER: str(status, (p) => userOf(p.uids[3]!)),
  ID_RGROUP: str(status, (p) => groupOf(p.gids[0]!)),
  ID_EGROUP: str(status, (p) => groupOf(p.gids[1]!)),
  ID_SGROUP: str(status, (p) => groupOf(p.gids[2]!)),
  ID_FGROUP: str(status, (p) => groupOf(p.gids[3]!)),
  ID_LOGIN: { sources: ['loginuid'], type: 'num', get: (p) => p.loginId },
  WCHAN_NAME: str(['wchan'], (p) => p.wchanName),
  SIGNALS: str(status, (p) => p.signals),
  SIGPENDING: str(status, (p) => p.r.status?.sigPnd ?? ''),
  SIGBLOCKED: str(status, (p) => p.r.status?.sigBlk ?? ''),
  SIGIGNORE: str(status, (p) => p.r.status?.sigIgn ?? ''),
  SIGCATCH: str(status, (p) => p.r.status?.sigCgt ?? ''),
  SUPGIDS: str(status, (p) => p.supgid),
  SUPGROUPS: str(status, (p) => p.supgrp),
  NS_CGROUP: nsItem(0),
  NS_IPC: nsItem(1),
  NS_MNT: nsItem(2),
  NS_NET: nsItem(3),
  NS_PID: nsItem(4),
  NS_TIME: nsItem(5),
  NS_USER: nsItem(6),
  NS_UTS: nsItem(7),
  OOM_SCORE: { sources: ['oom'], type: 'num', get: (p) => p.r.oomScore ?? 0 },
  OOM_ADJ: { sources: ['oom'], type: 'num', get: (p) => p.r.oomScoreAdj ?? 0 },
  SMAP_PSS: { sources: ['smaps'], type: 'num', get: (p) => p.r.smaps?.pss ?? 0 },
  SMAP_PRV_TOTAL: { sources: ['smaps'], type: 'num', get: (p) => (p.r.smaps ? p.r.smaps.privateClean + p.r.smaps.privateDirty : 0) },
  IO_READ_BYTES: { sources: ['io'], type: 'num', get: (p) => p.r.io?.readBytes ?? 0 },
  IO_READ_CHARS: { sources: ['io'], type: 'num', get: (p) => p.r.io?.rchar ?? 0 },
  IO_READ_OPS: { sources: ['io'], type: 'num', get: (p) => p.r.io?.syscr ?? 0 },
  IO_WRITE_BYTES: { sources: ['io'], type: 'num', get: (p) => p.r.io?.writeBytes ?? 0 },
  IO_WRITE_CBYTES: { sources: ['io'], type: 'num', get: (p) => p.r.io?.cancelledWriteBytes ?? 0 },
  IO_WRITE_CHARS: { sources: ['io'], type: 'num', get: (p) => p.r.io?.wchar ?? 0 },
  IO_WRITE_OPS: { sources: ['io'], type: 'num', get: (p) => p.r.io?.syscw ?? 0 },
  SD_MACH: str(['cgroup'], () => '-'),
  SD_OUID: str(['cgroup'], (p) => p.sd.ouid),
  SD_SEAT: str(['cgroup'], () => '-'),
  SD_SESS: str(['cgroup'], (p) => p.sd.session),
  SD_SLICE: str(['cgroup'], (p) => p.sd.slice),
  SD_UNIT: str(['cgroup'], (p) => p.sd.unit),
  SD_UUNIT: str(['cgroup'], (p) => p.sd.uunit),
  LXCNAME: str(['cgroup'], (p) => p.lxc),
  AUTOGRP_ID: { sources: ['autogroup'], type: 'num', get: (p) => p.r.autogroup?.id ?? -1 },
  AUTOGRP_NICE: { sources: ['autogroup'], type: 'num', get: (p) => p.r.autogroup?.nice ?? 0 },
};
