/**
 * Signals on Linux x86-64: names ⇄ numbers as procps-ng and glibc spell them,
 * and the ways to signal what has no
 * single identity to check (a process group, every process) or to queue a
 * value with a signal.
 *
 * Numbers: the kernel's 1..31 classic signals, then real-time signals. The
 * kernel's first real-time signals (32, 33) belong to glibc's threads
 * library, so glibc's SIGRTMIN is 34; SIGRTMAX is 64.
 */
import { constants as osConstants } from 'node:os';
import { native } from '../../native/index.js';
import { AccessDenied, NoSuchProcess, ParseError, PtoolsError } from '../base/errors.js';
import { strtolWhole } from '../base/strtol.js';
import type { Process } from './process.js';

/** glibc's SIGRTMIN (the kernel's 32 and 33 are reserved for NPTL). */
export const SIGRTMIN = 34;
/** SIGRTMAX on Linux x86-64. */
export const SIGRTMAX = 64;

/** One signal: its number and its name without the SIG prefix. */
export interface SignalEntry {
  readonly number: number;
  readonly name: string;
}

/**
 * The 31 classic signals in number order, named as procps-ng names them on
 * x86-64 (POLL for 29, where glibc also says IO; SYS for 31).
 */
export const SIGNALS: readonly SignalEntry[] = Object.freeze(
  [
    'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT',
    'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'POLL', 'PWR', 'SYS',
  ].map((name, i) => Object.freeze({ number: i + 1, name })),
);

const BY_NAME = new Map<string, number>(SIGNALS.map((s) => [s.name, s.number]));
/** Old names procps accepts on input (never prints). */
const ALIASES: Record<string, number> = { CLD: 17, IO: 29, IOT: 6 };

export interface ParseSignalOptions {
  /**
   * Accept what procps-ng 4.0.2's kill accepts, exactly: no RTMAX names, and
   * numbers 0..93 (a number that is no signal reaches the kernel, which says
   * EINVAL). Default false: RTMAX and RTMAX-n accepted (glibc, bash,
   * util-linux), numbers 0..64 only.
   */
  procps?: boolean;
}

/**
 * A signal's number from its name or number: `KILL`, `SIGKILL`, `kill`, `9`,
 * `RTMIN`, `RTMIN+3`, `SIGRTMAX-2`, the aliases CLD, IO, IOT, and EXIT or
 * NULL for 0 — procps-ng's rules (case-insensitive, an optional SIG prefix,
 * numbers as strtol reads them). Throws ParseError for anything else.
 */
export function parseSignal(spec: string, opts: ParseSignalOptions = {}): number {
  const n = signalNumberOrUndefined(spec, opts);
  if (n === undefined) throw new ParseError('signal', `unknown signal ${JSON.stringify(spec)}`);
  return n;
}

/** parseSignal without the exception: undefined when `spec` names no signal. */
export function signalNumberOrUndefined(spec: string, opts: ParseSignalOptions = {}): number | undefined {
  if (typeof spec !== 'string') return undefined;
  const procps = opts.procps ?? false;
  let name = spec;
  if (/^sig/i.test(name)) name = name.slice(3);
  const upper = name.toUpperCase();
  // toUpperCase maps a few non-ASCII letters to ASCII ones (ſ → S); strcasecmp does not.
  const ascii = !/[^\x00-\x7f]/.test(name);
  if (ascii) {
    if (upper in ALIASES) return ALIASES[upper];
    const n = BY_NAME.get(upper);
    if (n !== undefined) return n;
    if (upper === 'RTMIN') return SIGRTMIN;
    if (upper === 'EXIT' || upper === 'NULL') return 0;
    if (!procps && upper === 'RTMAX') return SIGRTMAX;
  }
  let offset = 0;
  let sign = 1;
  let rest = name;
  if (ascii && upper.startsWith('RTMIN+')) {
    offset = SIGRTMIN;
    rest = name.slice(6);
  } else if (ascii && !procps && upper.startsWith('RTMAX-')) {
    offset = SIGRTMAX;
    sign = -1;
    rest = name.slice(6);
  }
  // strtol's value (saturated on overflow, so out of every range below); -0 is 0.
  const r = strtolWhole(rest);
  if (r === undefined || r.value < 0n) return undefined;
  const v = Number(r.value);
  if (procps) {
    // procps bounds the number, not the sum: RTMIN+93 is 127, which the kernel refuses.
    if (v + SIGRTMIN > 127) return undefined;
    return v + offset;
  }
  const n = offset + sign * v;
  if (offset === 0) return n <= SIGRTMAX ? n : undefined;
  return n >= SIGRTMIN && n <= SIGRTMAX ? n : undefined;
}

export interface SignalNameOptions {
  /**
   * glibc's real-time names (bash's `kill -l`, util-linux): RTMIN+1..RTMIN+15,
   * then RTMAX-14..RTMAX-1, RTMAX; 32 and 33 have no name (undefined).
   * Default: procps-ng 4.0.2's, RTMIN+n for every n.
   */
  rtmax?: boolean;
}

/**
 * A signal's name without SIG: `KILL` for 9, `RTMIN` for 34, `RTMIN+6` for
 * 40 ("0" for 0), as procps-ng prints them; with `rtmax`, glibc's
 * `RTMAX-n` names for the upper real-time half.
 */
export function signalName(n: number, opts: SignalNameOptions = {}): string | undefined {
  if (!Number.isInteger(n) || n < 0) return undefined;
  if (opts.rtmax) {
    if (n === 0) return '0';
    if (n <= SIGNALS.length) return SIGNALS[n - 1]!.name;
    if (n < SIGRTMIN || n > SIGRTMAX) return undefined;
    if (n === SIGRTMIN) return 'RTMIN';
    if (n === SIGRTMAX) return 'RTMAX';
    // glibc splits the range in the middle: RTMIN+15 is 49, RTMAX-14 is 50.
    return n - SIGRTMIN <= (SIGRTMAX - SIGRTMIN) / 2 ? `RTMIN+${n - SIGRTMIN}` : `RTMAX-${SIGRTMAX - n}`;
  }
  // procps masks with 0x7f (exit statuses carry the signal in the low 7 bits).
  const s = n & 0x7f;
  if (s >= 1 && s <= SIGNALS.length) return SIGNALS[s - 1]!.name;
  if (s === SIGRTMIN) return 'RTMIN';
  if (s === 0) return '0';
  return `RTMIN+${s - SIGRTMIN}`;
}

/** Every signal 1..64 that has a name, glibc-style (for a full table). */
export function allSignals(): SignalEntry[] {
  const out: SignalEntry[] = [...SIGNALS];
  for (let n = SIGRTMIN; n <= SIGRTMAX; n++) out.push({ number: n, name: signalName(n, { rtmax: true })! });
  return out;
}

// ---------------------------------------------------------------- sending

function errCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

function checkSignal(sig: number): void {
  if (!Number.isInteger(sig)) throw new TypeError(`signal must be an integer (got ${String(sig)})`);
}

/**
 * Sends `sig` to every process in process group `pgid` (kill(-pgid, sig));
 * 0 means the caller's own group. A group has no single (pid, start time)
 * to check: this is the caller's explicit request. NoSuchProcess when the
 * group is empty, AccessDenied when no member may be signalled; other errno
 * errors (EINVAL for a bad signal) are thrown as they are.
 */
export function killProcessGroup(pgid: number, sig: number): void {
  if (!Number.isInteger(pgid) || pgid < 0 || pgid > 0x7fffffff) throw new RangeError(`process group id must be an integer in [0, 2^31) (got ${String(pgid)})`);
  checkSignal(sig);
  try {
    process.kill(pgid === 0 ? 0 : -pgid, sig);
  } catch (e) {
    const code = errCode(e);
    if (code === 'ESRCH') throw new NoSuchProcess(pgid, null, `no process group ${pgid}`);
    if (code === 'EPERM') throw new AccessDenied(pgid, null, `access denied (process group ${pgid})`);
    throw e;
  }
}

/**
 * Sends `sig` to every process the caller may signal except init and
 * itself (kill(-1, sig)). Dangerous with any signal but 0: it is here for
 * `kill -1` and nothing else. NoSuchProcess (pid -1) when there was none.
 */
export function killAll(sig: number): void {
  checkSignal(sig);
  try {
    process.kill(-1, sig);
  } catch (e) {
    const code = errCode(e);
    if (code === 'ESRCH') throw new NoSuchProcess(-1, null, 'no process could be signalled');
    if (code === 'EPERM') throw new AccessDenied(-1, null, 'access denied (every process)');
    throw e;
  }
}

type SigqueueFn = (pid: number, sig: number, value: number) => void;

/** The addon's sigqueue, when this build has it. */
function nativeSigqueue(): SigqueueFn | undefined {
  const fn = (native as unknown as { sigqueue?: unknown }).sigqueue;
  return typeof fn === 'function' ? (fn as SigqueueFn) : undefined;
}

/** Whether queueSignal can work in this build (the addon has sigqueue). */
export function sigqueueAvailable(): boolean {
  return nativeSigqueue() !== undefined;
}

/** ENOSYS as an errno error: this build cannot queue signals. */
function enosys(): Error {
  const errno = osConstants.errno.ENOSYS;
  return Object.assign(new PtoolsError('sigqueue is not available: this build of the ptools addon has no sigqueue'), {
    code: 'ENOSYS',
    errno: -errno,
    syscall: 'sigqueue',
  });
}

/**
 * sigqueue(3): sends `sig` with an integer `value` (si_value.sival_int) to
 * `proc`, identity checked first (a pid reused since `proc` was made is
 * never signalled). Needs the addon's sigqueue; without it, an error with
 * code ENOSYS.
 */
export function queueSignal(proc: Process, sig: number, value: number): void {
  checkSignal(sig);
  if (!Number.isInteger(value)) throw new TypeError(`value must be an integer (got ${String(value)})`);
  const fn = nativeSigqueue();
  if (fn === undefined) throw enosys();
  proc._assertSame();
  try {
    fn(proc.pid, sig, value | 0);
  } catch (e) {
    const code = errCode(e);
    if (code === 'ESRCH') throw new NoSuchProcess(proc.pid, proc._name);
    if (code === 'EPERM') throw new AccessDenied(proc.pid, proc._name);
    throw e;
  }
}
