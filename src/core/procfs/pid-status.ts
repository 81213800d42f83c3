/**
 * /proc/<pid>/status (and task/<tid>/status): the one reader. Lines are
 * found by one locator (statusValue); parseStatus reads the whole file into
 * one typed record, strictly (psutil: malformed → ParseError). The bulk
 * scanner reads the same record lazily through StatusView, which finds a
 * line only when a column asks for it and reads numbers as procps does
 * (strtol: garbage is 0, a missing memory line 0), never throwing. Pure
 * functions of the file's text.
 */
import { ParseError } from '../base/errors.js';

/** real, effective, saved and filesystem ids from the Uid:/Gid: line. */
export interface PidIds {
  readonly real: number;
  readonly effective: number;
  readonly saved: number;
  readonly fs: number;
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

/**
 * The fields of /proc/<pid>/status a process lister reads (the lazy view
 * StatusView gives these; PidStatus has them all). Sizes in KiB (0 when the
 * line is absent: kernel threads, zombies); signal masks as the kernel's hex
 * text (all zeros when absent); ids null when the line is absent.
 */
export interface StatusFields {
  readonly tgid: number | null;
  readonly pid: number | null;
  readonly threads: number | null;
  readonly uids: PidIds | null;
  readonly gids: PidIds | null;
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
  /** RssAnon, RssFile, RssShmem (KiB; 0 when absent). */
  readonly rssAnon: number;
  readonly rssFile: number;
  readonly rssShmem: number;
  /** SigPnd: pending for this thread. */
  readonly sigPnd: string;
  /** ShdPnd: pending for the process (null on kernels without it). */
  readonly shdPnd: string | null;
  readonly sigBlk: string;
  readonly sigIgn: string;
  readonly sigCgt: string;
}

/** /proc/<pid>/status, every field ptools uses. */
export interface PidStatus extends StatusFields {
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
  /** The masks as signal numbers; null when the kernel gives no SigBlk line. */
  readonly sigmasks: SignalMasks | null;
  readonly cpusAllowed: number[] | null;
}

// ------------------------------------------------------------------ the line locator

const NEEDLES = new Map<string, string>();

/** The text after `key:` on its line (not trimmed), or undefined. */
function rawValue(text: string, key: string): string | undefined {
  let at: number;
  if (text.startsWith(key) && text.charCodeAt(key.length) === 58) at = 0;
  else {
    let needle = NEEDLES.get(key);
    if (needle === undefined) NEEDLES.set(key, (needle = `\n${key}:`));
    const i = text.indexOf(needle);
    if (i < 0) return undefined;
    at = i + 1;
  }
  const start = at + key.length + 1;
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

/** The value after `key:` on its line of /proc/<pid>/status (leading blanks removed), or undefined. */
export function statusValue(text: string, key: string): string | undefined {
  const v = rawValue(text, key);
  if (v === undefined) return undefined;
  let s = 0;
  while (s < v.length && (v.charCodeAt(s) === 9 || v.charCodeAt(s) === 32)) s++;
  return s === 0 ? v : v.slice(s);
}

// ------------------------------------------------------------------ strict reading (psutil)

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

/** A size line ("VmRSS:  1512 kB") in KiB; 0 when absent. */
function statusKiB(text: string, key: string, source: string): number {
  const v = statusValue(text, key);
  if (v === undefined) return 0;
  const m = /^\d+(?=\s|$)/.exec(v);
  if (!m) throw new ParseError(source, `${key}: not a size: ${JSON.stringify(v.slice(0, 30))}`);
  return Number(m[0]);
}

export function statusIds(text: string, key: 'Uid' | 'Gid', source = 'status'): PidIds {
  const p = need(text, key, source).trim().split(/\s+/);
  if (p.length < 3 || p.some((x) => !/^\d+$/.test(x))) throw new ParseError(source, `${key}: expected 4 ids`);
  return { real: Number(p[0]), effective: Number(p[1]), saved: Number(p[2]), fs: Number(p[3] ?? p[2]) };
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

export function statusSigmasks(text: string, includeInternal = false, source = 'status'): SignalMasks {
  const m = (k: string): number[] => parseSigmask(need(text, k, source), includeInternal, source);
  return { pending: m('SigPnd'), blocked: m('SigBlk'), ignored: m('SigIgn'), caught: m('SigCgt'), processPending: m('ShdPnd') };
}

const ZERO_MASK = '0000000000000000';

/** A mask line's hex text, checked; all zeros when absent (procps). */
function statusMaskText(text: string, key: string, source: string): string {
  const v = statusValue(text, key);
  if (v === undefined) return ZERO_MASK;
  const t = v.trim();
  if (!/^[0-9a-fA-F]+$/.test(t)) throw new ParseError(source, `${key}: bad signal mask`);
  return t;
}

/** Umask (Linux 4.7+), or null when the line is absent. */
export function statusUmask(text: string, source = 'status'): number | null {
  const v = statusValue(text, 'Umask');
  return v === undefined ? null : toInt(v.trim(), source, 'Umask', 8);
}

/** A cpu list like "0-3,5,7-8" (Cpus_allowed_list, sysfs cpulist) → [0,1,2,3,5,7,8]. */
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

/** Parses the whole of /proc/<pid>/status, strictly (the per-field helpers above are the fast path). */
export function parseStatus(text: string, source = 'status'): PidStatus {
  const optInt = (k: string): number | null => (statusValue(text, k) === undefined ? null : statusInt(text, k, source));
  const state = need(text, 'State', source).trim();
  if (state === '') throw new ParseError(source, 'empty State');
  const cpus = statusValue(text, 'Cpus_allowed_list');
  const shd = statusValue(text, 'ShdPnd');
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
    vmSize: statusKiB(text, 'VmSize', source),
    vmLck: statusKiB(text, 'VmLck', source),
    vmRss: statusKiB(text, 'VmRSS', source),
    vmData: statusKiB(text, 'VmData', source),
    vmStk: statusKiB(text, 'VmStk', source),
    vmExe: statusKiB(text, 'VmExe', source),
    vmLib: statusKiB(text, 'VmLib', source),
    vmSwap: statusKiB(text, 'VmSwap', source),
    rssAnon: statusKiB(text, 'RssAnon', source),
    rssFile: statusKiB(text, 'RssFile', source),
    rssShmem: statusKiB(text, 'RssShmem', source),
    sigPnd: statusMaskText(text, 'SigPnd', source),
    shdPnd: shd === undefined ? null : statusMaskText(text, 'ShdPnd', source),
    sigBlk: statusMaskText(text, 'SigBlk', source),
    sigIgn: statusMaskText(text, 'SigIgn', source),
    sigCgt: statusMaskText(text, 'SigCgt', source),
  };
}

// ------------------------------------------------------------------ lazy reading (procps)

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
 * The status record as the bulk scanner reads it: each line is found (one
 * indexOf) and read when first asked for, so a scan that shows RSS does not
 * pay for parsing signal masks. Values are read as procps reads them
 * (strtol: garbage is 0, a missing memory line is 0); on a well-formed file
 * every field equals parseStatus's.
 */
export class StatusView implements StatusFields {
  private readonly t: string;
  private u?: PidIds | null;
  private g?: PidIds | null;

  constructor(text: string) {
    this.t = text;
  }

  private int(key: string): number {
    const v = rawValue(this.t, key);
    return v === undefined ? 0 : strtol(v);
  }

  private intOrNull(key: string): number | null {
    const v = rawValue(this.t, key);
    return v === undefined ? null : strtol(v);
  }

  private ids(key: string): PidIds | null {
    const v = rawValue(this.t, key);
    if (v === undefined) return null;
    const p = v.trim().split(/\s+/);
    return { real: strtol(p[0] ?? ''), effective: strtol(p[1] ?? ''), saved: strtol(p[2] ?? ''), fs: strtol(p[3] ?? '') };
  }

  private mask(key: string): string {
    return (rawValue(this.t, key) ?? ZERO_MASK).trim().slice(0, 16);
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
  get uids(): PidIds | null {
    if (this.u === undefined) this.u = this.ids('Uid');
    return this.u;
  }
  get gids(): PidIds | null {
    if (this.g === undefined) this.g = this.ids('Gid');
    return this.g;
  }
  get groups(): readonly number[] {
    const v = (rawValue(this.t, 'Groups') ?? '').trim();
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
  get rssAnon(): number {
    return this.int('RssAnon');
  }
  get rssFile(): number {
    return this.int('RssFile');
  }
  get rssShmem(): number {
    return this.int('RssShmem');
  }
  get sigPnd(): string {
    return this.mask('SigPnd');
  }
  get shdPnd(): string | null {
    const v = rawValue(this.t, 'ShdPnd');
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
