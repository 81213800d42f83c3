/**
 * Parsers for the raw per-process fields a process lister (ps) needs and
 * psutil does not expose: every field of /proc/<pid>/stat, the id, memory and
 * signal lines of status, smaps_rollup totals, autogroup and the cgroup list.
 * Pure functions of the file's text; malformed input raises ParseError.
 */
import { ParseError } from '../base/errors.js';

/** Every field of /proc/<pid>/stat (and task/<tid>/stat). Times in clock ticks, sizes as the kernel gives them. */
export interface StatFields {
  readonly pid: number;
  /** The raw command name (bytes as latin1 characters when read by the scanner). */
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  readonly ttyNr: number;
  readonly tpgid: number;
  readonly flags: number;
  readonly minflt: number;
  readonly cminflt: number;
  readonly majflt: number;
  readonly cmajflt: number;
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
  readonly priority: number;
  readonly nice: number;
  readonly numThreads: number;
  readonly starttime: number;
  /** Bytes. */
  readonly vsize: number;
  /** Pages. */
  readonly rss: number;
  /** Bytes; Infinity for RLIM_INFINITY. */
  readonly rsslim: number;
  readonly startcode: number;
  readonly endcode: number;
  readonly startstack: number;
  readonly kstkesp: number;
  readonly kstkeip: number;
  readonly wchan: number;
  readonly exitSignal: number;
  readonly processor: number;
  /** -1 when the kernel does not report it (before 2.5.18). */
  readonly rtPriority: number;
  /** Scheduling policy; -1 when not reported. */
  readonly policy: number;
  readonly blkioTicks: number;
  readonly guestTime: number;
  readonly cguestTime: number;
}

const U64_INFINITY = 2 ** 63;


/** Number of fields after the command name that a stat line has on current kernels (procps reads up to 42). */
const STAT_FIELDS = 42;

/**
 * /proc/<pid>/stat, all fields. The command name lies between the first '('
 * and the LAST ')' (it may hold spaces and parentheses). Fields the running
 * kernel does not have yet take procps's defaults (rtprio and policy -1).
 * One pass over the text, numbers read in place (a scan parses hundreds).
 */
export function parseStatFields(text: string, source = 'stat'): StatFields {
  const lpar = text.indexOf('(');
  const rpar = text.lastIndexOf(')');
  if (lpar < 0 || rpar < lpar) throw new ParseError(source, 'no "(comm)"');
  let pid = 0;
  let digits = 0;
  for (let i = 0; i < lpar; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      pid = pid * 10 + (c - 48);
      digits++;
    } else if (c !== 32 || digits === 0 || i !== lpar - 1) throw new ParseError(source, `bad pid ${JSON.stringify(text.slice(0, Math.min(lpar, 30)))}`);
  }
  if (!digits) throw new ParseError(source, 'no pid');
  // Fields after ")": f[0] is the state letter, f[k] the k-th number after it.
  const f = new Array<number>(STAT_FIELDS).fill(NaN);
  const n = text.length;
  let i = rpar + 1;
  let k = -1;
  let state = '';
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9) {
      i++;
      continue;
    }
    k++;
    if (k === 0) {
      const start = i;
      while (i < n && text.charCodeAt(i) > 32) i++;
      state = text.slice(start, i);
      continue;
    }
    let neg = false;
    if (c === 45) {
      neg = true;
      i++;
      c = text.charCodeAt(i);
    }
    let v = 0;
    let nd = 0;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      nd++;
      i++;
    }
    if (!nd || (i < n && c > 32)) throw new ParseError(source, `field ${k + 3} is not a number: ${JSON.stringify(text.slice(i - nd - (neg ? 1 : 0), i + 10))}`);
    if (k < STAT_FIELDS) f[k] = neg ? -v : v;
  }
  if (state.length !== 1) throw new ParseError(source, `bad state ${JSON.stringify(state)}`);
  const req = (j: number): number => {
    const v = f[j]!;
    if (Number.isNaN(v)) throw new ParseError(source, `field ${j + 3} is missing`);
    return v;
  };
  const opt = (j: number, d: number): number => {
    const v = f[j]!;
    return Number.isNaN(v) ? d : v;
  };
  const rsslim = opt(22, 0);
  return {
    pid,
    comm: text.slice(lpar + 1, rpar),
    state,
    ppid: req(1),
    pgrp: req(2),
    session: req(3),
    ttyNr: req(4),
    tpgid: req(5),
    flags: req(6),
    minflt: req(7),
    cminflt: req(8),
    majflt: req(9),
    cmajflt: req(10),
    utime: req(11),
    stime: req(12),
    cutime: req(13),
    cstime: req(14),
    priority: req(15),
    nice: req(16),
    numThreads: req(17),
    starttime: req(19),
    vsize: opt(20, 0),
    rss: opt(21, 0),
    rsslim: rsslim >= U64_INFINITY ? Infinity : rsslim,
    startcode: opt(23, 0),
    endcode: opt(24, 0),
    startstack: opt(25, 0),
    kstkesp: opt(26, 0),
    kstkeip: opt(27, 0),
    wchan: opt(32, 0),
    exitSignal: opt(35, 0),
    processor: opt(36, 0),
    rtPriority: opt(37, -1),
    policy: opt(38, -1),
    blkioTicks: opt(39, 0),
    guestTime: opt(40, 0),
    cguestTime: opt(41, 0),
  };
}

/** The lines of /proc/<pid>/status a process lister uses. Sizes in KiB; signal masks as the kernel's hex text. */
export interface StatusFields {
  readonly tgid: number | null;
  readonly pid: number | null;
  readonly threads: number | null;
  /** real, effective, saved, filesystem */
  readonly uids: readonly [number, number, number, number] | null;
  readonly gids: readonly [number, number, number, number] | null;
  /** Supplementary group ids, in the kernel's order. */
  readonly groups: readonly number[];
  readonly vmSize: number;
  readonly vmLck: number;
  readonly vmRss: number;
  readonly vmData: number;
  readonly vmStk: number;
  readonly vmExe: number;
  readonly vmLib: number;
  readonly vmSwap: number;
  /** SigPnd: pending for this thread. */
  readonly sigPnd: string;
  /** ShdPnd: pending for the process (null on kernels without it). */
  readonly shdPnd: string | null;
  readonly sigBlk: string;
  readonly sigIgn: string;
  readonly sigCgt: string;
}

const ZERO_MASK = '0000000000000000';

function intOf(v: string, source: string, key: string): number {
  const t = v.trim();
  const m = /^-?\d+/.exec(t);
  if (!m) throw new ParseError(source, `${key}: not a number: ${JSON.stringify(t.slice(0, 30))}`);
  return Number(m[0]);
}

function ids(v: string, source: string, key: string): [number, number, number, number] {
  const p = v.trim().split(/\s+/);
  if (p.length < 4 || p.some((x) => !/^\d+$/.test(x))) throw new ParseError(source, `${key}: expected 4 ids`);
  return [Number(p[0]), Number(p[1]), Number(p[2]), Number(p[3])];
}

function mask(v: string, source: string, key: string): string {
  const t = v.trim();
  if (!/^[0-9a-fA-F]+$/.test(t)) throw new ParseError(source, `${key}: bad signal mask`);
  return t;
}

/**
 * /proc/<pid>/status in one pass over its lines. Absent memory lines (kernel
 * threads, zombies) read as 0, absent masks as all-zero, as in procps.
 */
export function parseStatusFields(text: string, source = 'status'): StatusFields {
  let tgid: number | null = null;
  let pid: number | null = null;
  let threads: number | null = null;
  let uids: [number, number, number, number] | null = null;
  let gids: [number, number, number, number] | null = null;
  let groups: number[] = [];
  let vmSize = 0, vmLck = 0, vmRss = 0, vmData = 0, vmStk = 0, vmExe = 0, vmLib = 0, vmSwap = 0;
  let sigPnd = ZERO_MASK, sigBlk = ZERO_MASK, sigIgn = ZERO_MASK, sigCgt = ZERO_MASK;
  let shdPnd: string | null = null;
  let seen = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const colon = text.indexOf(':', start);
    if (colon > start && colon < end) {
      const key = text.slice(start, colon);
      const c0 = key.charCodeAt(0);
      // Only keys starting with T, P, U, G, V, S matter.
      if (c0 === 84 || c0 === 80 || c0 === 85 || c0 === 71 || c0 === 86 || c0 === 83) {
        const v = text.slice(colon + 1, end);
        switch (key) {
          case 'Tgid': tgid = intOf(v, source, key); break;
          case 'Pid': pid = intOf(v, source, key); break;
          case 'Threads': threads = intOf(v, source, key); break;
          case 'Uid': uids = ids(v, source, key); break;
          case 'Gid': gids = ids(v, source, key); break;
          case 'Groups': {
            const t = v.trim();
            if (t !== '') {
              groups = t.split(/\s+/).map((g) => {
                if (!/^\d+$/.test(g)) throw new ParseError(source, 'Groups: not a number');
                return Number(g);
              });
            }
            break;
          }
          case 'VmSize': vmSize = intOf(v, source, key); break;
          case 'VmLck': vmLck = intOf(v, source, key); break;
          case 'VmRSS': vmRss = intOf(v, source, key); break;
          case 'VmData': vmData = intOf(v, source, key); break;
          case 'VmStk': vmStk = intOf(v, source, key); break;
          case 'VmExe': vmExe = intOf(v, source, key); break;
          case 'VmLib': vmLib = intOf(v, source, key); break;
          case 'VmSwap': vmSwap = intOf(v, source, key); break;
          case 'SigPnd': sigPnd = mask(v, source, key); break;
          case 'ShdPnd': shdPnd = mask(v, source, key); break;
          case 'SigBlk': sigBlk = mask(v, source, key); break;
          case 'SigIgn': sigIgn = mask(v, source, key); break;
          case 'SigCgt': sigCgt = mask(v, source, key); break;
          default: break;
        }
        seen++;
      }
    }
    start = end + 1;
  }
  if (seen === 0 && text.trim() !== '') throw new ParseError(source, 'no status lines');
  return { tgid, pid, threads, uids, gids, groups, vmSize, vmLck, vmRss, vmData, vmStk, vmExe, vmLib, vmSwap, sigPnd, shdPnd, sigBlk, sigIgn, sigCgt };
}

/** smaps_rollup totals in KiB, as procps sums them (uss = Private_Clean + Private_Dirty). */
export interface SmapsKiB {
  readonly pss: number;
  readonly privateClean: number;
  readonly privateDirty: number;
}

export function parseSmapsKiB(text: string, source = 'smaps_rollup'): SmapsKiB {
  let pss = 0, privateClean = 0, privateDirty = 0;
  for (const line of text.split('\n')) {
    let which = 0;
    if (line.startsWith('Pss:')) which = 1;
    else if (line.startsWith('Private_Clean:')) which = 2;
    else if (line.startsWith('Private_Dirty:')) which = 3;
    if (!which) continue;
    const m = /^[A-Za-z_]+:\s+(\d+)/.exec(line);
    if (!m) throw new ParseError(source, `bad line ${JSON.stringify(line.slice(0, 60))}`);
    const v = Number(m[1]);
    if (which === 1) pss += v;
    else if (which === 2) privateClean += v;
    else privateDirty += v;
  }
  return { pss, privateClean, privateDirty };
}

/** /proc/<pid>/autogroup: "/autogroup-123 nice 0". */
export function parseAutogroup(text: string, source = 'autogroup'): { id: number; nice: number } {
  const m = /^\/autogroup-(\d+)\s+nice\s+(-?\d+)/.exec(text.trim());
  if (!m) throw new ParseError(source, `unexpected ${JSON.stringify(text.slice(0, 60))}`);
  return { id: Number(m[1]), nice: Number(m[2]) };
}

/** A whole file holding one decimal integer (oom_score, loginuid...). */
export function parseIntFile(text: string, source: string): number {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) throw new ParseError(source, `not an integer: ${JSON.stringify(t.slice(0, 30))}`);
  return Number(t);
}

const NEEDLES = new Map<string, string>();

/** strtol's reading of a decimal: leading blanks, a sign, digits; anything else gives 0. */
function strtol(s: string): number {
  let i = 0;
  const n = s.length;
  while (i < n && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  let neg = false;
  if (s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  } else if (s.charCodeAt(i) === 43) i++;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/**
 * A lazy view of /proc/<pid>/status with the fields of StatusFields: each
 * line is found (one indexOf) and read when first asked for, so a scan that
 * shows RSS does not pay for parsing signal masks. Values are read as procps
 * reads them (strtol: garbage is 0, a missing memory line is 0); use
 * parseStatusFields for a strict reading.
 */
export class StatusView implements StatusFields {
  private readonly t: string;
  private u?: readonly [number, number, number, number] | null;
  private g?: readonly [number, number, number, number] | null;

  constructor(text: string) {
    this.t = text;
  }

  /** The text after "key:" on its line, or undefined. */
  private value(key: string): string | undefined {
    const t = this.t;
    let at: number;
    if (t.startsWith(key) && t.charCodeAt(key.length) === 58) at = 0;
    else {
      let needle = NEEDLES.get(key);
      if (needle === undefined) NEEDLES.set(key, (needle = `\n${key}:`));
      const i = t.indexOf(needle);
      if (i < 0) return undefined;
      at = i + 1;
    }
    const start = at + key.length + 1;
    const end = t.indexOf('\n', start);
    return t.slice(start, end < 0 ? t.length : end);
  }

  private int(key: string): number {
    const v = this.value(key);
    return v === undefined ? 0 : strtol(v);
  }

  private intOrNull(key: string): number | null {
    const v = this.value(key);
    return v === undefined ? null : strtol(v);
  }

  private ids(key: string): readonly [number, number, number, number] | null {
    const v = this.value(key);
    if (v === undefined) return null;
    const p = v.trim().split(/\s+/);
    return [strtol(p[0] ?? ''), strtol(p[1] ?? ''), strtol(p[2] ?? ''), strtol(p[3] ?? '')];
  }

  private mask(key: string): string {
    return (this.value(key) ?? ZERO_MASK).trim().slice(0, 16);
  }

  get tgid(): number | null {
    return this.intOrNull('Tgid');
  }
  get pid(): number | null {
    return this.intOrNull('Pid');
  }
  get threads(): number | null {
    return this.intOrNull('Threads');
  }
  get uids(): readonly [number, number, number, number] | null {
    if (this.u === undefined) this.u = this.ids('Uid');
    return this.u;
  }
  get gids(): readonly [number, number, number, number] | null {
    if (this.g === undefined) this.g = this.ids('Gid');
    return this.g;
  }
  get groups(): readonly number[] {
    const v = (this.value('Groups') ?? '').trim();
    return v === '' ? [] : v.split(/\s+/).map(strtol);
  }
  get vmSize(): number {
    return this.int('VmSize');
  }
  get vmLck(): number {
    return this.int('VmLck');
  }
  get vmRss(): number {
    return this.int('VmRSS');
  }
  get vmData(): number {
    return this.int('VmData');
  }
  get vmStk(): number {
    return this.int('VmStk');
  }
  get vmExe(): number {
    return this.int('VmExe');
  }
  get vmLib(): number {
    return this.int('VmLib');
  }
  get vmSwap(): number {
    return this.int('VmSwap');
  }
  get sigPnd(): string {
    return this.mask('SigPnd');
  }
  get shdPnd(): string | null {
    const v = this.value('ShdPnd');
    return v === undefined ? null : v.trim().slice(0, 16);
  }
  get sigBlk(): string {
    return this.mask('SigBlk');
  }
  get sigIgn(): string {
    return this.mask('SigIgn');
  }
  get sigCgt(): string {
    return this.mask('SigCgt');
  }
}
