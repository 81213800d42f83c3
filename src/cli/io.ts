/**
 * The IO object every command writes through: stdout and stderr, whether
 * stdout is a terminal, its width, the environment, and whether colour is on.
 * Commands never touch process.stdout directly, so they run in-process in
 * tests with a buffer IO.
 */
import type { ChalkInstance } from 'chalk';
import { readFileSync, readlinkSync } from 'node:fs';

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
  /**
   * Waits until everything written to stdout has gone out and returns the
   * first write error (ENOSPC on a full disk, EBADF when stdout was closed),
   * or undefined; the error is returned once, to whoever reports it. After
   * an error further output is dropped, as a C stdio stream in error state
   * would. run() (cli/program.ts) reports it at the end as the namesake's
   * close_stdout does; a command whose namesake checks sooner (free after
   * each report) calls flush itself.
   */
  flush?(): Promise<NodeJS.ErrnoException | undefined>;
}

/** An errno-style error, as Node's fs would raise it. */
export function errnoError(code: string, errno: number, syscall = 'write'): NodeJS.ErrnoException {
  const e = new Error(`${code}: ${syscall}`) as NodeJS.ErrnoException;
  e.code = code;
  e.errno = -errno;
  e.syscall = syscall;
  return e;
}

/**
 * Whether fd 1 was closed when the program started (`cmd >&-`). Node cannot
 * run with a closed standard descriptor: before any of our code runs it
 * opens /dev/null read-write in its place. A shell's `>/dev/null` opens it
 * write-only, so /dev/null opened O_RDWR on fd 1 means it was closed (only
 * `1<>/dev/null`, which nobody writes, looks the same). The C tools then
 * fail their first write with EBADF; so do we.
 */
export function stdoutWasClosed(): boolean {
  try {
    if (readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const m = /^flags:\s*([0-7]+)/m.exec(readFileSync('/proc/self/fdinfo/1', 'latin1'));
    // O_ACCMODE = 3, O_RDWR = 2.
    return m !== null && (parseInt(m[1]!, 8) & 3) === 2;
  } catch {
    return false;
  }
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
  // The first failed write; later output is dropped.
  let failure: NodeJS.ErrnoException | undefined;
  let reported = false;
  let listening = false;
  let closed: boolean | undefined;
  const write = (t: string | Uint8Array): void => {
    if (failure !== undefined || t.length === 0) return;
    if ((closed ??= !isTTY && stdoutWasClosed())) {
      failure = errnoError('EBADF', 9);
      return;
    }
    if (!listening) {
      listening = true;
      // Write errors arrive as events (after the write returns). EPIPE is
      // main()'s: a closed pipe ends the program quietly.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') failure ??= e;
      });
    }
    process.stdout.write(t);
  };
  return {
    prog,
    out: (t) => write(t),
    outBytes: (b) => write(b),
    flush: () =>
      new Promise((resolve) => {
        // The error is handed out once: whoever reports it (a command in its
        // loop, or run() at the end) is the only one who does.
        const done = (): void => {
          if (failure !== undefined && !reported) {
            reported = true;
            resolve(failure);
          } else resolve(undefined);
        };
        if (failure !== undefined || !listening || process.stdout.destroyed) {
          done();
          return;
        }
        // An empty write calls back once every earlier write has completed.
        process.stdout.write('', (e) => {
          if (e) failure ??= e as NodeJS.ErrnoException;
          done();
        });
      }),
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
export function bufferIO(
  opts: Partial<Pick<IO, 'prog' | 'isTTY' | 'columns' | 'rows' | 'env' | 'color'>> & {
    /** Every non-empty write to stdout fails with this errno code (ENOSPC, EBADF...) and is dropped. */
    failWrites?: NodeJS.ErrnoException;
  } = {},
): BufferIO {
  const out: Array<string | Buffer> = [];
  let err = '';
  let failure: NodeJS.ErrnoException | undefined;
  let reported = false;
  const isTTY = opts.isTTY ?? false;
  const env = opts.env ?? {};
  const color = opts.color ?? colorAllowed(isTTY, env);
  return {
    prog: opts.prog ?? 'ptools',
    out: (t) => {
      if (opts.failWrites && t !== '') failure ??= opts.failWrites;
      if (failure === undefined) out.push(t);
    },
    outBytes: (b) => {
      if (opts.failWrites && b.length > 0) failure ??= opts.failWrites;
      if (failure === undefined) out.push(Buffer.from(b));
    },
    flush: () => {
      const e = reported ? undefined : failure;
      if (e) reported = true;
      return Promise.resolve(e);
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
