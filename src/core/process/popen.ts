/**
 * psutil's Popen in Node form: a child process started with
 * child_process.spawn that is also a Process. Starting a program is the
 * caller's explicit request here; no other core module starts processes.
 *
 * Signals go through Process (identity checked first), so a pid reused after
 * the child was reaped is never signalled.
 */
import { spawn as cpSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Process, type WaitOptions } from './process.js';

/** Why spawn failed: Node reports it only later, on the 'error' event; this finds it now. */
function spawnFailure(command: string, options: SpawnOptions): Error {
  const env = options.env ?? process.env;
  const candidates = command.includes('/')
    ? [command]
    : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, command));
  let code = 'ENOENT';
  for (const c of candidates) {
    try {
      if (!statSync(c).isFile()) {
        code = 'EACCES';
        continue;
      }
      accessSync(c, fsConstants.X_OK);
      code = 'UNKNOWN';
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') code = 'EACCES';
    }
  }
  if (options.cwd !== undefined && code === 'UNKNOWN') {
    try {
      statSync(options.cwd);
    } catch {
      code = 'ENOENT';
    }
  }
  const errno = (osConstants.errno as Record<string, number>)[code];
  return Object.assign(new Error(`spawn ${command} ${code}`), {
    code,
    errno: errno === undefined ? undefined : -errno,
    syscall: `spawn ${command}`,
    path: command,
  });
}

function signalNumber(sig: NodeJS.Signals): number {
  return (osConstants.signals as Record<string, number>)[sig] ?? 0;
}

/** A started program: a Process (every method) with the ChildProcess's streams and exit code. */
export class Popen extends Process {
  /** The underlying ChildProcess (events, stdio, ...). */
  readonly child: ChildProcess;
  /** The command and arguments it was started with. */
  readonly args: readonly string[];

  /**
   * Starts `command` with `args`, like child_process.spawn (same options,
   * same defaults: stdio pipes). Throws at once when the program cannot be
   * started (an Error with code ENOENT/EACCES), as psutil.Popen does.
   */
  constructor(command: string, args: readonly string[] = [], options: SpawnOptions = {}) {
    const child = cpSpawn(command, args, options);
    if (child.pid === undefined) {
      // Node emits the reason later on 'error'; swallow that one, throw now.
      child.once('error', () => {});
      throw spawnFailure(command, options);
    }
    super(child.pid);
    this.child = child;
    this.args = [command, ...args];
    // An unhandled 'error' (a later kill() failing...) must not crash the program.
    child.on('error', () => {});
  }

  get stdin(): Writable | null {
    return this.child.stdin;
  }
  get stdout(): Readable | null {
    return this.child.stdout;
  }
  get stderr(): Readable | null {
    return this.child.stderr;
  }

  /** The exit code (minus the signal when killed) once it ended and was waited for or reaped; null before. */
  override get returncode(): number | null {
    const c = this.child;
    if (c.exitCode !== null) return c.exitCode;
    if (c.signalCode !== null) return -signalNumber(c.signalCode);
    return this._exitcode ?? null;
  }

  /**
   * Waits for the child to end and returns its exit code (minus the signal
   * number when killed). Blocking: the exit status is read from the
   * child's zombie before Node's event loop reaps it.
   */
  override wait(opts: WaitOptions = {}): number | null {
    const rc = this.returncode;
    if (rc !== null) {
      this._exitcode = rc;
      return rc;
    }
    const code = super.wait(opts) ?? this.returncode;
    this._exitcode = code;
    return code;
  }
}

/** psutil.Popen: starts a program and returns it as a Popen (a Process with stdio and an exit code). */
export function spawn(command: string, args: readonly string[] = [], options: SpawnOptions = {}): Popen {
  return new Popen(command, args, options);
}
