/**
 * top's 78 fields (procps-ng 4.0.2 top.c's Fieldstab and task_show, names
 * from top_nls.c): header, width, justification flag, scaling, the libproc2
 * item each shows and sorts by, how task_show formats it, and the typed value
 * `--json` gives for it. Values come from text/procps-proc's Proc (procps's
 * items over core's scan) and the Sampler's deltas.
 */
import type { ScanSource } from '../../core/process/scan.js';
import { groupOf as groupName, userOf, type Proc } from '../../text/procps-proc.js';
import { latin1ToText } from '../../core/base/text-bytes.js';
import { hexMake, makeChr, makeNum, makeStr, makeStrUtf8, scaleMem, scaleNum, scalePcnt, scaleTics, TICS } from './format.js';

/** One task in a frame: its items and what the Sampler measured since the previous frame. */
export interface TopTask {
  readonly p: Proc;
  /** utime+stime ticks since the previous frame (all of them for a task not seen before). */
  readonly cpuTicks: number;
  readonly minfltDelta: number;
  readonly majfltDelta: number;
}

/** What a frame's cells depend on besides the task. */
export interface FieldCtx {
  readonly hertz: number;
  /** Frame_etscale: 100 / (Hz × elapsed [× CPUs outside Irix mode]), as a C float. */
  readonly etscale: number;
  /** The same scale in double precision, for --json's values. */
  readonly etscaleExact: number;
  /** The %CPU cap (Cpu_pmax). */
  readonly cpuPmax: number;
  readonly memTotalKiB: number;
  readonly pageKiB: number;
  /** Rc.task_mscale (SK_*). */
  readonly taskScale: number;
  readonly zeroSuppress: boolean;
  readonly ticsScaled: number;
  /** Show_CMDLIN ('c'). */
  readonly cmdline: boolean;
  /** Show_CTIMES ('S'). */
  readonly cumulative: boolean;
  /** Show_JRSTRS / Show_JRNUMS: right-justify string / numeric columns. */
  readonly justStr: boolean;
  readonly justNum: boolean;
  /** Decode byte strings as UTF-8 for display (a UTF-8 locale). */
  readonly utf8: boolean;
}

export type Align = 'str' | 'num';

export interface Field {
  readonly id: number;
  /** The column header, also the name -o and toprc's field list use. */
  readonly name: string;
  /** Width before start-up adjustments: -1 variable (takes the rest of the line), 0 set at start-up. */
  readonly width: number;
  /** Which justification flag its header follows (A_left → Show_JRSTRS, A_right → Show_JRNUMS). */
  readonly align: Align;
  /** Shown at the task memory scale (-e). */
  readonly scaled: boolean;
  readonly sources: readonly ScanSource[];
  /** The --json key. */
  readonly json: string;
  /** The value the rows sort by (libproc2's item for the field). */
  sortKey(t: TopTask, c: FieldCtx): number | string;
  readonly sortType: 'num' | 'str';
  /** The cell, justified to `width`, with its trailing blank. */
  cell(t: TopTask, c: FieldCtx, width: number): string;
  /** The typed value for --json: bytes for memory, seconds for times, exact strings. */
  value(t: TopTask, c: FieldCtx): unknown;
}

// ------------------------------------------------------------------ values (libproc2's items)

const pagesKiB = (c: FieldCtx, pages: number | undefined): number => (pages ?? 0) * c.pageKiB;
const statm = (t: TopTask) => t.p.r.statm;
const status = (t: TopTask) => t.p.r.status;
const smaps = (t: TopTask) => t.p.r.smaps;

/** KiB values of the memory items. */
const KIB: Record<string, (t: TopTask, c: FieldCtx) => number> = {
  MEM_VIRT: (t, c) => pagesKiB(c, statm(t)?.size),
  MEM_RES: (t, c) => pagesKiB(c, statm(t)?.resident),
  MEM_SHR: (t, c) => pagesKiB(c, statm(t)?.shared),
  MEM_CODE: (t, c) => pagesKiB(c, statm(t)?.text),
  MEM_DATA: (t, c) => pagesKiB(c, statm(t)?.data),
  VM_SWAP: (t) => status(t)?.vmSwap ?? 0,
  VM_USED: (t) => (status(t)?.vmSwap ?? 0) + (status(t)?.vmRss ?? 0),
  VM_RSS_ANON: (t) => status(t)?.rssAnon ?? 0,
  VM_RSS_FILE: (t) => status(t)?.rssFile ?? 0,
  VM_RSS_LOCKED: (t) => status(t)?.vmLck ?? 0,
  VM_RSS_SHARED: (t) => status(t)?.rssShmem ?? 0,
  SMAP_RSS: (t) => smaps(t)?.rss ?? 0,
  SMAP_PSS: (t) => smaps(t)?.pss ?? 0,
  SMAP_PSS_ANON: (t) => smaps(t)?.pssAnon ?? 0,
  SMAP_PSS_FILE: (t) => smaps(t)?.pssFile ?? 0,
  SMAP_PSS_SHMEM: (t) => smaps(t)?.pssShmem ?? 0,
  SMAP_PRV_TOTAL: (t) => (smaps(t) ? smaps(t)!.privateClean + smaps(t)!.privateDirty : 0),
  noop: () => 0,
};

/** The byte string as display text (a UTF-8 locale decodes it; the C locale's escape left only ASCII). */
const shown = (s: string, c: FieldCtx): string => (c.utf8 ? latin1ToText(s) : s);

/** %CPU as task_show computes it: Δticks × Frame_etscale, capped at 100 × threads and at Cpu_pmax. */
export function cpuPercent(t: TopTask, c: FieldCtx): number {
  let u = Math.fround(Math.fround(t.cpuTicks) * c.etscale);
  const n = t.p.nlwp;
  if (u > 100 * n) u = 100 * n;
  if (u > c.cpuPmax) u = c.cpuPmax;
  return u;
}

/** %CPU for --json: the same rule in double precision (no float rounding noise). */
export function cpuPercentExact(t: TopTask, c: FieldCtx): number {
  let u = t.cpuTicks * c.etscaleExact;
  const n = t.p.nlwp;
  if (u > 100 * n) u = 100 * n;
  if (u > c.cpuPmax) u = c.cpuPmax;
  return u;
}

/** %MEM: RES × 100 / MemTotal, as a C float. */
export function memPercent(t: TopTask, c: FieldCtx): number {
  return Math.fround(Math.fround(KIB.MEM_RES!(t, c) * 100) / c.memTotalKiB);
}

/** What COMMAND shows: the name, or with 'c' the command line ("[name]" for a kernel thread). */
function commandText(t: TopTask, c: FieldCtx): string {
  return c.cmdline ? t.p.cmdline : t.p.cmd;
}
/** The exact command for --json: the name's bytes decoded, or the whole argv joined by blanks (never escaped or cut). */
function commandValue(t: TopTask, c: FieldCtx): string {
  if (!c.cmdline) return t.p.commText;
  const argv = t.p.argv;
  if (argv.length === 0) return `[${t.p.commText}]`;
  return argv.join(' ');
}

const ticsOf = (t: TopTask, c: FieldCtx): number => (c.cumulative ? t.p.ticsAllC : t.p.ticsAll);

// ------------------------------------------------------------------ field builders

type Spec = Omit<Field, 'id'>;

/** A number cell (make_num); `noz`: blank when zero under zero suppression. */
function num(name: string, width: number, json: string, sources: readonly ScanSource[], get: (t: TopTask, c: FieldCtx) => number, noz = false, align: Align = 'num'): Spec {
  return {
    name, width, align, scaled: false, sources, json, sortType: 'num',
    sortKey: get,
    cell: (t, c, w) => makeNum(get(t, c), w, c.justNum, noz, c.zeroSuppress),
    value: get,
  };
}

/** A memory cell (scale_mem) of KiB; JSON in bytes. */
function mem(name: string, width: number, json: string, sources: readonly ScanSource[], item: string, scaled = true): Spec {
  const get = KIB[item]!;
  return {
    name, width, align: 'num', scaled, sources, json, sortType: 'num',
    sortKey: get,
    cell: (t, c, w) => scaleMem(scaled ? c.taskScale : -1, get(t, c), w, c.justNum, c.zeroSuppress),
    value: (t, c) => get(t, c) * 1024,
  };
}

/** A count cell (scale_num). */
function count(name: string, width: number, json: string, sources: readonly ScanSource[], get: (t: TopTask) => number): Spec {
  return {
    name, width, align: 'num', scaled: false, sources, json, sortType: 'num',
    sortKey: get,
    cell: (t, c, w) => scaleNum(get(t), w, c.justNum, c.zeroSuppress),
    value: get,
  };
}

/** A fixed-width string cell: make_str (bytes) or make_str_utf8 (cells). */
function text(name: string, width: number, json: string, sources: readonly ScanSource[], get: (t: TopTask, c: FieldCtx) => string, utf8: boolean, exact?: (t: TopTask, c: FieldCtx) => unknown): Spec {
  return {
    name, width, align: 'str', scaled: false, sources, json, sortType: 'str',
    sortKey: get,
    cell: (t, c, w) => (utf8 ? makeStrUtf8(shown(get(t, c), c), w, c.justStr) : makeStr(get(t, c), w, c.justStr)),
    value: exact ?? ((t, c) => shown(get(t, c), c)),
  };
}

/** A variable-width string (the rest of the line): its room is the frame's; cut with '+'. */
function varText(name: string, json: string, sources: readonly ScanSource[], get: (t: TopTask, c: FieldCtx) => string, exact: (t: TopTask, c: FieldCtx) => unknown, utf8 = true): Spec {
  return {
    name, width: -1, align: 'str', scaled: false, sources, json, sortType: 'str',
    sortKey: get,
    cell: (t, c, w) => (utf8 ? makeStrUtf8(shown(get(t, c), c), w, c.justStr) : makeStr(get(t, c), w, c.justStr)),
    value: exact,
  };
}

/** User names looked up once per frame (a frame shows hundreds of rows of a handful of users). */
const names = new Map<number, string>();
/** Forgets the frame's name memo (each frame looks names up afresh, as a renamed user shows at once). */
export function newFrame(): void {
  names.clear();
}
function userName(uid: number): string {
  let n = names.get(uid);
  if (n === undefined) names.set(uid, (n = userOf(uid)));
  return n;
}

const ST: readonly ScanSource[] = ['stat'];
/** The euid: status's when status is read, else the owner of /proc/<pid> (libproc2 reads status only when a field needs it). */
const OWN: readonly ScanSource[] = ['owner'];
const euid = (t: TopTask): number => (t.p.r.status ? t.p.uids[1]! : (t.p.r.ownerUid ?? 0));
const SS: readonly ScanSource[] = ['status'];
const SM: readonly ScanSource[] = ['statm'];
const nsIndex = (name: string): number => ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'].indexOf(name);
const ns = (name: string, json: string, which: string): Spec =>
  num(name, 10, json, ['ns'], (t) => t.p.r.ns?.[nsIndex(which)] ?? 0, true);

const SPECS: Spec[] = [
  num('PID', 0, 'pid', ST, (t) => t.p.tid),
  num('PPID', 0, 'ppid', ST, (t) => t.p.r.stat.ppid),
  num('UID', 5, 'uid', OWN, euid),
  text('USER', 8, 'user', OWN, (t) => userName(euid(t)), true),
  num('RUID', 5, 'ruid', SS, (t) => t.p.uids[0]!),
  text('RUSER', 8, 'ruser', SS, (t) => userName(t.p.uids[0]!), true),
  num('SUID', 5, 'suid', SS, (t) => t.p.uids[2]!),
  text('SUSER', 8, 'suser', SS, (t) => userName(t.p.uids[2]!), true),
  num('GID', 5, 'gid', SS, (t) => t.p.gids[1]!),
  text('GROUP', 8, 'group', SS, (t) => groupName(t.p.gids[1]!), true),
  num('PGRP', 0, 'pgrp', ST, (t) => t.p.r.stat.pgrp),
  text('TTY', 8, 'tty', ST, (t) => t.p.ttyName, false, (t) => (t.p.r.stat.ttyNr === 0 ? null : t.p.ttyName)),
  num('TPGID', 0, 'tpgid', ST, (t) => t.p.r.stat.tpgid),
  num('SID', 0, 'sid', ST, (t) => t.p.r.stat.session),
  {
    name: 'PR', width: 3, align: 'num', scaled: false, sources: ST, json: 'priority', sortType: 'num',
    sortKey: (t) => t.p.r.stat.priority,
    cell: (t, c, w) => {
      const pr = t.p.r.stat.priority;
      return pr < -99 || pr > 999 ? makeStr('rt', w, c.justNum) : makeNum(pr, w, c.justNum, false, c.zeroSuppress);
    },
    value: (t) => {
      const pr = t.p.r.stat.priority;
      return pr < -99 || pr > 999 ? 'rt' : pr;
    },
  },
  num('NI', 3, 'nice', ST, (t) => t.p.r.stat.nice, true),
  num('nTH', 3, 'threads', ST, (t) => t.p.nlwp),
  num('P', 0, 'processor', ST, (t) => t.p.r.stat.processor),
  {
    name: '%CPU', width: 5, align: 'num', scaled: false, sources: ST, json: 'cpuPercent', sortType: 'num',
    sortKey: (t) => t.cpuTicks,
    cell: (t, c, w) => scalePcnt(cpuPercent(t, c), w, c.justNum, false, c.zeroSuppress),
    value: cpuPercentExact,
  },
  {
    name: 'TIME', width: 6, align: 'num', scaled: false, sources: ST, json: 'time', sortType: 'num',
    sortKey: ticsOf,
    cell: (t, c, w) => scaleTics(ticsOf(t, c), c.hertz, w, c.justNum, TICS.SECS, c.ticsScaled, c.zeroSuppress),
    value: (t, c) => ticsOf(t, c) / c.hertz,
  },
  {
    name: 'TIME+', width: 9, align: 'num', scaled: false, sources: ST, json: 'cpuTime', sortType: 'num',
    sortKey: ticsOf,
    cell: (t, c, w) => scaleTics(ticsOf(t, c), c.hertz, w, c.justNum, TICS.SECS, c.ticsScaled, c.zeroSuppress),
    value: (t, c) => ticsOf(t, c) / c.hertz,
  },
  {
    name: '%MEM', width: 5, align: 'num', scaled: false, sources: SM, json: 'memPercent', sortType: 'num',
    sortKey: (t, c) => KIB.MEM_RES!(t, c),
    cell: (t, c, w) => scalePcnt(memPercent(t, c), w, c.justNum, false, c.zeroSuppress),
    value: (t, c) => (KIB.MEM_RES!(t, c) * 100) / c.memTotalKiB,
  },
  mem('VIRT', 7, 'virt', SM, 'MEM_VIRT'),
  mem('SWAP', 6, 'swap', SS, 'VM_SWAP'),
  mem('RES', 6, 'res', SM, 'MEM_RES'),
  mem('CODE', 6, 'code', SM, 'MEM_CODE'),
  mem('DATA', 7, 'data', SM, 'MEM_DATA'),
  mem('SHR', 6, 'shr', SM, 'MEM_SHR'),
  count('nMaj', 4, 'majorFaults', ST, (t) => t.p.r.stat.majflt),
  count('nMin', 4, 'minorFaults', ST, (t) => t.p.r.stat.minflt),
  mem('nDRT', 4, 'dirtyPages', [], 'noop', false),
  {
    name: 'S', width: 1, align: 'num', scaled: false, sources: ST, json: 'state', sortType: 'num',
    sortKey: (t) => t.p.state.charCodeAt(0),
    cell: (t, c, w) => makeChr(t.p.state, w, c.justStr),
    value: (t) => t.p.state,
  },
  varText('COMMAND', 'command', ['stat', 'cmdline'], commandText, commandValue),
  text('WCHAN', 10, 'wchan', ['wchan'], (t) => t.p.wchanName, false),
  {
    name: 'Flags', width: 8, align: 'str', scaled: false, sources: ST, json: 'flags', sortType: 'num',
    sortKey: (t) => t.p.r.stat.flags,
    cell: (t, c, w) => makeStr(hexMake(t.p.r.stat.flags, true), w, c.justStr),
    value: (t) => t.p.r.stat.flags,
  },
  varText('CGROUPS', 'cgroups', ['cgroup'], (t) => t.p.cgroup, (t) => t.p.cgroupList),
  varText('SUPGIDS', 'supgids', SS, (t) => t.p.supgid, (t) => [...(t.p.r.status?.groups ?? [])], false),
  varText('SUPGRPS', 'supgroups', SS, (t) => t.p.supgrp, (t) => (t.p.r.status?.groups ?? []).map(groupName)),
  num('TGID', 0, 'tgid', ST, (t) => t.p.tgid),
  num('OOMa', 5, 'oomAdj', ['oom'], (t) => t.p.r.oomScoreAdj ?? 0, true),
  num('OOMs', 4, 'oomScore', ['oom'], (t) => t.p.r.oomScore ?? 0, true),
  varText('ENVIRON', 'environ', ['environ'], (t) => t.p.environ, (t) => t.p.environList),
  count('vMj', 3, 'majorFaultsDelta', ST, (t) => t.majfltDelta),
  count('vMn', 3, 'minorFaultsDelta', ST, (t) => t.minfltDelta),
  mem('USED', 6, 'used', SS, 'VM_USED'),
  ns('nsIPC', 'nsIpc', 'ipc'),
  ns('nsMNT', 'nsMnt', 'mnt'),
  ns('nsNET', 'nsNet', 'net'),
  ns('nsPID', 'nsPid', 'pid'),
  ns('nsUSER', 'nsUser', 'user'),
  ns('nsUTS', 'nsUts', 'uts'),
  text('LXC', 8, 'lxc', ['cgroup'], (t) => t.p.lxc, false),
  mem('RSan', 6, 'rssAnon', SS, 'VM_RSS_ANON'),
  mem('RSfd', 6, 'rssFile', SS, 'VM_RSS_FILE'),
  mem('RSlk', 6, 'rssLocked', SS, 'VM_RSS_LOCKED'),
  mem('RSsh', 6, 'rssShared', SS, 'VM_RSS_SHARED'),
  varText('CGNAME', 'cgname', ['cgroup'], (t) => t.p.cgname, (t, c) => shown(t.p.cgname, c)),
  num('NU', 0, 'numaNode', ST, (t) => t.p.numaNode),
  num('LOGID', 5, 'loginUid', ['loginuid'], (t) => t.p.loginId),
  varText('EXE', 'exe', ['exe'], (t) => t.p.exe, (t) => t.p.r.exe || null),
  mem('RSS', 6, 'rss', ['smaps'], 'SMAP_RSS'),
  mem('PSS', 6, 'pss', ['smaps'], 'SMAP_PSS'),
  mem('PSan', 6, 'pssAnon', ['smaps'], 'SMAP_PSS_ANON'),
  mem('PSfd', 6, 'pssFile', ['smaps'], 'SMAP_PSS_FILE'),
  mem('PSsh', 6, 'pssShmem', ['smaps'], 'SMAP_PSS_SHMEM'),
  mem('USS', 6, 'uss', ['smaps'], 'SMAP_PRV_TOTAL'),
  count('ioR', 6, 'ioReadBytes', ['io'], (t) => t.p.r.io?.readBytes ?? 0),
  count('ioRop', 5, 'ioReadOps', ['io'], (t) => t.p.r.io?.syscr ?? 0),
  count('ioW', 6, 'ioWriteBytes', ['io'], (t) => t.p.r.io?.writeBytes ?? 0),
  count('ioWop', 5, 'ioWriteOps', ['io'], (t) => t.p.r.io?.syscw ?? 0),
  num('AGID', 5, 'autogroupId', ['autogroup'], (t) => t.p.r.autogroup?.id ?? -1),
  num('AGNI', 4, 'autogroupNice', ['autogroup'], (t) => t.p.r.autogroup?.nice ?? 0, true),
  {
    name: 'STARTED', width: 7, align: 'num', scaled: false, sources: ST, json: 'started', sortType: 'num',
    sortKey: (t) => t.p.r.stat.starttime,
    cell: (t, c, w) => scaleTics(t.p.r.stat.starttime, c.hertz, w, c.justNum, TICS.MINS, c.ticsScaled, c.zeroSuppress),
    value: (t, c) => t.p.r.stat.starttime / c.hertz,
  },
  {
    name: 'ELAPSED', width: 7, align: 'num', scaled: false, sources: ST, json: 'elapsed', sortType: 'num',
    sortKey: (t) => t.p.elapsed,
    cell: (t, c, w) => scaleTics(Math.trunc(t.p.elapsed * c.hertz), c.hertz, w, c.justNum, TICS.HOUR, c.ticsScaled, c.zeroSuppress),
    value: (t) => t.p.elapsed,
  },
  {
    name: '%CUU', width: 6, align: 'num', scaled: false, sources: ST, json: 'cpuUtilization', sortType: 'num',
    sortKey: (t) => t.p.utilization(false),
    cell: (t, c, w) => scalePcnt(t.p.utilization(false), w, c.justNum, true, c.zeroSuppress),
    value: (t) => t.p.utilization(false),
  },
  {
    name: '%CUC', width: 7, align: 'num', scaled: false, sources: ST, json: 'cpuUtilizationChildren', sortType: 'num',
    sortKey: (t) => t.p.utilization(true),
    cell: (t, c, w) => scalePcnt(t.p.utilization(true), w, c.justNum, true, c.zeroSuppress),
    value: (t) => t.p.utilization(true),
  },
  ns('nsCGROUP', 'nsCgroup', 'cgroup'),
  ns('nsTIME', 'nsTime', 'time'),
];


/** Every field, by Fieldstab index (EU_*). */
export const FIELDS: readonly Field[] = SPECS.map((s, id) => ({ ...s, id }));

/** Fieldstab indexes by name. */
export const EU: Readonly<Record<string, number>> = Object.fromEntries(FIELDS.map((f) => [f.name, f.id]));

/** The field of a name as -o takes it (exact, case-sensitive as top's STRCMP), or undefined. */
export function fieldByName(name: string): Field | undefined {
  const id = EU[name];
  return id === undefined ? undefined : FIELDS[id];
}
