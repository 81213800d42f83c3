/**
 * The printers: one per kind of ps column, each with the items it reads
 * (which decide the scan's sources and whether a --sort key is usable), the
 * text procps prints, and the typed value --json gives.
 */
import type { ScanSource } from '../../core/process/scan.js';
import { psEscape, type Escaped } from '../../text/procps-escape.js';
import { latin1ToText } from '../../core/base/text-bytes.js';
import { loginId, userOf, groupOf, type Env, type Proc } from '../../text/procps-proc.js';

/** What a printer may look at besides the process. */
export interface Ctx {
  env: Env;
  /** Room for this cell (the column's width, or the rest of the line for the last column). */
  maxRightward: number;
  /** Forest prefix codes for this row: ' ', 'L', '+', '|'. */
  forestPrefix: string;
  /** 'u' for -H (two-space indents), anything else for the \_ art. */
  forestType: string;
  bsdE: boolean;
  /** BSD c: args shows the command name. */
  bsdC: boolean;
  unixF: boolean;
  userIsNumber: boolean;
  wchanIsNumber: boolean;
  includeDead: boolean;
  wideSignals: boolean;
  /** procps's header countdown when the row prints (the _left... test columns cycle on it). */
  linesToNext: number;
}

export interface Printer {
  /** procps result items it reads. */
  readonly items: readonly string[];
  /** Extra scan sources that no item names (security label...). */
  readonly sources?: readonly ScanSource[];
  readonly text: (p: Proc, c: Ctx) => string;
  readonly json: (p: Proc, c: Ctx) => unknown;
}

const OUTBUF_SIZE = 2 * 64 * 1024;

function dhms(t: number, alwaysHours: boolean): string {
  const ss = t % 60;
  t = Math.floor(t / 60);
  const mm = t % 60;
  t = Math.floor(t / 60);
  const hh = t % 24;
  const dd = Math.floor(t / 24);
  const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
  let out = dd ? `${dd}-` : '';
  if (alwaysHours || dd || hh) out += `${p2(hh)}:`;
  return `${out}${p2(mm)}:${p2(ss)}`;
}

const WDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number, c = '0'): string => (n < 10 ? `${c}${n}` : String(n));


function iso(epoch: number): string {
  return new Date(Math.round(epoch * 1000)).toISOString();
}

/** procps's per-mille CPU (cpu ticks × 1000 / elapsed ticks, integer arithmetic). */
function permille(p: Proc, c: Ctx, scale: number): number {
  const total = c.includeDead ? p.ticsAllC : p.ticsAll;
  const jiffies = Math.trunc(p.elapsed * c.env.hertz);
  return jiffies ? Math.floor((total * scale) / jiffies) : 0;
}

function pcpuValue(p: Proc, c: Ctx): number {
  const v = permille(p, c, 1000);
  return v > 999 ? Math.floor(v / 10) : v / 10;
}

function pmemValue(p: Proc, c: Ctx): number {
  const rss = p.r.status?.vmRss ?? 0;
  let v = Math.floor((rss * 1000) / c.env.memTotalKiB);
  if (v > 999) v = 999;
  return v;
}

/** ps's forest art for the row ("\_ " for BSD f/--forest, indentation for -H), cut to the room. */
function forest(c: Ctx): string {
  if (!c.forestPrefix) return '';
  let room = Math.min(c.maxRightward, OUTBUF_SIZE - 1);
  let out = '';
  const unix = c.forestType === 'u';
  for (const ch of c.forestPrefix) {
    if (unix) {
      if (room < 2) break;
      out += '  ';
      room -= 2;
      continue;
    }
    if (room < 4) break;
    out += ch === ' ' ? '    ' : ch === '|' ? ' |  ' : ' \\_ ';
    room -= 4;
  }
  return out;
}

/** args/comm: forest art, the text cut to the room, and with BSD e the environment after it. */
function command(p: Proc, c: Ctx, main: string, withForest: boolean): string {
  const fh = withForest ? forest(c) : '';
  let room = c.maxRightward - fh.length;
  const e: Escaped = psEscape(main, room, c.env.utf8);
  room -= e.cells;
  let out = fh + e.text;
  if (c.bsdE && room > 1) {
    const env = p.environ;
    if (env !== '-') {
      out += ' ';
      room--;
      out += psEscape(env, room, c.env.utf8).text;
    }
  }
  return out;
}

/**
 * args/comm in JSON: the exact value of what the column shows — the command
 * line as an array of arguments, or the command name as a string (never cut,
 * never escaped; bytes that are not UTF-8 as U+DC80..U+DCFF, see
 * core/text-bytes). BSD e's environment goes in the row's "environ" key.
 */
function commandJson(p: Proc, showsName: boolean): string | string[] {
  return showsName ? p.commText : p.argv;
}

/** cgname in JSON: the exact text after ":name=" in the cgroups, as ps's column takes it, or null. */
function cgnameJson(p: Proc): string | null {
  const c = p.cgroupList.join(',');
  const i = c.indexOf(':name=');
  const v = i >= 0 && c.length > i + 6 ? c.slice(i + 6) : c;
  return v === '' ? null : v;
}

/** A user or group name: cut with '+' when it does not fit, the number with BSD n. */
function name(n: string, id: number, c: Ctx): string {
  if (!c.userIsNumber) {
    const e = psEscape(n, OUTBUF_SIZE, c.env.utf8);
    if (e.cells <= c.maxRightward) return e.text;
    if (c.maxRightward >= 1 && e.text.charCodeAt(c.maxRightward - 1) < 127) return `${e.text.slice(0, c.maxRightward - 1)}+`;
  }
  return String(id >>> 0);
}

/** A signal mask (hex text) in 9 or 16 columns, as procps cuts it. */
function sig(mask: string, c: Ctx): string {
  const len = mask.length;
  if (c.wideSignals) return len > 8 ? mask : `00000000${mask}`;
  if (len - (/^0*/.exec(mask)![0].length) > 8) return `<${mask.slice(len - 8)}`;
  if (len < 8) return '00000000'.slice(len) + mask;
  return mask.slice(len - 8);
}

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}

const CLASS = ['TS', 'FF', 'RR', 'B', 'ISO', 'IDL', 'DLN', '#7', '#8', '#9'];
function className(policy: number): string {
  if (policy === -1) return '-';
  return CLASS[policy] ?? '?';
}

function nsText(p: Proc, i: number): string {
  const v = p.r.ns?.[i] ?? 0;
  return v ? String(v) : '-';
}

function attrLabel(p: Proc): string {
  const a = p.r.attrCurrent;
  if (!a) return '-';
  const m = /^[\x20-\x7e]*/.exec(a)![0];
  return m.length ? m : '-';
}

const num = (f: (p: Proc, c: Ctx) => number, items: readonly string[]): Printer => ({
  items,
  text: (p, c) => String(f(p, c)),
  json: (p, c) => f(p, c),
});
const orDash = (v: string): string | null => (v === '-' ? null : v);
const dashNum = (s: string): number | null => (s === '-' ? null : Number(s));

/** Local calendar facts of an epoch second, memoized (processes often share a start second; Date's local-time work is slow). */
interface Cal {
  year: number;
  month: number;
  date: number;
  yday: number;
  hh: number;
  mm: number;
  ctime: string;
}
const calCache = new Map<number, Cal>();
/** Forgets the memoized dates (each run starts afresh: the time zone may have changed). */
export function resetCalendar(): void {
  calCache.clear();
}
function cal(epoch: number): Cal {
  let v = calCache.get(epoch);
  if (!v) {
    const d = new Date(epoch * 1000);
    const year = d.getFullYear();
    const month = d.getMonth();
    const date = d.getDate();
    v = {
      year,
      month,
      date,
      yday: Math.round((Date.UTC(year, month, date) - Date.UTC(year, 0, 1)) / 86400000),
      hh: d.getHours(),
      mm: d.getMinutes(),
      ctime: `${WDAY[d.getDay()]} ${MON[month]} ${pad2(date, ' ')} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${year}`,
    };
    calCache.set(epoch, v);
  }
  return v;
}

/** C's ctime() without the newline: "Wed Jun 30 21:49:08 1993" (local time). */
export function ctime(epoch: number): string {
  return cal(epoch).ctime;
}

/** STIME/START (-f, u): HH:MM today, MmmDD this year, else the year. */
function stimeText(p: Proc, c: Ctx): string {
  const now = cal(c.env.now);
  const t = cal(p.startEpoch);
  if (now.year !== t.year) return String(t.year);
  if (now.yday !== t.yday) return `${MON[t.month]}${pad2(t.date)}`;
  return `${pad2(t.hh)}:${pad2(t.mm)}`;
}

function startText(p: Proc, c: Ctx): string {
  const t = p.startEpoch;
  const s = ctime(t);
  if (t + 86400 > c.env.now) return s.slice(11, 19);
  return `  ${s.slice(4, 8)}${s[8] === ' ' ? '0' : s[8]}${s[9]}`;
}

function bsdstartText(p: Proc, c: Ctx): string {
  const t = p.startEpoch;
  let ago = c.env.now - t;
  if (ago < 0) ago = 0;
  const s = ctime(t);
  return ago > 86400 ? s.slice(4, 10) : s.slice(10, 16);
}

const startJson = (p: Proc): string => iso(p.startEpochExact);

const TIMES = ['TICS_ALL', 'TICS_ALL_C', 'TIME_ELAPSED', 'UTILIZATION'];

/** procps's layout test columns: a value picked by the header countdown (as an unsigned int). */
const cycle = (vals: readonly string[], cut: boolean): Printer => {
  const pick = (c: Ctx): string => vals[(c.linesToNext >>> 0) % vals.length]!;
  return { items: [], text: (_p, c) => (cut ? pick(c).slice(0, Math.max(0, c.maxRightward)) : pick(c)), json: (_p, c) => pick(c) };
};

export const PRINTERS: Record<string, Printer> = {
  t_left: cycle(['tty7', 'pts/9999', 'iseries/vtty42', 'ttySMX0', '3270/tty4'], false),
  t_left2: cycle(['tty7', 'pts/9999', 'ttySMX0', '3270/tty4'], false),
  t_right: cycle(['999-23:59:59', '99-23:59:59', '9-23:59:59', '59:59'], false),
  t_right2: cycle(['999-23:59:59', '99-23:59:59', '9-23:59:59'], false),
  t_unlimited: cycle(['[123456789-12345] <defunct>', 'ps', '123456789-123456'], true),
  t_unlimited2: cycle(['unlimited', '[123456789-12345] <defunct>', 'ps', '123456789-123456'], true),
  nop: { items: ['noop'], text: () => '-', json: () => null },
  pcpu: {
    items: TIMES,
    text: (p, c) => {
      const v = permille(p, c, 1000);
      return v > 999 ? String(Math.floor(v / 10)) : `${Math.floor(v / 10)}.${v % 10}`;
    },
    json: pcpuValue,
  },
  c: { items: TIMES, text: (p, c) => String(Math.min(permille(p, c, 100), 99)).padStart(2), json: (p, c) => Math.min(permille(p, c, 100), 99) },
  cp: { items: TIMES, text: (p, c) => String(Math.min(permille(p, c, 1000), 999)).padStart(3), json: (p, c) => Math.min(permille(p, c, 1000), 999) },
  pmem: {
    items: ['VM_RSS'],
    text: (p, c) => {
      const v = pmemValue(p, c);
      return `${String(Math.floor(v / 10)).padStart(2)}.${v % 10}`;
    },
    json: (p, c) => pmemValue(p, c) / 10,
  },
  utilization: {
    items: ['UTILIZATION'],
    text: (p) => {
      const u = p.utilization(false);
      return (u > 99 ? 99.999 : u).toFixed(3);
    },
    json: (p) => p.utilization(false),
  },
  utilization_c: {
    items: ['UTILIZATION_C'],
    text: (p) => {
      const u = p.utilization(true);
      return (u > 99 ? 99.999 : u).toFixed(3);
    },
    json: (p) => p.utilization(true),
  },
  // Debian's 4.0.2 carries upstream's fix for BSD c: args then shows the command name.
  args: {
    items: ['CMDLINE', 'CMD', 'ENVIRON'],
    text: (p, c) => command(p, c, c.bsdC ? p.cmd : p.cmdline, true),
    json: (p, c) => commandJson(p, c.bsdC),
  },
  comm: {
    items: ['CMD', 'CMDLINE', 'ENVIRON'],
    text: (p, c) => command(p, c, c.unixF ? p.cmdline : p.cmd, true),
    json: (p, c) => commandJson(p, !c.unixF),
  },
  fname: {
    items: ['CMD'],
    text: (p, c) => {
      const fh = forest(c);
      let room = c.maxRightward - fh.length;
      if (room > 8) room = 8;
      return fh + psEscape(p.cmd, room, c.env.utf8).text;
    },
    json: (p) => latin1ToText(p.r.stat.comm.slice(0, 8)),
  },
  cgname: { items: ['CGNAME'], text: (p, c) => psEscape(p.cgname, c.maxRightward, c.env.utf8).text, json: (p) => cgnameJson(p) },
  cgroup: { items: ['CGROUP'], text: (p, c) => psEscape(p.cgroup, c.maxRightward, c.env.utf8).text, json: (p) => p.cgroupList.join(',') || null },
  exe: { items: ['EXE'], text: (p, c) => psEscape(p.exe, c.maxRightward, c.env.utf8).text, json: (p) => (p.r.exe ? latin1ToText(p.r.exe) : null) },
  supgid: { items: ['SUPGIDS'], text: (p, c) => p.supgid.slice(0, Math.max(0, c.maxRightward)), json: (p) => p.r.status?.groups.slice() ?? [] },
  supgrp: {
    items: ['SUPGROUPS'],
    text: (p, c) => psEscape(p.supgrp, c.maxRightward, c.env.utf8).text,
    json: (p) => (p.r.status?.groups ?? []).map(groupOf),
  },
  etime: { items: ['TIME_ELAPSED'], text: (p) => dhms(Math.trunc(p.elapsed), false), json: (p) => Math.trunc(p.elapsed) },
  etimes: { items: ['TIME_ELAPSED'], text: (p) => String(Math.trunc(p.elapsed) >>> 0), json: (p) => Math.trunc(p.elapsed) },
  time: { items: ['TIME_ALL'], text: (p) => dhms(Math.trunc(p.timeAll), true), json: (p) => p.timeAll },
  times: { items: ['TIME_ALL'], text: (p) => String(Math.trunc(p.timeAll)), json: (p) => p.timeAll },
  bsdtime: {
    items: ['TICS_ALL', 'TICS_ALL_C'],
    text: (p, c) => {
      const u = Math.floor((c.includeDead ? p.ticsAllC : p.ticsAll) / c.env.hertz);
      return `${String(Math.floor(u / 60)).padStart(3)}:${pad2(u % 60)}`;
    },
    json: (p, c) => (c.includeDead ? p.ticsAllC : p.ticsAll) / c.env.hertz,
  },
  pgid: num((p) => p.r.stat.pgrp, ['ID_PGRP']),
  ppid: num((p) => p.r.stat.ppid, ['ID_PPID']),
  procs: num((p) => p.tgid, ['ID_TGID']),
  tasks: num((p) => p.tid, ['ID_PID']),
  sess: num((p) => p.r.stat.session, ['ID_SESSION']),
  tpgid: num((p) => p.r.stat.tpgid, ['ID_TPGID']),
  nlwp: num((p) => p.nlwp, ['NLWP']),
  vsz: num((p) => p.r.status?.vmSize ?? 0, ['VM_SIZE']),
  rss: num((p) => p.r.status?.vmRss ?? 0, ['VM_RSS']),
  sz: num((p, c) => Math.floor((p.r.status?.vmSize ?? 0) / Math.floor(c.env.pageSize / 1024)), ['VM_SIZE']),
  size: num((p) => p.r.stat.vsize, ['VSIZE_BYTES']),
  swapable: num((p) => (p.r.status?.vmData ?? 0) + (p.r.status?.vmStk ?? 0), ['VM_DATA', 'VM_STACK', 'VSIZE_BYTES']),
  drs: num((p) => (p.r.stat.vsize ? Math.floor((p.r.stat.vsize - p.r.stat.endcode + p.r.stat.startcode) / 1024) : 0), ['VSIZE_BYTES', 'ADDR_CODE_END', 'ADDR_CODE_START']),
  dsiz: num((p) => (p.r.stat.vsize ? Math.floor((p.r.stat.vsize - p.r.stat.endcode + p.r.stat.startcode) / 1024) : 0), ['VSIZE_BYTES', 'ADDR_CODE_END', 'ADDR_CODE_START']),
  trs: num((p) => (p.r.stat.vsize ? Math.floor((p.r.stat.endcode - p.r.stat.startcode) / 1024) : 0), ['VSIZE_BYTES', 'ADDR_CODE_END', 'ADDR_CODE_START']),
  tsiz: num((p) => (p.r.stat.vsize ? Math.floor((p.r.stat.endcode - p.r.stat.startcode) / 1024) : 0), ['VSIZE_BYTES', 'ADDR_CODE_END', 'ADDR_CODE_START']),
  minflt: num((p, c) => (c.includeDead ? p.r.stat.minflt + p.r.stat.cminflt : p.r.stat.minflt), ['FLT_MIN', 'FLT_MIN_C']),
  majflt: num((p, c) => (c.includeDead ? p.r.stat.majflt + p.r.stat.cmajflt : p.r.stat.majflt), ['FLT_MAJ', 'FLT_MAJ_C']),
  lim: {
    items: ['RSS_RLIM'],
    text: (p) => (p.r.stat.rsslim === Infinity ? 'xx' : String(Math.floor(p.r.stat.rsslim / 1024)).padStart(5)),
    json: (p) => (p.r.stat.rsslim === Infinity ? null : Math.floor(p.r.stat.rsslim / 1024)),
  },
  psr: num((p) => p.r.stat.processor, ['PROCESSOR']),
  numa: num((p) => p.numaNode, ['PROCESSOR_NODE']),
  pss: num((p) => p.r.smaps?.pss ?? 0, ['SMAP_PSS']),
  uss: num((p) => (p.r.smaps ? p.r.smaps.privateClean + p.r.smaps.privateDirty : 0), ['SMAP_PRV_TOTAL']),
  oom: num((p) => p.r.oomScore ?? 0, ['OOM_SCORE']),
  oom_adj: num((p) => p.r.oomScoreAdj ?? 0, ['OOM_ADJ']),
  agid: num((p) => p.r.autogroup?.id ?? -1, ['AUTOGRP_ID']),
  agnice: num((p) => p.r.autogroup?.nice ?? 0, ['AUTOGRP_NICE']),
  priority: num((p) => p.r.stat.priority, ['PRIORITY']),
  opri: num((p) => 60 + p.r.stat.priority, ['PRIORITY']),
  pri_foo: num((p) => p.r.stat.priority - 20, ['PRIORITY']),
  pri_bar: num((p) => p.r.stat.priority + 1, ['PRIORITY']),
  pri_baz: num((p) => p.r.stat.priority + 100, ['PRIORITY']),
  pri: num((p) => 39 - p.r.stat.priority, ['PRIORITY']),
  pri_api: num((p) => -1 - p.r.stat.priority, ['PRIORITY']),
  nice: {
    items: ['NICE', 'SCHED_CLASS'],
    text: (p) => {
      const pol = p.r.stat.policy;
      return pol !== 0 && pol !== 3 && pol !== -1 ? '-' : String(p.r.stat.nice);
    },
    json: (p) => {
      const pol = p.r.stat.policy;
      return pol !== 0 && pol !== 3 && pol !== -1 ? null : p.r.stat.nice;
    },
  },
  class: { items: ['SCHED_CLASS'], text: (p) => className(p.r.stat.policy), json: (p) => orDash(className(p.r.stat.policy)) },
  rtprio: {
    items: ['SCHED_CLASS', 'PRIORITY_RT'],
    text: (p) => (p.r.stat.policy === 0 || p.r.stat.policy === -1 ? '-' : String(p.r.stat.rtPriority)),
    json: (p) => (p.r.stat.policy === 0 || p.r.stat.policy === -1 ? null : p.r.stat.rtPriority),
  },
  sched: { items: ['SCHED_CLASS'], text: (p) => (p.r.stat.policy === -1 ? '-' : String(p.r.stat.policy)), json: (p) => (p.r.stat.policy === -1 ? null : p.r.stat.policy) },
  wchan: {
    items: ['WCHAN_NAME'],
    text: (p, c) => p.wchanName.slice(0, Math.max(0, c.maxRightward)),
    json: (p) => orDash(p.wchanName),
  },
  tty4: { items: ['TTY_NUMBER'], text: (p) => p.ttyNumber, json: (p) => (p.r.stat.ttyNr === 0 ? null : p.ttyNumber) },
  tty8: { items: ['TTY_NAME'], text: (p) => p.ttyName, json: (p) => (p.r.stat.ttyNr === 0 ? null : p.ttyName) },
  stat: {
    items: ['STATE', 'NICE', 'VM_RSS_LOCKED', 'ID_SESSION', 'ID_TGID', 'NLWP', 'ID_PGRP', 'ID_TPGID'],
    text: statText,
    json: statText,
  },
  s: { items: ['STATE'], text: (p) => p.state, json: (p) => p.state },
  flag: { items: ['FLAGS'], text: (p) => ((Math.floor(p.r.stat.flags / 64) & 7).toString(8)), json: (p) => Math.floor(p.r.stat.flags / 64) & 7 },
  stackp: { items: ['ADDR_STACK_START'], text: (p) => hex16(p.r.stat.startstack), json: (p) => p.r.stat.startstack },
  esp: { items: ['ADDR_CURR_ESP'], text: (p) => hex16(p.r.stat.kstkesp), json: (p) => p.r.stat.kstkesp },
  eip: { items: ['ADDR_CURR_EIP'], text: (p) => hex16(p.r.stat.kstkeip), json: (p) => p.r.stat.kstkeip },
  bsdstart: { items: ['TICS_BEGAN'], text: bsdstartText, json: startJson },
  start: { items: ['TICS_BEGAN'], text: startText, json: startJson },
  stime: { items: ['TICS_BEGAN'], text: stimeText, json: startJson },
  lstart: { items: ['TICS_BEGAN'], text: (p) => ctime(p.startEpoch), json: startJson },
  sig: { items: ['SIGNALS'], text: (p, c) => sig(p.signals, c), json: (p) => p.signals },
  tsig: { items: ['SIGPENDING'], text: (p, c) => sig(p.r.status?.sigPnd ?? '', c), json: (p) => p.r.status?.sigPnd ?? null },
  sigmask: { items: ['SIGBLOCKED'], text: (p, c) => sig(p.r.status?.sigBlk ?? '', c), json: (p) => p.r.status?.sigBlk ?? null },
  sigignore: { items: ['SIGIGNORE'], text: (p, c) => sig(p.r.status?.sigIgn ?? '', c), json: (p) => p.r.status?.sigIgn ?? null },
  sigcatch: { items: ['SIGCATCH'], text: (p, c) => sig(p.r.status?.sigCgt ?? '', c), json: (p) => p.r.status?.sigCgt ?? null },
  egid: num((p) => p.gids[1]!, ['ID_EGID']),
  rgid: num((p) => p.gids[0]!, ['ID_RGID']),
  sgid: num((p) => p.gids[2]!, ['ID_SGID']),
  fgid: num((p) => p.gids[3]!, ['ID_FGID']),
  euid: num((p) => p.uids[1]!, ['ID_EUID']),
  ruid: num((p) => p.uids[0]!, ['ID_RUID']),
  suid: num((p) => p.uids[2]!, ['ID_SUID']),
  fuid: num((p) => p.uids[3]!, ['ID_FUID']),
  luid: { items: ['ID_LOGIN'], text: (p) => (loginId(p) === -1 ? '-' : String(loginId(p))), json: (p) => (loginId(p) === -1 ? null : loginId(p)) },
  ruser: { items: ['ID_RUSER', 'ID_RUID'], text: (p, c) => name(userOf(p.uids[0]!), p.uids[0]!, c), json: (p) => userOf(p.uids[0]!) },
  euser: { items: ['ID_EUSER', 'ID_EUID'], text: (p, c) => name(userOf(p.uids[1]!), p.uids[1]!, c), json: (p) => userOf(p.uids[1]!) },
  suser: { items: ['ID_SUSER', 'ID_SUID'], text: (p, c) => name(userOf(p.uids[2]!), p.uids[2]!, c), json: (p) => userOf(p.uids[2]!) },
  fuser: { items: ['ID_FUSER', 'ID_FUID'], text: (p, c) => name(userOf(p.uids[3]!), p.uids[3]!, c), json: (p) => userOf(p.uids[3]!) },
  rgroup: { items: ['ID_RGROUP', 'ID_RGID'], text: (p, c) => name(groupOf(p.gids[0]!), p.gids[0]!, c), json: (p) => groupOf(p.gids[0]!) },
  egroup: { items: ['ID_EGROUP', 'ID_EGID'], text: (p, c) => name(groupOf(p.gids[1]!), p.gids[1]!, c), json: (p) => groupOf(p.gids[1]!) },
  sgroup: { items: ['ID_SGROUP', 'ID_SGID'], text: (p, c) => name(groupOf(p.gids[2]!), p.gids[2]!, c), json: (p) => groupOf(p.gids[2]!) },
  fgroup: { items: ['ID_FGROUP', 'ID_FGID'], text: (p, c) => name(groupOf(p.gids[3]!), p.gids[3]!, c), json: (p) => groupOf(p.gids[3]!) },
  rbytes: num((p) => p.r.io?.readBytes ?? 0, ['IO_READ_BYTES']),
  rchars: num((p) => p.r.io?.rchar ?? 0, ['IO_READ_CHARS']),
  rops: num((p) => p.r.io?.syscr ?? 0, ['IO_READ_OPS']),
  wbytes: num((p) => p.r.io?.writeBytes ?? 0, ['IO_WRITE_BYTES']),
  wcbytes: num((p) => p.r.io?.cancelledWriteBytes ?? 0, ['IO_WRITE_CBYTES']),
  wchars: num((p) => p.r.io?.wchar ?? 0, ['IO_WRITE_CHARS']),
  wops: num((p) => p.r.io?.syscw ?? 0, ['IO_WRITE_OPS']),
  sgi_p: {
    items: ['STATE', 'PROCESSOR'],
    text: (p) => (p.state === 'R' ? String(p.r.stat.processor >>> 0) : '*'),
    json: (p) => (p.state === 'R' ? p.r.stat.processor : null),
  },
  sd_unit: { items: ['SD_UNIT'], text: (p) => p.sd.unit, json: (p) => orDash(p.sd.unit) },
  sd_session: { items: ['SD_SESS'], text: (p) => p.sd.session, json: (p) => orDash(p.sd.session) },
  sd_ouid: { items: ['SD_OUID'], text: (p) => p.sd.ouid, json: (p) => dashNum(p.sd.ouid) },
  sd_machine: { items: ['SD_MACH'], text: () => '-', json: () => null },
  sd_uunit: { items: ['SD_UUNIT'], text: (p) => p.sd.uunit, json: (p) => orDash(p.sd.uunit) },
  sd_seat: { items: ['SD_SEAT'], text: () => '-', json: () => null },
  sd_slice: { items: ['SD_SLICE'], text: (p) => p.sd.slice, json: (p) => orDash(p.sd.slice) },
  cgroupns: { items: ['NS_CGROUP'], text: (p) => nsText(p, 0), json: (p) => dashNum(nsText(p, 0)) },
  ipcns: { items: ['NS_IPC'], text: (p) => nsText(p, 1), json: (p) => dashNum(nsText(p, 1)) },
  mntns: { items: ['NS_MNT'], text: (p) => nsText(p, 2), json: (p) => dashNum(nsText(p, 2)) },
  netns: { items: ['NS_NET'], text: (p) => nsText(p, 3), json: (p) => dashNum(nsText(p, 3)) },
  pidns: { items: ['NS_PID'], text: (p) => nsText(p, 4), json: (p) => dashNum(nsText(p, 4)) },
  timens: { items: ['NS_TIME'], text: (p) => nsText(p, 5), json: (p) => dashNum(nsText(p, 5)) },
  userns: { items: ['NS_USER'], text: (p) => nsText(p, 6), json: (p) => dashNum(nsText(p, 6)) },
  utsns: { items: ['NS_UTS'], text: (p) => nsText(p, 7), json: (p) => dashNum(nsText(p, 7)) },
  lxcname: { items: ['LXCNAME'], text: (p) => p.lxc, json: (p) => orDash(p.lxc) },
  context: { items: ['ID_TGID'], sources: ['attr'], text: attrLabel, json: (p) => orDash(attrLabel(p)) },
};

function statText(p: Proc): string {
  const s = p.r.stat;
  let out = s.state;
  if (s.nice < 0) out += '<';
  if (s.nice > 0) out += 'N';
  if (p.r.status?.vmLck) out += 'L';
  if (s.session === p.tgid) out += 's';
  if (p.nlwp > 1) out += 'l';
  if (s.pgrp === s.tpgid) out += '+';
  return out;
}
