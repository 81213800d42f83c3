/**
 * The contract every command keeps, and the one place that drives it:
 *
 *   parse(argv, io) → { kind: 'run', options } | help | version | fail
 *   run(options, io) → collect → rows → text | JSON → the exit status
 *
 * `--json` is one option for all of them (JSON_OPTION below): commands
 * parsed with glibc's getopt list it in their long-option table; the two
 * hand-written grammars (ifconfig, ps) accept the same spelling. Each
 * command's man page says where it is accepted.
 *
 * Commands import this module, never cli/program or cli/registry.
 */
import { CliExit } from './errors.js';
import type { LongOption } from './getopt.js';
import type { IO } from './io.js';
import { version } from './version.js';

/** What a command line asks for. */
export type Parsed<O> =
  /** Do the work with these options. */
  | { readonly kind: 'run'; readonly options: O }
  /** Print the help: `text` on stdout, `stderr` (if any) after it; status 0 unless given. */
  | { readonly kind: 'help'; readonly text: string; readonly stderr?: string; readonly status?: number }
  /** Print the version line(s) (Command.versionText) and exit 0. */
  | { readonly kind: 'version' }
  /** A bad command line: `stdout` (if any), then `stderr`, then the namesake's status. */
  | { readonly kind: 'fail'; readonly status: number; readonly stderr: string; readonly stdout?: string };

/** Options every command has. */
export interface CommonOptions {
  /** --json: typed raw values instead of the namesake's text. */
  readonly json: boolean;
}

/**
 * A command's option grammar as data, for `ptools completion`: the same
 * tables its parser reads (getopt's optstring and long options), plus the
 * words an option's argument may be (ps -o: the format keywords).
 */
export interface Grammar {
  /** glibc's optstring ("bkmghltvc:ws:V"); a leading '+', '-' or ':' is allowed. */
  readonly short?: string;
  readonly long?: readonly LongOption[];
  /** BSD-style option letters, taken without a dash (ps's `aux`). */
  readonly bsd?: string;
  /** Option spelling ("-o", "--format", "O") → the words its argument is made of (comma-separated lists). */
  readonly values?: Readonly<Record<string, readonly string[]>>;
  /** Words that may stand where an operand goes (ifconfig's settings are refused, so none). */
  readonly operands?: 'pids' | 'files' | 'commands' | 'interfaces' | 'none';
}

export interface Command<O extends CommonOptions = CommonOptions> {
  /** The namesake's name: ps, free, df... */
  readonly name: string;
  /** One line for `ptools --help`. */
  readonly summary: string;
  /** The option tables its parser uses (for completion). */
  readonly grammar: Grammar;
  /** The arguments after the command name → what to do. May throw CliExit (same as kind 'fail'). */
  parse(argv: string[], io: IO): Parsed<O> | Promise<Parsed<O>>;
  /** Collects, renders text or JSON, returns the exit status. */
  run(options: O, io: IO): number | Promise<number>;
  /** The version text (default: `${prog} from ptools ${version}`). */
  versionText?(prog: string, version: string): string;
}

/** The --json option: one definition, one key, for every getopt table. */
export const JSON_OPTION: LongOption = { name: 'json', has: 'none', key: 'json' };

/** A long-option table with --json added (last, as every command documents it). */
export function withJson(long: readonly LongOption[]): readonly LongOption[] {
  return [...long, JSON_OPTION];
}

/** Whether an option key is --json's. */
export function isJson(key: string): boolean {
  return key === JSON_OPTION.key;
}

/** `arg` spells --json exactly (for the hand-written grammars, which take no abbreviations). */
export function isJsonArg(arg: string): boolean {
  return arg === `--${JSON_OPTION.name}`;
}

/** A failure result from a message already in the namesake's words. */
export function fail(status: number, stderr: string, stdout?: string): Parsed<never> {
  return stdout === undefined ? { kind: 'fail', status, stderr } : { kind: 'fail', status, stderr, stdout };
}

/** The contract driven: parse, then help / version / failure / run. Errors thrown propagate to program's report(). */
export async function execute(command: Command<CommonOptions>, argv: string[], io: IO): Promise<number> {
  let parsed: Parsed<CommonOptions>;
  try {
    parsed = await command.parse(argv, io);
  } catch (e) {
    if (!(e instanceof CliExit)) throw e;
    parsed = fail(e.code, e.stderr, e.stdout || undefined);
  }
  return perform(command, parsed, io);
}

/** What a parsed command line asks for, done: help, version, the failure, or the run. */
export async function perform<O extends CommonOptions>(command: Command<O>, parsed: Parsed<O>, io: IO): Promise<number> {
  switch (parsed.kind) {
    case 'help':
      io.out(parsed.text);
      if (parsed.stderr) io.err(parsed.stderr);
      return parsed.status ?? 0;
    case 'version':
      io.out(command.versionText ? command.versionText(io.prog, version()) : `${io.prog} from ptools ${version()}\n`);
      return 0;
    case 'fail':
      if (parsed.stdout) io.out(parsed.stdout);
      if (parsed.stderr) io.err(parsed.stderr);
      return parsed.status;
    case 'run':
      return command.run(parsed.options, io);
  }
}
