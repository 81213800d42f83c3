/**
 * The IO object every command writes through: stdout and stderr, whether
 * stdout is a terminal, its width, the environment, and whether colour is on.
 * Commands never touch process.stdout directly, so they run in-process in
 * tests with a buffer IO.
 */
import type { ChalkInstance } from 'chalk';

export interface IO {
  /** The name the program was invoked as for this command ("ps", "pps", "free"...): used in messages. */
  prog: string;
  out(text: string): void;
  /**
   * Raw bytes to stdout, for the few outputs that are bytes rather than text
   * (pmap's header passes a command line's bytes through as procps does).
   */
  outBytes(data: Uint8Array): void;
  err(text: string): void;
  /** stdout is a terminal. */
  isTTY: boolean;
  /** Terminal width (COLUMNS wins, then the tty's width); undefined when not a terminal and COLUMNS unset. */
  columns: number | undefined;
  /** Terminal height (LINES wins, then the tty's). */
  rows: number | undefined;
  env: NodeJS.ProcessEnv;
  /** Colour allowed: a TTY and no NO_COLOR (a command's --color=never turns it off too). */
  color: boolean;
  /**
   * chalk at this IO's colour level (level 0 when colour is off), loaded on
   * first use: start-up of commands that print no colour does not pay for it.
   */
  chalk(): Promise<ChalkInstance>;
  /** stdin, for commands that read it. */
  stdin?: NodeJS.ReadableStream;
}

function envInt(v: string | undefined): number | undefined {
  if (!v || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}

function lazyChalk(color: boolean): () => Promise<ChalkInstance> {
  let p: Promise<ChalkInstance> | undefined;
  return () => (p ??= import('chalk').then(({ Chalk }) => new Chalk({ level: color ? 1 : 0 })));
}

function colorAllowed(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/** The real process's IO. */
export function processIO(prog = 'ptools'): IO {
  const isTTY = Boolean(process.stdout.isTTY);
  const env = process.env;
  const color = colorAllowed(isTTY, env);
  return {
    prog,
    out: (t) => {
      process.stdout.write(t);
    },
    outBytes: (b) => {
      process.stdout.write(b);
    },
    err: (t) => {
      process.stderr.write(t);
    },
    isTTY,
    columns: envInt(env.COLUMNS) ?? (isTTY ? process.stdout.columns : undefined),
    rows: envInt(env.LINES) ?? (isTTY ? process.stdout.rows : undefined),
    env,
    color,
    chalk: lazyChalk(color),
    // process.stdin costs a little to create: only commands that ask pay for it.
    get stdin(): NodeJS.ReadableStream {
      return process.stdin;
    },
  };
}

export interface BufferIO extends IO {
  /** What was written to stdout as text (bytes written with outBytes decoded as UTF-8). */
  stdout(): string;
  /** What was written to stdout, exactly, as bytes (text encoded as UTF-8). */
  stdoutBytes(): Buffer;
  stderr(): string;
}

/** An in-memory IO for tests: not a TTY unless asked, no colour unless asked. */
export function bufferIO(opts: Partial<Pick<IO, 'prog' | 'isTTY' | 'columns' | 'rows' | 'env' | 'color'>> = {}): BufferIO {
  const out: Array<string | Buffer> = [];
  let err = '';
  const isTTY = opts.isTTY ?? false;
  const env = opts.env ?? {};
  const color = opts.color ?? colorAllowed(isTTY, env);
  return {
    prog: opts.prog ?? 'ptools',
    out: (t) => {
      out.push(t);
    },
    outBytes: (b) => {
      out.push(Buffer.from(b));
    },
    err: (t) => {
      err += t;
    },
    isTTY,
    columns: opts.columns,
    rows: opts.rows,
    env,
    color,
    chalk: lazyChalk(color),
    stdout: () => out.map((c) => (typeof c === 'string' ? c : c.toString('utf8'))).join(''),
    stdoutBytes: () => Buffer.concat(out.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c))),
    stderr: () => err,
  };
}

/** A copy of `io` with another program name / colour setting. */
export function withIO(io: IO, patch: Partial<IO>): IO {
  // Copy the descriptors, not the values, so lazy properties stay lazy.
  const next = Object.defineProperties({}, Object.getOwnPropertyDescriptors(io)) as IO;
  Object.assign(next, patch);
  if (patch.color !== undefined) next.chalk = lazyChalk(patch.color);
  return next;
}
