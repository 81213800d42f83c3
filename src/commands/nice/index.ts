/**
 * nice: GNU coreutils 9.1's nice(1), message for message, plus --json.
 *
 * parseArgs() is pure and reads argv as coreutils does (-N, --N and -+N old
 * forms, then one getopt_long "+n:" call per argument). The run uses the
 * core only: the niceness is read and set through Process (ptools' own
 * main thread: niceness is per-thread on Linux, and the command is forked
 * from that thread), then the command runs with exec semantics emulated
 * (nice-exec.ts): its exit status, 126/127 when it cannot run, its signal
 * re-raised on ptools.
 */
import type { IO } from '../../cli/io.js';
import { isJson, withJson, type Command, type Parsed } from '../../cli/command.js';
import { AccessDenied } from '../../core/base/errors.js';
import { Process } from '../../core/process/process.js';
import { signalName } from '../../core/process/signals.js';
import { Getopt, type LongOption } from '../../cli/getopt.js';
import { strerror } from '../../text/strerror.js';
import { reraise, runInherited } from '../../cli/exec.js';
import { quote } from '../../text/quote.js';

/** NZERO: niceness runs from -20 to 19; an adjustment is brought within ±39 first. */
const NZERO = 20;
/** coreutils' exit status when nice itself fails. */
export const EXIT_CANCELED = 125;

const LONG: readonly LongOption[] = withJson([
  { name: 'adjustment', has: 'required', key: 'n' },
  { name: 'help', has: 'none', key: 'HELP' },
  { name: 'version', has: 'none', key: 'VERSION' },
]);

const SHORT = '+n:';

export type NicePlan =
  | { readonly action: 'help' }
  | { readonly action: 'version' }
  /** A message; with `tryHelp` the "Try ... --help" line too; status 125. */
  | { readonly action: 'fail'; readonly message: string; readonly tryHelp: boolean }
  | { readonly action: 'print'; readonly json: boolean }
  | {
      readonly action: 'run';
      /** The adjustment, already brought within [-39, 39]. */
      readonly adjustment: number;
      readonly command: readonly string[];
      readonly json: boolean;
    };

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * gnulib xstrtol(s, 10) into a long, for an adjustment: white space and a
 * sign allowed, nothing after the digits; an overflow is accepted (it is
 * clamped anyway). undefined when invalid.
 */
export function parseAdjustment(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[2]);
  const signed = m[1] === '-' ? -v : v;
  return Math.max(1 - 2 * NZERO, Math.min(signed, 2 * NZERO - 1)) + 0;
}

/** Reads argv (after the command name) as coreutils 9.1's nice does. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): NicePlan {
  let given: string | undefined;
  let json = false;
  let i = 0;
  while (i < argv.length) {
    const s = argv[i]!;
    if (s[0] === '-' && isDigit(s[1 + (s[1] === '-' || s[1] === '+' ? 1 : 0)])) {
      given = s.slice(1);
      i++;
      continue;
    }
    const g = new Getopt(argv.slice(i), { short: SHORT, long: LONG, env });
    const r = g.next();
    if (r === null) {
      if (argv[i] === '--') i++;
      break;
    }
    i += g.optind;
    if (isJson(r.c)) {
      json = true;
      continue;
    }
    switch (r.c) {
      case 'n':
        given = r.optarg!;
        break;
      case 'HELP':
        return { action: 'help' };
      case 'VERSION':
        return { action: 'version' };
      default:
        return { action: 'fail', message: r.message!, tryHelp: true };
    }
  }
  let adjustment = 10;
  if (given !== undefined) {
    const a = parseAdjustment(given);
    if (a === undefined) return { action: 'fail', message: `invalid adjustment ${quote(given, env)}`, tryHelp: false };
    adjustment = a;
  }
  if (i >= argv.length) {
    if (given !== undefined) return { action: 'fail', message: 'a command must be given with an adjustment', tryHelp: true };
    return { action: 'print', json };
  }
  return { action: 'run', adjustment, command: argv.slice(i), json };
}

export function helpText(prog: string): string {
  return `Usage: ${prog} [OPTION] [COMMAND [ARG]...]
Run COMMAND with an adjusted niceness, which affects process scheduling.
With no COMMAND, print the current niceness.  Niceness values range from
${-NZERO} (most favorable to the process) to ${NZERO - 1} (least favorable to the process).

Mandatory arguments to long options are mandatory for short options too.
  -n, --adjustment=N   add integer N to the niceness (default 10)
      --json        print what was done as JSON
      --help        display this help and exit
      --version     output version information and exit

NOTE: your shell may have its own version of nice, which usually supersedes
the version described here.  Please refer to your shell's documentation
for details about the options it supports.

Full documentation: man ${prog} (ptools)
`;
}

/** What `nice COMMAND` did (the --json document). */
export interface NiceRunReport {
  readonly command: readonly string[];
  /** The niceness the command was started with. */
  readonly niceness: number;
  /** The exit status (128+n after signal n; 126/127 when it could not run). */
  readonly status: number;
  /** The signal's name when a signal ended it ("TERM"), else null. */
  readonly signal: string | null;
  /** Why the command could not run (strerror text), else null. */
  readonly error: string | null;
  /** The warning when the niceness could not be set (unprivileged), else null. */
  readonly warning: string | null;
}

/** What nice does once the command line is read. */
type Work = Extract<NicePlan, { action: 'print' | 'run' }>;

/** A plan in the command contract's terms. */
export function toParsed(plan: NicePlan, prog: string): Parsed<Work> {
  switch (plan.action) {
    case 'help':
      return { kind: 'help', text: helpText(prog) };
    case 'version':
      return { kind: 'version' };
    case 'fail':
      return { kind: 'fail', status: EXIT_CANCELED, stderr: `${prog}: ${plan.message}\n${plan.tryHelp ? `Try '${prog} --help' for more information.\n` : ''}` };
    default:
      return { kind: 'run', options: plan };
  }
}

/** Prints the niceness, or runs the command. */
function work(plan: Work, io: IO): number {
  switch (plan.action) {
    case 'print': {
      const niceness = new Process().nice();
      io.out(plan.json ? `${JSON.stringify({ niceness })}\n` : `${niceness}\n`);
      return 0;
    }
    case 'run':
      return runCommand(plan, io);
  }
}

function runCommand(plan: Extract<NicePlan, { action: 'run' }>, io: IO): number {
  const prog = io.prog;
  const self = new Process();
  const before = self.nice();
  // glibc's nice(): current + adjustment, which the kernel clamps.
  const target = Math.max(-NZERO, Math.min(NZERO - 1, before + plan.adjustment));
  let warning: string | null = null;
  try {
    self.nice(target);
  } catch (e) {
    if (!(e instanceof AccessDenied)) {
      const code = (e as { code?: unknown }).code;
      io.err(`${prog}: cannot set niceness: ${strerror(typeof code === 'string' ? code : 'EINVAL')}\n`);
      return EXIT_CANCELED;
    }
    // Unprivileged and asked to lower it: warn and run the command anyway.
    warning = `cannot set niceness: ${strerror('EACCES')}`;
    io.err(`${prog}: ${warning}\n`);
  }
  const niceness = self.nice();
  let outcome;
  try {
    outcome = runInherited(plan.command, io.env);
  } finally {
    // In-process callers (tests, the library's users) get their niceness back; only root can lower it again.
    if (niceness !== before) {
      try {
        self.nice(before);
      } catch {
        // unprivileged: nothing to do
      }
    }
  }
  if (outcome.error) io.err(`${prog}: ${quote(plan.command[0]!, io.env)}: ${outcome.error.message}\n`);
  if (plan.json) {
    const report: NiceRunReport = {
      command: plan.command,
      niceness,
      status: outcome.status,
      signal: outcome.signal === null ? null : signalName(outcome.signal)!,
      error: outcome.error ? outcome.error.message : null,
      warning,
    };
    io.out(`${JSON.stringify(report)}\n`);
  }
  if (outcome.signal !== null) reraise(outcome.signal, io);
  return outcome.status;
}

export const command: Command<Work> = {
  name: 'nice',
  summary: 'run a program with modified scheduling priority (coreutils nice)',
  grammar: { short: SHORT, long: LONG, operands: 'commands' },
  parse: (argv, io) => toParsed(parseArgs(argv, io.env), io.prog),
  run: work,
  versionText: (prog, v) => `${prog} (ptools) ${v}\n`,
};
