/**
 * taskset: util-linux 2.38.1's taskset(1), line for line, plus --json.
 *
 * parseArgs() is pure: getopt_long "+apchV" (options stop at the first
 * operand), -p reads the pid from the last argument as util-linux does, and
 * the mask or list is parsed by the core (cpulist.ts, util-linux's rules).
 * execute() goes through Process: the pid (each thread with -a) is bound to
 * its start time, read, set and read back, so a pid reused meanwhile is
 * never changed. Without -p, taskset sets its own affinity and runs the
 * command with exec semantics emulated (nice-exec.ts).
 */
import type { IO } from '../../cli/io.js';
import { isJson, isJsonArg, withJson, type Command, type Parsed } from '../../cli/command.js';
import { formatAffinityList, formatAffinityMask, parseAffinityList, parseAffinityMask } from '../../core/base/cpulist.js';
import { AccessDenied, NoSuchProcess, PtoolsError } from '../../core/base/errors.js';
import { Process } from '../../core/process/process.js';
import { signalName } from '../../core/process/signals.js';
import { Getopt, type LongOption } from '../../cli/getopt.js';
import { strtolWhole } from '../../core/base/strtol.js';
import { strerror } from '../../text/strerror.js';
import { reraise, runInherited } from '../../cli/exec.js';

const LONG: readonly LongOption[] = withJson([
  { name: 'all-tasks', has: 'none', key: 'a' },
  { name: 'pid', has: 'none', key: 'p' },
  { name: 'cpu-list', has: 'none', key: 'c' },
  { name: 'help', has: 'none', key: 'h' },
  { name: 'version', has: 'none', key: 'V' },
]);

const SHORT = '+apchV';

/** Whether the options (before the first operand) include -p. */
function pidMode(argv: readonly string[]): boolean {
  const g = new Getopt(argv, { short: `+:${SHORT.slice(1)}`, long: LONG });
  for (let r = g.next(); r !== null; r = g.next()) {
    if (r.c === 'p') return true;
    if (r.c === '?' || r.c === ':') return false;
  }
  return false;
}

/**
 * With -p the operands are a mask (or list) and a pid, and util-linux reads
 * the pid from the last argument: `--json` after the pid can be nothing but
 * ptools' option, so it is taken there too. Without -p the words after the
 * mask are the command's own, and stay so.
 */
function jsonAfterPid(argv: readonly string[]): { argv: readonly string[]; json: boolean } {
  let end = argv.length;
  while (end > 1 && isJsonArg(argv[end - 1]!) && !argv[end - 2]!.startsWith('-')) end--;
  if (end === argv.length || !pidMode(argv)) return { argv, json: false };
  return { argv: argv.slice(0, end), json: true };
}

export type TasksetPlan =
  | { readonly action: 'help' }
  | { readonly action: 'version' }
  /** A message (and the "Try ... --help" line with tryHelp); status 1. */
  | { readonly action: 'fail'; readonly message: string; readonly tryHelp: boolean }
  | {
      readonly action: 'run';
      /** The pid given with -p, or 0 (none: ptools itself, then the command). */
      readonly pid: number;
      readonly allTasks: boolean;
      readonly list: boolean;
      /** The CPUs to set, or null to only print (-p PID). */
      readonly cpus: readonly number[] | null;
      /** The command and its arguments (pid 0). */
      readonly command: readonly string[];
      readonly json: boolean;
    };

/** util-linux strtos32_or_err: a whole number in the int32 range, or its message. */
function parsePid(s: string): number | string {
  const v = s === '' ? undefined : strtolWhole(s);
  if (v === undefined) return `invalid PID argument: '${s}'`;
  if (v.overflow || v.value > 0x7fffffffn || v.value < -0x80000000n) return `invalid PID argument: '${s}': ${strerror('ERANGE')}`;
  return Number(v.value);
}

/** Reads argv (after the command name) as util-linux 2.38.1's taskset does. */
export function parseArgs(argvIn: readonly string[], _env: NodeJS.ProcessEnv = {}): TasksetPlan {
  const { argv, json: trailing } = jsonAfterPid(argvIn);
  const g = new Getopt(argv, { short: SHORT, long: LONG });
  let pid = 0;
  let allTasks = false;
  let list = false;
  let json = trailing;
  for (let r = g.next(); r !== null; r = g.next()) {
    if (isJson(r.c)) {
      json = true;
      continue;
    }
    switch (r.c) {
      case 'a':
        allTasks = true;
        break;
      case 'p': {
        // util-linux takes the pid from the last argument, whatever it is.
        const p = parsePid(argv[argv.length - 1]!);
        if (typeof p === 'string') return { action: 'fail', message: p, tryHelp: false };
        pid = p;
        break;
      }
      case 'c':
        list = true;
        break;
      case 'V':
        return { action: 'version' };
      case 'h':
        return { action: 'help' };
      default:
        return { action: 'fail', message: r.message!, tryHelp: true };
    }
  }
  const ops = g.operands();
  if ((pid === 0 && ops.length < 2) || (pid !== 0 && (ops.length < 1 || ops.length > 2))) {
    return { action: 'fail', message: 'bad usage', tryHelp: true };
  }
  let cpus: number[] | null = null;
  if (ops.length !== 1) {
    try {
      cpus = list ? parseAffinityList(ops[0]!) : parseAffinityMask(ops[0]!);
    } catch (e) {
      if (!(e instanceof PtoolsError)) throw e;
      return { action: 'fail', message: `failed to parse CPU ${list ? 'list' : 'mask'}: ${ops[0]!}`, tryHelp: false };
    }
  }
  return { action: 'run', pid, allTasks, list, cpus, command: pid === 0 ? ops.slice(1) : [], json };
}

export function helpText(prog: string): string {
  return `Usage: ${prog} [options] [mask | cpu-list] [pid|cmd [args...]]


Show or change the CPU affinity of a process.

Options:
 -a, --all-tasks         operate on all the tasks (threads) for a given pid
 -p, --pid               operate on existing given pid
 -c, --cpu-list          display and specify cpus in list format
     --json              print what was done as JSON
 -h, --help              display this help
 -V, --version           display version

The default behavior is to run a new command:
    ${prog} 03 sshd -b 1024
You can retrieve the mask of an existing task:
    ${prog} -p 700
Or set it:
    ${prog} -p 03 700
List format uses a comma-separated list instead of a mask:
    ${prog} -pc 0,3,7-11 700
Ranges in list format can take a stride argument:
    e.g. 0-31:2 is equivalent to mask 0x55555555

For more details see taskset(1).
`;
}

/** One task's affinity, before and after (the --json document's entries). */
export interface AffinityChange {
  /** The pid (a thread id with -a; ptools' own pid when running a command). */
  readonly pid: number;
  /** The CPUs before, ascending. */
  readonly old: number[];
  /** The CPUs after, or null when only read (or the change failed). */
  readonly new: number[] | null;
  /** Why it failed (strerror text), or null. */
  readonly error: string | null;
}

/** What `taskset MASK COMMAND` did. */
export interface TasksetRunReport extends AffinityChange {
  readonly command: readonly string[];
  readonly status: number;
  readonly signal: string | null;
}

function errnoOf(e: unknown): string {
  if (e instanceof NoSuchProcess) return 'ESRCH';
  if (e instanceof AccessDenied) return 'EPERM';
  // Process.cpuAffinity turns the kernel's EINVAL into a RangeError that names the CPUs.
  if (e instanceof RangeError) return 'EINVAL';
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
  throw e;
}

class Failure extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

/** Binds to a pid; a negative or absent one is ESRCH, as sched_getaffinity says. */
function bind(pid: number): Process {
  if (pid < 0) throw new NoSuchProcess(pid);
  return new Process(pid);
}

/**
 * util-linux's do_taskset for one task: print the current affinity (for a
 * pid), set the new one, print it re-read. Throws Failure with the message.
 */
function doTask(pid: number, plan: Extract<TasksetPlan, { action: 'run' }>, io: IO, out: AffinityChange[]): void {
  const shown = pid || process.pid;
  const fmt = (cpus: number[]): string => (plan.list ? formatAffinityList(cpus) : formatAffinityMask(cpus));
  const kind = plan.list ? 'list' : 'mask';
  let proc: Process;
  let old: number[];
  try {
    proc = bind(shown);
    old = proc.cpuAffinity();
  } catch (e) {
    throw new Failure(`failed to get pid ${shown}'s affinity: ${strerror(errnoOf(e))}`);
  }
  if (pid && !plan.json) io.out(`pid ${pid}'s current affinity ${kind}: ${fmt(old)}\n`);
  if (plan.cpus === null) {
    out.push({ pid: shown, old, new: null, error: null });
    return;
  }
  try {
    // An empty set is the kernel's EINVAL (Process.cpuAffinity([]) would mean "every CPU").
    if (plan.cpus.length === 0) throw Object.assign(new Error('empty CPU set'), { code: 'EINVAL' });
    proc.cpuAffinity(plan.cpus);
  } catch (e) {
    const msg = strerror(errnoOf(e));
    out.push({ pid: shown, old, new: null, error: msg });
    throw new Failure(`failed to set pid ${shown}'s affinity: ${msg}`);
  }
  let now: number[];
  try {
    now = proc.cpuAffinity();
  } catch (e) {
    const msg = strerror(errnoOf(e));
    out.push({ pid: shown, old, new: null, error: msg });
    throw new Failure(`failed to get pid ${shown}'s affinity: ${msg}`);
  }
  out.push({ pid: shown, old, new: now, error: null });
  if (pid && !plan.json) io.out(`pid ${pid}'s new affinity ${kind}: ${fmt(now)}\n`);
}

/** A plan in the command contract's terms. */
export function toParsed(plan: TasksetPlan, prog: string): Parsed<Extract<TasksetPlan, { action: 'run' }>> {
  switch (plan.action) {
    case 'help':
      return { kind: 'help', text: helpText(prog) };
    case 'version':
      return { kind: 'version' };
    case 'fail':
      return { kind: 'fail', status: 1, stderr: `${prog}: ${plan.message}\n${plan.tryHelp ? `Try '${prog} --help' for more information.\n` : ''}` };
    case 'run':
      return { kind: 'run', options: plan };
  }
}

function runPlan(plan: Extract<TasksetPlan, { action: 'run' }>, io: IO): number {
  const prog = io.prog;
  const changes: AffinityChange[] = [];
  const emit = (): void => {
    if (!plan.json || plan.pid === 0) return;
    io.out(`${JSON.stringify(plan.allTasks ? changes : changes[0] ?? null)}\n`);
  };
  try {
    if (plan.allTasks && plan.pid) {
      let tids: number[];
      try {
        tids = bind(plan.pid).threads().map((t) => t.id);
      } catch {
        // util-linux walks /proc/PID/task; when it cannot, there is nothing to do.
        tids = [];
      }
      for (const tid of tids) doTask(tid, plan, io, changes);
    } else doTask(plan.pid, plan, io, changes);
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    emit();
    io.err(`${prog}: ${e.text}\n`);
    return 1;
  }
  emit();
  if (plan.pid !== 0) return 0;
  return runCommand(plan, io, changes[0]!);
}

function runCommand(plan: Extract<TasksetPlan, { action: 'run' }>, io: IO, change: AffinityChange): number {
  let outcome;
  try {
    outcome = runInherited(plan.command, io.env);
  } finally {
    // In-process callers get their own affinity back.
    try {
      if (change.new !== null) new Process().cpuAffinity(change.old);
    } catch {
      // best effort
    }
  }
  if (outcome.error) io.err(`${io.prog}: failed to execute ${plan.command[0] ?? ''}: ${outcome.error.message}\n`);
  if (plan.json) {
    const report: TasksetRunReport = {
      ...change,
      command: plan.command,
      status: outcome.status,
      signal: outcome.signal === null ? null : signalName(outcome.signal)!,
    };
    io.out(`${JSON.stringify(report)}\n`);
  }
  if (outcome.signal !== null) reraise(outcome.signal, io);
  return outcome.status;
}

export const command: Command<Extract<TasksetPlan, { action: 'run' }>> = {
  name: 'taskset',
  summary: "set or retrieve a process's CPU affinity (util-linux taskset)",
  grammar: { short: SHORT, long: LONG, operands: 'commands' },
  parse: (argv, io) => toParsed(parseArgs(argv, io.env), io.prog),
  run: runPlan,
};
