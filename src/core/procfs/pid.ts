/**
 * Parsers for the per-process files of procfs: /proc/<pid>/{stat, status,
 * statm, io, cmdline, environ, smaps_rollup (or smaps)}. Pure functions of
 * the file's text; malformed input raises ParseError, nothing else.
 */
import { ParseError } from '../base/errors.js';

// ------------------------------------------------------------------ stat

/** /proc/<pid>/stat (and task/<tid>/stat), the fields ptools uses; times in clock ticks. */
export interface PidStat {
  readonly pid: number;
  /** comm: up to 15 bytes (more for kernel workers), may hold spaces and parentheses. */
  readonly comm: string;
  /** One letter: R S D Z T t X I ... */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  /** Controlling terminal's device number (0: none). */
  readonly ttyNr: number;
  readonly tpgid: number;
  readonly flags: number;
  readonly minflt: number;
  readonly majflt: number;
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
  readonly priority: number;
  readonly nice: number;
  readonly numThreads: number;
  /** Start time in clock ticks after boot: with the pid, the process's identity. */
  readonly starttime: number;
  /** Virtual size in bytes. */
  readonly vsize: number;
  /** Resident pages. */
  readonly rss: number;
  /** CPU last run on (0 when the kernel does not say). */
  readonly processor: number;
  readonly rtPriority: number;
  readonly policy: number;
  /** Aggregated block I/O delays, clock ticks (psutil's iowait). */
  readonly blkioTicks: number;
  /** Exit status in waitpid(2) form (Linux 3.5+; 0 when absent or not permitted). */
  readonly exitCode: number;
}

/** PF_KTHREAD in stat's flags: a kernel thread. */
export const PF_KTHREAD = 0x00200000;

/** Scratch for the numeric fields of one stat line (parsing is synchronous, so one buffer serves all). */
const STAT_FIELDS = new Float64Array(64);

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Scratch for short lists of integers (statm, ids). */
const INTS = new Float64Array(16);

/**
 * Reads whitespace-separated unsigned integers of text[from, to) into `out`
 * (at most out.length); anything else is a ParseError. Returns the count.
 */
function scanUints(text: string, from: number, to: number, out: Float64Array, source: string, what: string): number {
  let i = from;
  let k = 0;
  while (k < out.length) {
    while (i < to && isSpace(text.charCodeAt(i))) i++;
    if (i >= to) break;
    let v = 0;
    let digits = 0;
    let c = 0;
    while (i < to && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || (i < to && !isSpace(text.charCodeAt(i)))) {
      throw new ParseError(source, `${what}: not a number near ${JSON.stringify(text.slice(Math.max(from, i - 10), i + 10))}`);
    }
    out[k++] = v;
  }
  return k;
}

/**
 * Reads the fields after the comm into STAT_FIELDS without making a string
 * per field (a scan of every process parses hundreds of these). Field 0 is
 * the state letter; an unreadable number is stored as NaN. Returns the
 * state and the number of fields.
 */
function scanStatFields(text: string, from: number, source: string): { state: string; count: number } {
  const n = text.length;
  let i = from;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  const s0 = i;
  while (i < n && !isSpace(text.charCodeAt(i))) i++;
  if (i - s0 !== 1) throw new ParseError(source, `bad state ${JSON.stringify(text.slice(s0, Math.min(i, s0 + 20)))}`);
  const state = text[s0]!;
  let idx = 1;
  while (idx < STAT_FIELDS.length) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    let neg = false;
    if (text.charCodeAt(i) === 45) {
      neg = true;
      i++;
    }
    let v = 0;
    let digits = 0;
    let c = 0;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || (i < n && !isSpace(text.charCodeAt(i)))) {
      v = NaN;
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
    }
    STAT_FIELDS[idx++] = neg ? -v : v;
  }
  return { state, count: idx };
}

/**
 * Parses /proc/<pid>/stat. The command name sits between the first '(' and
 * the LAST ')', since it may itself contain spaces and parentheses; the
 * fields are read from after that last ')'.
 */
export function parseStat(text: string, source = 'stat'): PidStat {
  const lpar = text.indexOf('(');
  const rpar = text.lastIndexOf(')');
  if (lpar < 0 || rpar < lpar) throw new ParseError(source, 'no "(comm)"');
  const pidText = text.slice(0, lpar).trim();
  if (!/^\d+$/.test(pidText)) throw new ParseError(source, `bad pid ${JSON.stringify(pidText.slice(0, 30))}`);
  const { state, count } = scanStatFields(text, rpar + 1, source);
  const f = STAT_FIELDS;
  // Fields up to starttime (22) exist on every kernel ptools runs on; later ones are read as 0 when absent.
  const get = (i: number, optional = false): number => {
    if (i >= count) {
      if (optional) return 0;
      throw new ParseError(source, `field ${i + 3} is missing`);
    }
    const v = f[i]!;
    if (Number.isNaN(v)) throw new ParseError(source, `field ${i + 3} is not a number`);
    return v;
  };
  return {
    pid: Number(pidText),
    comm: text.slice(lpar + 1, rpar),
    state,
    ppid: get(1),
    pgrp: get(2),
    session: get(3),
    ttyNr: get(4),
    tpgid: get(5),
    flags: get(6),
    minflt: get(7),
    majflt: get(9),
    utime: get(11),
    stime: get(12),
    cutime: get(13),
    cstime: get(14),
    priority: get(15),
    nice: get(16),
    numThreads: get(17),
    starttime: get(19),
    vsize: get(20, true),
    rss: get(21, true),
    processor: get(36, true),
    rtPriority: get(37, true),
    policy: get(38, true),
    blkioTicks: get(39, true),
    exitCode: get(49, true),
  };
}

/** Just the start time (field 22), for identity checks. */
export function statStartTime(text: string, source = 'stat'): number {
  return parseStat(text, source).starttime;
}

/** A waitpid(2) status word → psutil's return code: the exit status, or minus the signal. */
export function decodeWaitStatus(w: number): number {
  const sig = w & 0x7f;
  return sig === 0 ? (w >> 8) & 0xff : -sig;
}

// ------------------------------------------------------------------ status

/** The value after `key:` on its line of /proc/<pid>/status (leading blanks removed), or undefined. */
export function statusValue(text: string, key: string): string | undefined {
  let at: number;
  if (text.startsWith(key + ':')) at = 0;
  else {
    const i = text.indexOf('\n' + key + ':');
    if (i < 0) return undefined;
    at = i + 1;
  }
  let start = at + key.length + 1;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  while (start < end && (text.charCodeAt(start) === 9 || text.charCodeAt(start) === 32)) start++;
  return text.slice(start, end);
}

function need(text: string, key: string, source: string): string {
  const v = statusValue(text, key);
  if (v === undefined) throw new ParseError(source, `no "${key}:" line`);
  return v;
}

function toInt(s: string, source: string, what: string, radix = 10): number {
  const re = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^-?\d+$/;
  if (!re.test(s)) throw new ParseError(source, `${what}: not a number: ${JSON.stringify(s.slice(0, 40))}`);
  return radix === 10 ? Number(s) : parseInt(s, radix);
}

/** An integer field of status (Threads, Tgid, PPid, voluntary_ctxt_switches...). */
export function statusInt(text: string, key: string, source = 'status'): number {
  return toInt(need(text, key, source).trim(), source, key);
}

/** real, effective, saved (and filesystem) ids from the Uid:/Gid: line. */
export interface PidIds {
  readonly real: number;
  readonly effective: number;
  readonly saved: number;
  readonly fs: number;
}

export function statusIds(text: string, key: 'Uid' | 'Gid', source = 'status'): PidIds {
  const v = need(text, key, source);
  const n = scanUints(v, 0, v.length, INTS, source, key);
  if (n < 3) throw new ParseError(source, `${key}: expected 4 ids`);
  return { real: INTS[0]!, effective: INTS[1]!, saved: INTS[2]!, fs: n > 3 ? INTS[3]! : INTS[2]! };
}

/** Supplementary groups (Groups: line; empty for none). */
export function statusGroups(text: string, source = 'status'): number[] {
  const v = need(text, 'Groups', source).trim();
  return v === '' ? [] : v.split(/\s+/).map((p) => toInt(p, source, 'Groups'));
}

/** glibc's internal real-time signals (SIGCANCEL 32, SIGSETXID 33), hidden unless asked for, as in pypsutil. */
const INTERNAL_SIGNALS = new Set([32, 33]);

/** A hex signal mask (SigPnd/ShdPnd/SigBlk/SigIgn/SigCgt) → the signal numbers, ascending (bit n-1 is signal n). */
export function parseSigmask(hex: string, includeInternal = false, source = 'status'): number[] {
  const h = hex.trim();
  if (!/^[0-9a-fA-F]+$/.test(h)) throw new ParseError(source, `bad signal mask ${JSON.stringify(h.slice(0, 40))}`);
  const out: number[] = [];
  for (let i = h.length - 1, bit = 0; i >= 0; i--, bit += 4) {
    const nib = parseInt(h[i]!, 16);
    for (let b = 0; b < 4; b++) {
      if (nib & (1 << b)) {
        const sig = bit + b + 1;
        if (includeInternal || !INTERNAL_SIGNALS.has(sig)) out.push(sig);
      }
    }
  }
  return out.sort((a, b) => a - b);
}

/** pypsutil's ProcessSignalMasks: signal numbers, ascending. */
export interface SignalMasks {
  /** Pending for this thread (SigPnd). */
  readonly pending: number[];
  /** Blocked (SigBlk). */
  readonly blocked: number[];
  /** Ignored, SIG_IGN (SigIgn). */
  readonly ignored: number[];
  /** With a handler (SigCgt). */
  readonly caught: number[];
  /** Pending for the whole process (ShdPnd). */
  readonly processPending: number[];
}

export function statusSigmasks(text: string, includeInternal = false, source = 'status'): SignalMasks {
  const m = (k: string): number[] => parseSigmask(need(text, k, source), includeInternal, source);
  return { pending: m('SigPnd'), blocked: m('SigBlk'), ignored: m('SigIgn'), caught: m('SigCgt'), processPending: m('ShdPnd') };
}

/** Umask (Linux 4.7+), or null when the line is absent. */
export function statusUmask(text: string, source = 'status'): number | null {
  const v = statusValue(text, 'Umask');
  return v === undefined ? null : toInt(v.trim(), source, 'Umask', 8);
}

/** A cpu list like "0-3,5,7-8" (Cpus_allowed_list) → [0,1,2,3,5,7,8]. */
export function parseCpuList(list: string, source = 'cpu list'): number[] {
  const out: number[] = [];
  const t = list.trim();
  if (t === '') return out;
  for (const part of t.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new ParseError(source, `bad range ${JSON.stringify(part.slice(0, 30))}`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    // CPU numbers are small (NR_CPUS); anything else is not a cpu list.
    if (b < a || b > 1 << 20) throw new ParseError(source, `bad range ${part.slice(0, 30)}`);
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}

/** /proc/<pid>/status, the fields ptools uses. */
export interface PidStatus {
  readonly name: string;
  /** One letter, as in stat. */
  readonly state: string;
  readonly tgid: number;
  readonly pid: number;
  readonly ppid: number;
  readonly uids: PidIds;
  readonly gids: PidIds;
  readonly groups: number[];
  readonly threads: number;
  readonly umask: number | null;
  readonly voluntaryCtxtSwitches: number | null;
  readonly nonvoluntaryCtxtSwitches: number | null;
  readonly sigmasks: SignalMasks | null;
  readonly cpusAllowed: number[] | null;
}

/** Parses the whole of /proc/<pid>/status (the per-field helpers above are the fast path). */
export function parseStatus(text: string, source = 'status'): PidStatus {
  const optInt = (k: string): number | null => (statusValue(text, k) === undefined ? null : statusInt(text, k, source));
  const state = need(text, 'State', source).trim();
  if (state === '') throw new ParseError(source, 'empty State');
  const cpus = statusValue(text, 'Cpus_allowed_list');
  return {
    name: need(text, 'Name', source),
    state: state[0]!,
    tgid: statusInt(text, 'Tgid', source),
    pid: statusInt(text, 'Pid', source),
    ppid: statusInt(text, 'PPid', source),
    uids: statusIds(text, 'Uid', source),
    gids: statusIds(text, 'Gid', source),
    groups: statusGroups(text, source),
    threads: statusInt(text, 'Threads', source),
    umask: statusUmask(text, source),
    voluntaryCtxtSwitches: optInt('voluntary_ctxt_switches'),
    nonvoluntaryCtxtSwitches: optInt('nonvoluntary_ctxt_switches'),
    sigmasks: statusValue(text, 'SigBlk') === undefined ? null : statusSigmasks(text, false, source),
    cpusAllowed: cpus === undefined ? null : parseCpuList(cpus, source),
  };
}

// ------------------------------------------------------------------ statm

/** /proc/<pid>/statm, in pages. */
export interface PidStatm {
  readonly size: number;
  readonly resident: number;
  readonly shared: number;
  readonly text: number;
  readonly lib: number;
  readonly data: number;
  readonly dirty: number;
}

export function parseStatm(text: string, source = 'statm'): PidStatm {
  const n = scanUints(text, 0, text.length, INTS, source, 'statm');
  if (n < 7) throw new ParseError(source, `expected 7 fields, got ${n}`);
  return { size: INTS[0]!, resident: INTS[1]!, shared: INTS[2]!, text: INTS[3]!, lib: INTS[4]!, data: INTS[5]!, dirty: INTS[6]! };
}

// ------------------------------------------------------------------ io

/** /proc/<pid>/io. */
export interface PidIo {
  readonly rchar: number;
  readonly wchar: number;
  readonly syscr: number;
  readonly syscw: number;
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly cancelledWriteBytes: number;
}

export function parseIo(text: string, source = 'io'): PidIo {
  const v = new Map<string, number>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    const i = t.indexOf(': ');
    // psutil skips lines that are not "name: value" (its issue 1004).
    if (i < 0) continue;
    const val = t.slice(i + 2).trim();
    if (!/^\d+$/.test(val)) continue;
    v.set(t.slice(0, i), Number(val));
  }
  if (v.size === 0) throw new ParseError(source, 'empty');
  const get = (k: string): number => {
    const x = v.get(k);
    if (x === undefined) throw new ParseError(source, `no "${k}" field`);
    return x;
  };
  return {
    rchar: get('rchar'),
    wchar: get('wchar'),
    syscr: get('syscr'),
    syscw: get('syscw'),
    readBytes: get('read_bytes'),
    writeBytes: get('write_bytes'),
    cancelledWriteBytes: v.get('cancelled_write_bytes') ?? 0,
  };
}

// ------------------------------------------------------------------ cmdline, environ

/**
 * /proc/<pid>/cmdline → argv. Arguments end with NUL; a program that rewrote
 * its title into one string (setproctitle) leaves spaces instead, so psutil's
 * rule applies: no trailing NUL → split on spaces; one NUL-ended string that
 * contains spaces → split that on spaces too. Empty (zombies, kernel threads) → [].
 */
export function parseCmdline(text: string): string[] {
  if (text === '') return [];
  const sep = text.endsWith('\0') ? '\0' : ' ';
  const data = text.endsWith(sep) ? text.slice(0, -1) : text;
  const args = data.split(sep);
  if (sep === '\0' && args.length === 1 && data.includes(' ')) return data.split(' ');
  return args;
}

/** /proc/<pid>/environ → { NAME: value }; stops at an empty entry; entries without '=' are skipped (psutil). */
export function parseEnviron(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let pos = 0;
  for (;;) {
    const next = text.indexOf('\0', pos);
    if (next <= pos) break;
    const eq = text.indexOf('=', pos);
    if (eq > pos && eq < next) out[text.slice(pos, eq)] = text.slice(eq + 1, next);
    pos = next + 1;
  }
  return { ...out };
}

// ------------------------------------------------------------------ smaps

/** uss, pss and swap in bytes. */
export interface SmapsTotals {
  readonly uss: number;
  readonly pss: number;
  readonly swap: number;
}

/**
 * /proc/<pid>/smaps_rollup (or the whole smaps, same rule): uss = Σ Private_*
 * (Private_Clean, Private_Dirty, Private_Hugetlb), pss = Σ Pss, swap = Σ Swap.
 * SwapPss is never added (it is already the proportional share of Swap).
 */
export function parseSmapsRollup(text: string, source = 'smaps_rollup'): SmapsTotals {
  let uss = 0;
  let pss = 0;
  let swap = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const c = text.charCodeAt(start);
    // Only lines starting with P or S can matter; headers start with a hex address.
    if (c === 80 /* P */ || c === 83 /* S */) {
      const line = text.slice(start, end);
      let which = 0;
      if (line.startsWith('Private_')) which = 1;
      else if (line.startsWith('Pss:')) which = 2;
      else if (line.startsWith('Swap:')) which = 3;
      if (which) {
        const m = /^[A-Za-z_]+:\s+(\d+)/.exec(line);
        if (!m) throw new ParseError(source, `bad line ${JSON.stringify(line.slice(0, 60))}`);
        const kb = Number(m[1]) * 1024;
        if (which === 1) uss += kb;
        else if (which === 2) pss += kb;
        else swap += kb;
      }
    }
    start = end + 1;
  }
  return { uss, pss, swap };
}
