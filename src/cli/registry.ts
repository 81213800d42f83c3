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

/** name → loader. Commands add themselves here. */
export const commands: Record<string, { summary: string; load: Loader }> = {};

/** Names a launcher may be invoked as, mapped to the command they run (pps → ps). */
export const aliases: Record<string, string> = {
  pps: 'ps',
  ptop: 'top',
};

export function register(name: string, summary: string, load: Loader): void {
  commands[name] = { summary, load };
}
