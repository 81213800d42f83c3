/**
 * exec(2) as nice and taskset use it, emulated: Node cannot replace its own
 * image, so the command runs as a child that inherits what the namesake
 * would have set on itself before exec (niceness, CPU affinity: both are
 * per-thread on Linux, and the child is forked from this, the main thread),
 * with stdin/stdout/stderr inherited; the caller then sees the command's
 * exit status, or — re-raised on ptools itself — the signal that killed it.
 * One difference remains: a signal sent to ptools' own pid (kill PID, not
 * the terminal's Ctrl-C, which the command gets) ends ptools and leaves the
 * command running, where exec would have delivered it to the command.
 */
import { constants as osConstants } from 'node:os';
import type { IO } from './io.js';
import { Popen } from '../core/process/popen.js';
import { sleepSync } from '../core/base/clock.js';
import { strerror } from '../text/strerror.js';

/** How the command ended. */
export interface ExecOutcome {
  /** The exit status as a shell reports it: the command's, 128+n after signal n, 126/127 when it could not run. */
  readonly status: number;
  /** The signal that killed it, or null. */
  readonly signal: number | null;
  /** Why it could not run (errno name and strerror text), or undefined. */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Runs argv[0] (looked up in env's PATH) with the rest as arguments, stdio
 * inherited, and waits for it. Never throws for a command that cannot run:
 * status 127 for ENOENT, 126 otherwise (exec's conventions).
 */
export function runInherited(argv: readonly string[], env: NodeJS.ProcessEnv): ExecOutcome {
  const [cmd, ...args] = argv;
  const cannot = (code: string): ExecOutcome => ({ status: code === 'ENOENT' ? 127 : 126, signal: null, error: { code, message: strerror(code) } });
  // execvp("") fails with ENOENT; Node refuses an empty file name outright.
  if (cmd === undefined || cmd === '') return cannot('ENOENT');
  // With exec, Ctrl-C and Ctrl-\ from the terminal reach only the command, which
  // decides; ptools must not die of them first (system(3) does the same).
  // They are held while the command runs; its fate is ours afterwards.
  const noop = (): void => {};
  for (const s of HELD) process.on(s, noop);
  try {
    let child: Popen;
    try {
      child = new Popen(cmd, args, { stdio: 'inherit', env });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return cannot(typeof code === 'string' && code !== 'UNKNOWN' && code.startsWith('E') ? code : 'EACCES');
    }
    // A blocking wait: the status is read from the zombie, so even a real-time signal is known.
    const rc = child.wait();
    if (rc === null) return { status: 1, signal: null };
    if (rc < 0) return { status: 128 + -rc, signal: -rc };
    return { status: rc, signal: null };
  } finally {
    for (const s of HELD) process.removeListener(s, noop);
  }
}

/** The terminal's signals, which the command alone should get while it runs. */
const HELD = ['SIGINT', 'SIGQUIT'] as const;

/** Signal number → Node's name, for the classic signals Node knows. */
function nodeSignalName(sig: number): NodeJS.Signals | undefined {
  for (const [name, n] of Object.entries(osConstants.signals)) if (n === sig) return name as NodeJS.Signals;
  return undefined;
}

/**
 * The IO of the real process (the launchers'), as opposed to a test's
 * buffer: only then may ptools kill itself with the command's signal.
 */
export function isProcessIO(io: IO): boolean {
  return io.stdin !== undefined && io.stdin === process.stdin;
}

/**
 * Ends ptools with `sig`, as the namesake's exec would have let the caller
 * see it: the default disposition is restored first (Node ignores SIGPIPE,
 * and handles SIGUSR1 and others), then the signal is sent to ourselves.
 * Only for the real process (never in-process tests); returns if the signal
 * did not end us.
 */
export function reraise(sig: number, io: IO): void {
  if (!isProcessIO(io)) return;
  const name = nodeSignalName(sig);
  if (name !== undefined && name !== 'SIGKILL' && name !== 'SIGSTOP') {
    // A listener added and removed leaves libuv's SIG_DFL behind.
    const noop = (): void => {};
    try {
      process.on(name, noop);
      process.removeAllListeners(name);
    } catch {
      // Not a signal Node lets us handle: its disposition is the default already.
    }
  }
  try {
    process.kill(process.pid, sig);
  } catch {
    return;
  }
  // Delivery to a multi-threaded process may take a moment.
  sleepSync(1);
}
