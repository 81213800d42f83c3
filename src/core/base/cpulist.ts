/**
 * CPU affinity masks and lists as util-linux (taskset, lscpu) reads and
 * writes them:
 *
 *   mask  hex, with or without a leading "0x" ("3", "0x3", "ff,ffffffff":
 *         commas between digits are skipped, as in /sys cpumask files);
 *   list  comma-separated CPUs and ranges, ranges with an optional stride
 *         ("0,3,7-11", "0-10:2").
 *
 * CPUs at or above `maxCpus` are dropped, as util-linux drops bits beyond
 * its cpu_set_t (the kernel ignores CPUs it does not have anyway).
 */
import { ParseError } from './errors.js';

/** The largest set util-linux (and the ptools addon) will use: 2^20 CPUs. */
export const MAX_CPUS = 1 << 20;

export interface CpuSetOptions {
  /** CPUs >= this are dropped. Default MAX_CPUS. */
  maxCpus?: number;
}

function limit(opts: CpuSetOptions): number {
  const m = opts.maxCpus ?? MAX_CPUS;
  if (!Number.isInteger(m) || m < 1 || m > MAX_CPUS) throw new RangeError(`maxCpus must be an integer in [1, ${MAX_CPUS}] (got ${String(m)})`);
  return m;
}

function sorted(set: Set<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

function hexValue(ch: string | undefined): number {
  if (ch === undefined) return -1;
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The CPUs of a hex mask, ascending. util-linux's rules: a leading "0x"
 * (lower case only) is skipped; digits are read from the right, four CPUs
 * each; a single comma between digits is skipped; anything else is an
 * error. An empty mask ("", "0", "0x") is the empty set (the kernel, not
 * the parser, refuses it). ParseError on a bad mask.
 */
export function parseAffinityMask(text: string, opts: CpuSetOptions = {}): number[] {
  const max = limit(opts);
  if (typeof text !== 'string') throw new ParseError('CPU mask', 'not a string');
  const start = text.length > 1 && text.startsWith('0x') ? 2 : 0;
  const set = new Set<number>();
  let cpu = 0;
  let i = text.length - 1;
  while (i >= start) {
    if (text[i] === ',') {
      i--;
      // A comma with no digit before it (",3", "0x,3", "1,,1") is an error.
      if (i < start) throw new ParseError('CPU mask', `bad mask ${JSON.stringify(text)}`);
    }
    const v = hexValue(text[i]);
    if (v < 0) throw new ParseError('CPU mask', `bad mask ${JSON.stringify(text)}`);
    for (let b = 0; b < 4; b++) if (v & (1 << b) && cpu + b < max) set.add(cpu + b);
    i--;
    cpu += 4;
  }
  return sorted(set);
}

const UINT64_MAX = (1n << 64n) - 1n;

/**
 * util-linux's nextnumber: decimal digits at `pos` (the first must be a
 * digit: no sign, no space) read as strtoul does, then cut to 32 bits as
 * util-linux stores them; undefined when there is no number or it does not
 * fit in 64 bits (ERANGE).
 */
function nextNumber(text: string, pos: number): { value: number; end: number } | undefined {
  let end = pos;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  if (end === pos) return undefined;
  const big = BigInt(text.slice(pos, end));
  if (big > UINT64_MAX) return undefined;
  return { value: Number(big & 0xffffffffn), end };
}

/** Index just after the next `sep` at or after `from`, or -1. */
function after(text: string, from: number, sep: string): number {
  const k = text.indexOf(sep, from);
  return k < 0 ? -1 : k + 1;
}

/**
 * The CPUs of a list ("0,3,7-11", "0-10:2"), ascending, by util-linux's
 * rules — including its leniencies: only the end of the last number is
 * checked for stray text ("0junk,1" is 0,1, "0-1junk" is an error), a range
 * must not run backwards, a stride must not be 0, numbers above 2^32-1 wrap
 * as util-linux's unsigned int does. ParseError on a bad list. (util-linux
 * loops forever on a range whose stride wraps past 2^32; ranges stop at
 * `maxCpus` here.)
 */
export function parseAffinityList(text: string, opts: CpuSetOptions = {}): number[] {
  const max = limit(opts);
  if (typeof text !== 'string') throw new ParseError('CPU list', 'not a string');
  const bad = (): ParseError => new ParseError('CPU list', `bad list ${JSON.stringify(text)}`);
  const set = new Set<number>();
  let end = -1;
  let q = 0;
  while (q >= 0) {
    const p0 = q;
    q = after(text, q, ',');
    const first = nextNumber(text, p0);
    if (!first) throw bad();
    const a = first.value;
    let b = a;
    let stride = 1;
    end = first.end;
    const dash = after(text, end, '-');
    const comma = after(text, end, ',');
    if (dash >= 0 && (comma < 0 || dash < comma)) {
      const second = nextNumber(text, dash);
      if (!second) throw bad();
      b = second.value;
      end = second.end;
      const colon = end < text.length ? after(text, end, ':') : -1;
      if (colon >= 0 && (comma < 0 || colon < comma)) {
        const third = nextNumber(text, colon);
        if (!third || third.value === 0) throw bad();
        stride = third.value;
        end = third.end;
      }
    }
    if (a > b) throw bad();
    for (let c = a; c <= b && c < max; c += stride) set.add(c);
  }
  if (end >= 0 && end < text.length) throw bad();
  return sorted(set);
}

function checkCpus(cpus: readonly number[]): void {
  if (!Array.isArray(cpus)) throw new TypeError('cpus must be an array of CPU numbers');
  for (const c of cpus) {
    if (!Number.isInteger(c) || c < 0 || c >= MAX_CPUS) throw new RangeError(`invalid CPU number ${JSON.stringify(c)}`);
  }
}

export interface MaskFormatOptions {
  /**
   * /sys style: comma-separated groups of 8 hex digits (32 CPUs), as in
   * /sys/devices/system/cpu/.../cpumask and /proc/<pid>/status.
   */
  groups?: boolean;
  /** Pad to the width of this many CPUs (the kernel pads to nr_cpu_ids). */
  nbits?: number;
}

/**
 * A hex mask: "3" for CPUs 0 and 1, lower case, no "0x", no leading zeros
 * ("0" for none) — what taskset prints. `groups`/`nbits` give the kernel's
 * /sys layout instead ("00000000,00000003").
 */
export function formatAffinityMask(cpus: readonly number[], opts: MaskFormatOptions = {}): string {
  checkCpus(cpus);
  let top = -1;
  for (const c of cpus) if (c > top) top = c;
  const nbits = opts.nbits ?? 0;
  if (!Number.isInteger(nbits) || nbits < 0 || nbits > MAX_CPUS) throw new RangeError(`nbits must be an integer in [0, ${MAX_CPUS}]`);
  const digits = Math.max(1, Math.ceil((top + 1) / 4), Math.ceil(nbits / 4));
  const nibbles = new Uint8Array(digits);
  for (const c of cpus) nibbles[digits - 1 - (c >> 2)]! |= 1 << (c & 3);
  let hex = '';
  for (const n of nibbles) hex += n.toString(16);
  if (nbits === 0) hex = hex.replace(/^0+(?=.)/, '');
  if (!opts.groups) return hex;
  const parts: string[] = [];
  for (let e = hex.length; e > 0; e -= 8) parts.unshift(hex.slice(Math.max(0, e - 8), e));
  if (nbits === 0 && parts.length > 1) {
    // Without a width, every group but the first is a full 8 digits already.
    parts[0] = parts[0]!.replace(/^0+(?=.)/, '');
  }
  return parts.join(',');
}

/**
 * A list as util-linux writes it: single CPUs, two neighbours as "0,1",
 * three or more as a range "0-3"; "" for none.
 */
export function formatAffinityList(cpus: readonly number[]): string {
  checkCpus(cpus);
  const list = [...new Set(cpus)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < list.length; ) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j]! + 1) j++;
    const run = j - i;
    if (run === 0) out.push(String(list[i]));
    else if (run === 1) out.push(String(list[i]), String(list[j]));
    else out.push(`${list[i]}-${list[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
