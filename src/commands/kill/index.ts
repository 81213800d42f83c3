/**
 * kill: procps-ng 4.0.2's kill(1), message for message, plus --json.
 *
 * parseArgs() is pure: it reads argv as procps does (the first "-SIGNAL"
 * anywhere is taken out first, then getopt_long with permutation) and
 * returns a plan. execute() carries the plan out through the core: every
 * positive pid becomes a Process (bound to its start time) and is signalled
 * through it, so a pid that is gone, or was reused between the check and the
 * signal, is never signalled; process groups and -1 go through
 * killProcessGroup()/killAll(). Two deliberate differences from procps 4.0.2,
 * both where procps would signal processes nobody named (see kill.1, BUGS):
 * a negative pid read as an option ("kill -9 -123") is the whole number
 * (procps 4.0.2 used its first digit: process group 1, i.e. every process),
 * and a pid outside the 32-bit range is "No such process" (procps truncates
 * it: 4294967297 would be pid 1).
 */
import type { IO } from '../../cli/io.js';
import { isJson, JSON_OPTION, perform, withJson, type Command, type Parsed } from '../../cli/command.js';
import { AccessDenied, NoSuchProcess } from '../../core/base/errors.js';
import { Process } from '../../core/process/process.js';
import {
  killAll,
  killProcessGroup,
  queueSignal,
  SIGNALS,
  signalName,
  signalNumberOrUndefined,
} from '../../core/process/signals.js';
import { Getopt, type LongOption } from '../../cli/getopt.js';
import { signalListText, signalTableText } from './layout.js';
import { strtolWhole } from '../../core/base/strtol.js';
import { strerror } from '../../text/strerror.js';

// ---------------------------------------------------------------- parsing

const LONG: readonly LongOption[] = withJson([
  { name: 'list', has: 'optional', key: 'l' },
  { name: 'table', has: 'none', key: 'L' },
  { name: 'signal', has: 'required', key: 's' },
  { name: 'help', has: 'none', key: 'h' },
  { name: 'version', has: 'none', key: 'V' },
  { name: 'queue', has: 'required', key: 'q' },
]);

const SHORT = 'l::Ls:hVq:';

/** What a kill command line asks for. */
export type KillPlan =
  | { readonly action: 'help'; readonly json: boolean }
  | { readonly action: 'version'; readonly json: boolean }
  /** `-l` alone (spec undefined) or `-l SIG`. */
  | { readonly action: 'list'; readonly spec?: string; readonly json: boolean }
  | { readonly action: 'table'; readonly json: boolean }
  /** The usage text on stderr, after an optional message; status 1. */
  | { readonly action: 'usage'; readonly message?: string; readonly json: boolean }
  /** A message on stderr and status 1 (an unparsable -q value). */
  | { readonly action: 'fail'; readonly message: string; readonly json: boolean }
  | {
      readonly action: 'signal';
      /** The signal number; -1 when -s named no signal (the kernel says EINVAL, as with procps). */
      readonly signal: number;
      /** sigqueue's value with -q. */
      readonly value: number | null;
      /** The pid arguments as given. */
      readonly pids: readonly string[];
      /**
       * A negative pid read as an option ("-9 -123"): procps signals it alone,
       * silently, and exits 1 when it succeeded, 0 when it failed.
       */
      readonly optionPid: boolean;
      readonly json: boolean;
    };

/**
 * procps' first pass: the first argument "-X" where X names a signal is the
 * signal, and leaves argv. Note "-1" is SIGHUP here, so "kill -- -1" is a
 * usage error, as with procps.
 */
function takeSignalOption(argv: string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) continue;
    const n = signalNumberOrUndefined(a.slice(1), { procps: true });
    if (n !== undefined) {
      argv.splice(i, 1);
      return n;
    }
  }
  return undefined;
}

/** glibc's isdigit. */
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * --json (or a prefix of it, as getopt_long allows: no other long option
 * starts with 'j') among the options: a mode for the whole run, read before
 * -l/-L end the option scan.
 */
function wantsJson(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a.length > 2 && a.startsWith('--') && JSON_OPTION.name.startsWith(a.slice(2))) return true;
  }
  return false;
}

/** Reads argv (after the command name) as procps-ng 4.0.2's kill does. */
export function parseArgs(argvIn: readonly string[], env: NodeJS.ProcessEnv = {}): KillPlan {
  const json = wantsJson(argvIn);
  if (argvIn.length === 0) return { action: 'usage', json };
  const argv = [...argvIn];
  let signal = takeSignalOption(argv) ?? 15;
  let value: number | null = null;
  const g = new Getopt(argv, { short: SHORT, long: LONG, env });
  for (let r = g.next(); r !== null; r = g.next()) {
    if (isJson(r.c)) continue; // wantsJson() has seen it.
    switch (r.c) {
      case 'l': {
        let spec = r.optarg;
        if (spec === undefined) {
          const nextArg = g.peek();
          if (nextArg !== undefined && !nextArg.startsWith('-')) spec = nextArg;
        }
        return spec === undefined ? { action: 'list', json } : { action: 'list', spec, json };
      }
      case 'L':
        return { action: 'table', json };
      case 's':
        signal = signalNumberOrUndefined(r.optarg!, { procps: true }) ?? -1;
        break;
      case 'h':
        return { action: 'help', json };
      case 'V':
        return { action: 'version', json };
      case 'q': {
        const v = strtolWhole(r.optarg!);
        if (v === undefined || v.overflow) {
          const why = v?.overflow ? `: ${strerror('ERANGE')}` : '';
          return { action: 'fail', message: `must be an integer value to be passed with the signal.: '${r.optarg!}'${why}`, json };
        }
        // sigval.sival_int: the long is cut to an int.
        value = Number(BigInt.asIntN(32, v.value));
        break;
      }
      default: {
        // '?': getopt met an unknown option (opterr is off).
        if (isDigit(r.optopt)) {
          return { action: 'signal', signal, value, pids: [argv[r.index]!], optionPid: true, json };
        }
        return { action: 'usage', message: `invalid argument ${r.optopt ?? '\0'}`, json };
      }
    }
  }
  const pids = g.operands();
  if (pids.length === 0) return { action: 'usage', json };
  return { action: 'signal', signal, value, pids, optionPid: false, json };
}

// ---------------------------------------------------------------- text

/** procps' usage text (with ptools' --json line). */
export function usageText(prog: string): string {
  return [
    '',
    'Usage:',
    ` ${prog} [options] <pid> [...]`,
    '',
    'Options:',
    ' <pid> [...]            send signal to every <pid> listed',
    ' -<signal>, -s, --signal <signal>',
    '                        specify the <signal> to be sent',
    ' -q, --queue <value>    integer value to be sent with the signal',
    ' -l, --list=[<signal>]  list all signal names, or convert one to a name',
    ' -L, --table            list all signal names in a nice table',
    '     --json             print what was done as JSON',
    '',
    ' -h, --help     display this help and exit',
    ' -V, --version  output version information and exit',
    '',
    'For more details see kill(1).',
    '',
  ].join('\n');
}

/**
 * procps' `kill -l SIG` conversion: a number (only 1..31) gives its name, a
 * name (any case, SIG prefix allowed, no aliases, no RT names) its number;
 * undefined for anything else. (procps 4.0.2 aborts on "SIG9": unknown here.)
 */
export function convertSignal(spec: string): string | undefined {
  // toupper in the C locale touches ASCII letters only.
  let p = [...spec].map((ch) => (ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch)).join('');
  let hadSig = false;
  if (p.startsWith('SIG')) {
    p = p.slice(3);
    hadSig = true;
  }
  let num = 0;
  if (isDigit(p[0])) {
    if (hadSig) return undefined;
    // strtol on the original text, stored in an int.
    const v = /^\d+$/.test(spec) ? strtolWhole(spec) : undefined;
    if (v === undefined) return undefined;
    num = Number(BigInt.asIntN(32, v.value));
  }
  if (num !== 0) return SIGNALS.find((s) => s.number === num)?.name;
  const hit = SIGNALS.find((s) => s.name === p);
  return hit ? String(hit.number) : undefined;
}

// ---------------------------------------------------------------- doing

/** One pid that could not be signalled. */
export interface KillFailure {
  readonly pid: number | string;
  /** strerror's text, as procps prints it. */
  readonly error: string;
  /** The errno name (ESRCH, EPERM, EINVAL, ...). */
  readonly code: string;
}

/** What kill did (the --json document). */
export interface KillReport {
  readonly signal: number;
  /** procps' name for the signal ("TERM", "RTMIN+3", "0"); null for an invalid one. */
  readonly name: string | null;
  /** The sigqueue value, or null without -q. */
  readonly value: number | null;
  readonly signalled: number[];
  readonly failed: KillFailure[];
}

function errnoOf(e: unknown): string {
  if (e instanceof NoSuchProcess) return 'ESRCH';
  if (e instanceof AccessDenied) return 'EPERM';
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
  throw e;
}

/**
 * Sends the signal to one pid: > 0 through a Process (identity checked), 0
 * the caller's process group, -1 every process, < -1 a process group.
 * Returns the errno name on failure, undefined on success.
 */
export function signalPid(pid: number, signal: number, value: number | null): string | undefined {
  if (!Number.isSafeInteger(pid) || pid > 0x7fffffff || pid < -0x80000000) return 'ESRCH';
  try {
    if (pid > 0) {
      const proc = new Process(pid);
      if (value !== null) queueSignal(proc, signal, value);
      else proc.sendSignal(signal);
    } else if (value !== null) {
      // sigqueue goes to one process only: the kernel finds no pid <= 0.
      return 'ESRCH';
    } else if (pid === -1) {
      killAll(signal);
    } else {
      killProcessGroup(-pid, signal);
    }
    return undefined;
  } catch (e) {
    return errnoOf(e);
  }
}

function reportJson(io: IO, r: KillReport): void {
  io.out(`${JSON.stringify(r)}\n`);
}

/** Carries out a plan; returns the exit status. */
/** What kill does once the command line is read (the plans parse() does not settle). */
type Work = Extract<KillPlan, { action: 'list' | 'table' | 'signal' }>;

/** A plan in the command contract's terms. */
export function toParsed(plan: KillPlan, prog: string): Parsed<Work> {
  switch (plan.action) {
    case 'help':
      return { kind: 'help', text: usageText(prog) };
    case 'version':
      return { kind: 'version' };
    case 'usage':
      return { kind: 'fail', status: 1, stderr: `${plan.message !== undefined ? `${prog}: ${plan.message}\n` : ''}${usageText(prog)}` };
    case 'fail':
      return { kind: 'fail', status: 1, stderr: `${prog}: ${plan.message}\n` };
    default:
      return { kind: 'run', options: plan };
  }
}

/** Carries out a plan (the contract, for tests that hold a plan); returns the exit status. */
export async function execute(plan: KillPlan, io: IO): Promise<number> {
  return perform(command, toParsed(plan, io.prog), io);
}

/** Lists, tables and signals. */
function work(plan: Work, io: IO): number {
  const prog = io.prog;
  switch (plan.action) {
    case 'table':
      if (plan.json) io.out(`${JSON.stringify(SIGNALS)}\n`);
      else io.out(signalTableText());
      return 0;
    case 'list': {
      if (plan.spec === undefined) {
        if (plan.json) io.out(`${JSON.stringify(SIGNALS)}\n`);
        else io.out(signalListText());
        return 0;
      }
      const converted = convertSignal(plan.spec);
      if (converted === undefined) {
        io.err(`${prog}: unknown signal name ${plan.spec}\n`);
        return 0;
      }
      if (plan.json) {
        const number = /^\d+$/.test(converted) ? Number(converted) : SIGNALS.find((s) => s.name === converted)!.number;
        io.out(`${JSON.stringify({ number, name: signalName(number) })}\n`);
      } else io.out(`${converted}\n`);
      return 0;
    }
    case 'signal':
      return signalAll(plan, io);
  }
}

function signalAll(plan: Extract<KillPlan, { action: 'signal' }>, io: IO): number {
  const prog = io.prog;
  const report: KillReport = {
    signal: plan.signal,
    name: plan.signal >= 0 ? signalName(plan.signal)! : null,
    value: plan.value,
    signalled: [],
    failed: [],
  };
  const finish = (status: number): number => {
    if (plan.json) reportJson(io, report);
    return status;
  };
  let status = 0;
  for (const arg of plan.pids) {
    const parsed = strtolWhole(arg);
    if (parsed === undefined || parsed.overflow) {
      const why = parsed?.overflow ? `: ${strerror('ERANGE')}` : '';
      io.err(`${prog}: failed to parse argument: '${arg}'${why}\n`);
      report.failed.push({ pid: arg, error: 'failed to parse argument', code: parsed?.overflow ? 'ERANGE' : 'EINVAL' });
      return finish(1);
    }
    const pid = Number(parsed.value);
    const code = signalPid(pid, plan.signal, plan.value);
    if (code === undefined) report.signalled.push(pid);
    else {
      report.failed.push({ pid, error: strerror(code), code });
      // procps is silent on this path and reports success as 1, failure as 0.
      if (!plan.optionPid) io.err(`${prog}: (${String(parsed.value)}): ${strerror(code)}\n`);
    }
    if (plan.optionPid) return finish(code === undefined ? 1 : 0);
    if (code !== undefined) status = 1;
  }
  return finish(status);
}

export const command: Command<Work> = {
  name: 'kill',
  summary: 'send a signal to a process (procps-ng kill)',
  get grammar() {
    const names = SIGNALS.map((s) => s.name);
    return { short: SHORT, long: LONG, values: { '-s': names, '--signal': names }, operands: 'pids' as const };
  },
  parse: (argv, io) => toParsed(parseArgs(argv, io.env), io.prog),
  run: work,
};
