/**
 * The commands, loaded lazily so that `pps aux` pays only for ps. Each command
 * module exports `command: Command`.
 */
import type { IO } from './io.js';

export interface Command {
  /** The namesake's name: ps, free, df... */
  name: string;
  /** One line for `ptools --help`. */
  summary: string;
  /** Runs with the arguments after the command name; returns the exit status. */
  run(argv: string[], io: IO): number | Promise<number>;
}

type Loader = () => Promise<{ command: Command }>;

/**
 * What the namesake does at exit when writing to stdout failed (a full disk,
 * a closed stdout): gnulib's and procps' close_stdout print
 * `prog: write error: <strerror>` and exit 1 (coreutils nice 125); procps
 * free prints `free: write error`; util-linux ignores EBADF; procps kill
 * and net-tools never check.
 */
export interface WriteErrorPolicy {
  /** 'strerror': `prog: write error: <text>`; 'plain': `prog: write error`; 'none': nothing, status unchanged. */
  style: 'strerror' | 'plain' | 'none';
  /** The exit status after a reported write error. */
  status: number;
  /** A closed stdout (EBADF) is not an error (util-linux's close_stdout). */
  ignoreEbadf?: boolean;
}

/** close_stdout as gnulib and procps have it: the default. */
export const REPORT_WRITE_ERRORS: WriteErrorPolicy = { style: 'strerror', status: 1 };

/** name → loader. Commands add themselves here. */
export const commands: Record<string, { summary: string; load: Loader; writeError: WriteErrorPolicy }> = {};

/** Names a launcher may be invoked as, mapped to the command they run (pps → ps). */
export const aliases: Record<string, string> = {
  pps: 'ps',
  ptop: 'top',
};

export function register(name: string, summary: string, load: Loader, writeError: WriteErrorPolicy = REPORT_WRITE_ERRORS): void {
  commands[name] = { summary, load, writeError };
}
