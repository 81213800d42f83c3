/**
 * A scanned process as ps sees it: the raw record plus the values procps's
 * library derives (names, terminal name, the command line as one escaped
 * string, elapsed time...), computed on first use. The "items" are procps's
 * result items: what columns print from, what --sort compares, and which
 * /proc files (scan sources) each one needs.
 */
import type { ProcRecord, ScanSource } from '../../core/process/procscan.js';
import { ttyPath } from '../../core/process/procscan.js';
import { groupName, userName } from '../../core/base/users.js';
import { libEscape } from '../../text/ps-escape.js';
import { latin1ToText } from '../../core/base/text-bytes.js';
import { unvectored } from '../../text/procps-escape.js';

/** Facts shared by every row of one run. */
export interface Env {
  hertz: number;
  /** Boot time, whole seconds since the epoch (/proc/stat btime). */
  bootTime: number;
  /** Clock ticks since boot when the scan ran (uptime × hertz, truncated, as procps). */
  bootTics: number;
  /** Wall clock (seconds since the epoch) when output started. */
  now: number;
  memTotalKiB: number;
  pageSize: number;
  utf8: boolean;
  /** cpu → NUMA node (-1 when unknown). */
  numaNode(cpu: number): number;
}

/** procps's name cache rule: the name, or the id in decimal when there is none (or it is 33+ bytes long). */
function nameOr(id: number, get: (id: number) => string | null): string {
  const n = get(id);
  return n === null || Buffer.byteLength(n) >= 33 ? String(id) : n;
}
const userCache = new Map<number, string>();
const groupCache = new Map<number, string>();
export function userOf(uid: number): string {
  let n = userCache.get(uid);
  if (n === undefined) {
    n = nameOr(uid, userName);
    userCache.set(uid, n);
  }
  return n;
}
export function groupOf(gid: number): string {
  let n = groupCache.get(gid);
  if (n === undefined) {
    n = nameOr(gid, groupName);
    groupCache.set(gid, n);
  }
  return n;
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
 * A NUL-separated vector (cmdline, environ) as its exact strings, for JSON:
 * one terminating NUL dropped, split at every other NUL, each decoded
 * losslessly (core/text-bytes). Never cut, never escaped.
 */
export function vectorText(raw: string | null): string[] {
  if (raw === null || raw === '') return [];
  const data = raw.endsWith('\0') ? raw.slice(0, -1) : raw;
  return data.split('\0').map(latin1ToText);
}

export { unvectored } from '../../text/procps-escape.js';

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

/** The process's row data, derived lazily from its record. */
export class Proc {
  readonly r: ProcRecord;
  private readonly env: Env;
  private _cmd?: string;
  private _cmdline?: string;
  private _environ?: string;
  private _tty?: string;
  private _tty4?: string;
  private _cgroup?: string;
  private _sd?: SdInfo;
  /** ps's %CPU per-mille for sorting in fancy output (procps's "extra"). */
  pcpuExtra = 0;

  constructor(r: ProcRecord, env: Env) {
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
  get nlwp(): number {
    const t = this.r.status?.threads;
    if (t) return t;
    return this.r.stat.numThreads || 1;
  }
  /** [real, effective, saved, fs] uids; zeros when status could not be read. */
  get uids(): readonly number[] {
    return this.r.status?.uids ?? [0, 0, 0, 0];
  }
  get gids(): readonly number[] {
    return this.r.status?.gids ?? [0, 0, 0, 0];
  }
  get euid(): number {
    return this.uids[1]!;
  }

  /** The command name, escaped (procps's CMD). */
  get cmd(): string {
    return (this._cmd ??= libEscape(this.r.stat.comm.slice(0, 63), this.env.utf8));
  }

  /** The command line as one escaped string; "[comm]" (and " <defunct>") when there is none (procps's CMDLINE). */
  get cmdline(): string {
    if (this._cmdline === undefined) {
      const raw = this.r.cmdline ?? '';
      if (raw.length > 0) {
        const s = libEscape(unvectored(raw, ' '), this.env.utf8);
        this._cmdline = s === '' ? '?' : s;
      } else {
        this._cmdline = `[${this.cmd}]${this.r.stat.state === 'Z' ? ' <defunct>' : ''}`;
      }
    }
    return this._cmdline;
  }

  /** The exact command name (JSON). */
  get commText(): string {
    return latin1ToText(this.r.stat.comm);
  }
  /** The exact arguments, [] when the command line is empty (a kernel thread, a zombie) (JSON). */
  get argv(): string[] {
    return vectorText(this.r.cmdline);
  }
  /** The exact environment entries ("NAME=value"); null when it could not be read (JSON). */
  get environList(): string[] | null {
    return this.r.environ === null ? null : vectorText(this.r.environ);
  }
  /** The non-root cgroup lines, exact (JSON). */
  get cgroupList(): string[] {
    const raw = this.r.cgroup ?? '';
    return raw.split('\n').filter((l) => l !== '' && !l.endsWith('/')).map(latin1ToText);
  }

  /** The environment as one escaped string, or "-". */
  get environ(): string {
    if (this._environ === undefined) {
      const raw = this.r.environ ?? '';
      const s = raw.length > 0 ? libEscape(unvectored(raw, ' '), this.env.utf8) : '';
      this._environ = s === '' ? '-' : s;
    }
    return this._environ;
  }

  /** The non-root cgroups, comma-separated, or "-". */
  get cgroup(): string {
    if (this._cgroup === undefined) {
      const raw = this.r.cgroup ?? '';
      const parts: string[] = [];
      for (const line of unvectored(raw, '\0').split('\0')) {
        if (line === '' || line.endsWith('/')) continue;
        parts.push(libEscape(line, this.env.utf8));
      }
      this._cgroup = parts.length ? parts.join(',') : '-';
    }
    return this._cgroup;
  }
  get cgname(): string {
    const c = this.cgroup;
    const i = c.indexOf(':name=');
    return i >= 0 && c.length > i + 6 ? c.slice(i + 6) : c;
  }
  get sd(): SdInfo {
    return (this._sd ??= systemdInfo(this.r.cgroup));
  }
  /** The container name from lxc's cgroup naming, or "-". */
  get lxc(): string {
    const raw = this.r.cgroup;
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

  get exe(): string {
    const e = this.r.exe;
    return e === null || e === '' ? '-' : libEscape(e, this.env.utf8);
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
  /** Start time with the ticks' precision, for JSON. */
  get startEpochExact(): number {
    return this.env.bootTime + this.r.stat.starttime / this.env.hertz;
  }

  get supgid(): string {
    const g = this.r.status?.groups ?? [];
    return g.length ? g.join(',') : '-';
  }
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
}

/** How an item sorts: numbers, strings (byte order, as strcoll in the C locale), or glibc's strverscmp. */
export type SortType = 'num' | 'str' | 'vers';

export interface Item {
  sources: readonly ScanSource[];
  type: SortType;
  get(p: Proc): number | string;
}

const stat = ['stat'] as const;
const status = ['status'] as const;
const st = (f: (p: Proc) => number): Item => ({ sources: stat, type: 'num', get: f });
const ss = (f: (p: Proc) => number): Item => ({ sources: status, type: 'num', get: f });
const str = (sources: readonly ScanSource[], f: (p: Proc) => string): Item => ({ sources, type: 'str', get: f });
const nsItem = (i: number): Item => ({ sources: ['ns'], type: 'num', get: (p) => p.r.ns?.[i] ?? 0 });

/** procps's result items, by name (PIDS_... without the prefix). */
export const ITEMS: Record<string, Item> = {
  noop: { sources: [], type: 'num', get: () => 0 },
  extra: { sources: stat, type: 'num', get: (p) => p.pcpuExtra },
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
  ID_LOGIN: { sources: ['loginuid'], type: 'num', get: (p) => loginId(p) },
  CMD: str(stat, (p) => p.cmd),
  CMDLINE: str(['cmdline'], (p) => p.cmdline),
  ENVIRON: str(['environ'], (p) => p.environ),
  CGROUP: str(['cgroup'], (p) => p.cgroup),
  CGNAME: str(['cgroup'], (p) => p.cgname),
  EXE: str(['exe'], (p) => p.exe),
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

/** loginuid as procps reads it (atoi into an int: 4294967295 is -1; unreadable is -1). */
export function loginId(p: Proc): number {
  const v = p.r.loginuid;
  if (v === null) return -1;
  return v | 0;
}

// glibc's strverscmp as a small state machine: states "normal", "integral
// part", "fractional part" (a run that began with 0) and "leading zeros";
// character classes "other", "digit 1-9", "0".
const SV_NEXT = [
  [0, 3, 9], // normal
  [0, 3, 3], // integral
  [0, 6, 6], // fractional
  [0, 6, 9], // zeros
];
const CMP = 2;
const LEN = 3;
// Outcome by state and the classes of the two differing characters (rows: a's class, columns: b's class).
const SV_RESULT: number[][][] = [
  [[CMP, CMP, CMP], [CMP, LEN, CMP], [CMP, CMP, CMP]],
  [[CMP, -1, -1], [1, LEN, LEN], [1, LEN, LEN]],
  [[CMP, CMP, CMP], [CMP, CMP, CMP], [CMP, CMP, CMP]],
  [[CMP, 1, 1], [-1, CMP, CMP], [-1, CMP, CMP]],
];

/** glibc's strverscmp (digit runs compare as numbers; runs with leading zeros as fractions). */
export function strverscmp(a: string, b: string): number {
  if (a === b) return 0;
  const at = (s: string, i: number): number => (i < s.length ? s.charCodeAt(i) : 0);
  const isD = (c: number): boolean => c >= 48 && c <= 57;
  const cls = (c: number): number => (c === 48 ? 2 : isD(c) ? 1 : 0);
  let i = 0;
  let c1 = at(a, 0);
  let c2 = at(b, 0);
  let row = 0;
  while (c1 === c2) {
    if (c1 === 0) return 0;
    row = SV_NEXT[row]![cls(c1)]! / 3;
    i++;
    c1 = at(a, i);
    c2 = at(b, i);
  }
  const diff = c1 - c2;
  const r = SV_RESULT[row]![cls(c1)]![cls(c2)]!;
  if (r === CMP) return diff;
  if (r === LEN) {
    // Both inside digit runs: the longer run is the larger number.
    let p1 = i;
    let p2 = i;
    while (isD(at(a, p1++))) if (!isD(at(b, p2++))) return 1;
    return isD(at(b, p2)) ? -1 : diff;
  }
  return r;
}
