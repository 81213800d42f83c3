/**
 * The one repeat loop of the commands that print a report again and again
 * (`free -s N -c M`, `netstat -c`; top's `-d`/`-n` later): a tick, then —
 * unless it was the last — the pause, and the next tick.
 *
 * It stops after `count` ticks, when a tick returns a non-zero status, when
 * stdout failed (only for commands whose namesake checks after each report:
 * `onWriteError`), or when `signal` is aborted (the pause ends at once). A
 * terminal's Ctrl-C ends the process as it ends the namesakes: no handler
 * is installed here.
 */
import type { IO } from './io.js';

export interface TickerOptions {
  /** The pause between the end of one tick and the start of the next, in milliseconds. */
  readonly intervalMs: number;
  /** Ticks in all: 1 runs once, Infinity until stopped. */
  readonly count: number;
  /**
   * After each tick, stdout is flushed and a write error handed here; what
   * it returns (or throws) ends the loop. Without it, write errors do not
   * stop the loop (net-tools never checks).
   */
  readonly onWriteError?: (e: NodeJS.ErrnoException) => number;
  /** Runs between two ticks, before the pause (free's blank line between reports). */
  readonly between?: () => void;
  /** Aborting it ends the pause at once and runs no further tick. */
  readonly signal?: AbortSignal;
}

/** Runs tick(0), tick(1)... as above; returns the last tick's status (or onWriteError's). */
export async function ticker(io: IO, opts: TickerOptions, tick: (i: number) => number | Promise<number>): Promise<number> {
  let status = 0;
  for (let i = 0; i < opts.count; i++) {
    if (opts.signal?.aborted) break;
    status = await tick(i);
    if (opts.onWriteError) {
      const failed = await io.flush?.();
      if (failed) return opts.onWriteError(failed);
    }
    if (status !== 0 || i + 1 >= opts.count) break;
    opts.between?.();
    await pause(opts.intervalMs, opts.signal);
  }
  return status;
}

/** setTimeout as a promise that an abort ends early. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
