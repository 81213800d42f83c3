/** Time as psutil's Linux layer uses it: a monotonic clock and a blocking sleep, both in seconds. */

/** Seconds on a monotonic clock (Python's time.monotonic). */
export function monotonic(): number {
  return performance.now() / 1000;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `seconds` (Python's time.sleep); nothing for 0 or less. */
export function sleepSync(seconds: number): void {
  if (seconds > 0) Atomics.wait(sleepCell, 0, 0, seconds * 1000);
}
