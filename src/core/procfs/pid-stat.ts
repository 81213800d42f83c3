/**
 * /proc/<pid>/stat (and task/<tid>/stat): the one reader. Every field the
 * kernel writes, as one typed record; psutil's Process, the bulk scanner
 * (ps), pmap and the identity checks all read this record. A pure function
 * of the file's text; malformed input raises ParseError, nothing else.
 */
import { ParseError } from '../base/errors.js';
import { readInts } from './ints.js';

/**
 * Every field of /proc/<pid>/stat. Times in clock ticks, sizes as the kernel
 * gives them (vsize bytes, rss pages). Fields up to starttime exist on every
 * kernel ptools runs on; a later field the running kernel does not write
 * reads as 0 (rtPriority and policy as -1, procps's "not reported").
 * Addresses are numbers: exact below 2^53, which every user-space address is
 * (x86-64 and arm64 place the stack below 2^48).
 */
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
  /** Start time in clock ticks after boot: with the pid, the process's identity. */
  readonly starttime: number;
  /** Virtual size in bytes. */
  readonly vsize: number;
  /** Resident pages. */
  readonly rss: number;
  /** RSS limit in bytes; Infinity for RLIM_INFINITY. */
  readonly rsslim: number;
  readonly startcode: number;
  readonly endcode: number;
  /** The address the stack started at (0 when not permitted). */
  readonly startstack: number;
  readonly kstkesp: number;
  readonly kstkeip: number;
  readonly wchan: number;
  readonly exitSignal: number;
  /** CPU last run on (0 when the kernel does not say). */
  readonly processor: number;
  /** -1 when the kernel does not report it. */
  readonly rtPriority: number;
  /** Scheduling policy; -1 when not reported. */
  readonly policy: number;
  /** Aggregated block I/O delays, clock ticks (psutil's iowait). */
  readonly blkioTicks: number;
  readonly guestTime: number;
  readonly cguestTime: number;
  /** Exit status in waitpid(2) form (Linux 3.5+; 0 when absent or not permitted). */
  readonly exitCode: number;
}

/** PF_KTHREAD in stat's flags: a kernel thread. */
export const PF_KTHREAD = 0x00200000;

const U64_INFINITY = 2 ** 63;

/**
 * Scratch for the numbers after the comm (parsing is synchronous, so one
 * buffer serves every call; a scan parses hundreds of lines). F[k] is the
 * k-th number after the state letter, k from 1; unread slots are NaN.
 */
const F = new Float64Array(64);
/** F from index 1: where readInts writes. */
const NUMBERS = F.subarray(1);

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * Parses /proc/<pid>/stat. The command name sits between the first '(' and
 * the LAST ')', since it may itself contain spaces and parentheses; the
 * fields are read from after that last ')', in place (no string per field).
 */
export function parseStat(text: string, source = 'stat'): PidStat {
  const lpar = text.indexOf('(');
  const rpar = text.lastIndexOf(')');
  if (lpar < 0 || rpar < lpar) throw new ParseError(source, 'no "(comm)"');
  let pid = 0;
  let pidDigits = 0;
  let j = 0;
  while (j < lpar && isSpace(text.charCodeAt(j))) j++;
  for (; j < lpar; j++) {
    const c = text.charCodeAt(j);
    if (c < 48 || c > 57) break;
    pid = pid * 10 + (c - 48);
    pidDigits++;
  }
  while (j < lpar && isSpace(text.charCodeAt(j))) j++;
  if (pidDigits === 0 || j !== lpar) throw new ParseError(source, `bad pid ${JSON.stringify(text.slice(0, Math.min(lpar, 30)))}`);
  const n = text.length;
  let i = rpar + 1;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  const s0 = i;
  while (i < n && !isSpace(text.charCodeAt(i))) i++;
  if (i - s0 !== 1) throw new ParseError(source, `bad state ${JSON.stringify(text.slice(s0, Math.min(i, s0 + 20)))}`);
  const state = text[s0]!;
  F.fill(NaN);
  // F[0] stays NaN: F[k] is the k-th number after the state, field k + 3.
  readInts(text, i, NUMBERS, source, 4, true);
  const req = (x: number): number => {
    const v = F[x]!;
    if (Number.isNaN(v)) throw new ParseError(source, `field ${x + 3} is missing`);
    return v;
  };
  const opt = (x: number, d = 0): number => {
    const v = F[x]!;
    return Number.isNaN(v) ? d : v;
  };
  const rsslim = opt(22);
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
    vsize: opt(20),
    rss: opt(21),
    rsslim: rsslim >= U64_INFINITY ? Infinity : rsslim,
    startcode: opt(23),
    endcode: opt(24),
    startstack: opt(25),
    kstkesp: opt(26),
    kstkeip: opt(27),
    wchan: opt(32),
    exitSignal: opt(35),
    processor: opt(36),
    rtPriority: opt(37, -1),
    policy: opt(38, -1),
    blkioTicks: opt(39),
    guestTime: opt(40),
    cguestTime: opt(41),
    exitCode: opt(49),
  };
}

/** Just the start time (field 22), for identity checks. */
export function statStartTime(text: string, source = 'stat'): number {
  return parseStat(text, source).starttime;
}

/** A waitpid(2) status word (stat's exitCode) → psutil's return code: the exit status, or minus the signal. */
export function decodeWaitStatus(w: number): number {
  const sig = w & 0x7f;
  return sig === 0 ? (w >> 8) & 0xff : -sig;
}
