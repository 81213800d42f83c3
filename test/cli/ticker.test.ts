/** The one repeat loop (free -s/-c, netstat -c): count, pause, stops. */
import { describe, expect, it } from 'vitest';
import { bufferIO, errnoError } from '../../src/cli/io.js';
import { ticker } from '../../src/cli/ticker.js';

describe('ticker', () => {
  it('runs `count` ticks with `between` and a pause between two, none after the last', async () => {
    const io = bufferIO();
    const events: string[] = [];
    const status = await ticker(io, { intervalMs: 1, count: 3, between: () => events.push('between') }, (i) => {
      events.push(`tick ${i}`);
      return 0;
    });
    expect(status).toBe(0);
    expect(events).toEqual(['tick 0', 'between', 'tick 1', 'between', 'tick 2']);
  });

  it('count 1 runs once, without between', async () => {
    const events: number[] = [];
    await ticker(bufferIO(), { intervalMs: 10_000, count: 1, between: () => events.push(-1) }, (i) => events.push(i) && 0);
    expect(events).toEqual([0]);
  });

  it("a tick's non-zero status ends the loop and is returned", async () => {
    const seen: number[] = [];
    const status = await ticker(bufferIO(), { intervalMs: 1, count: Infinity }, (i) => {
      seen.push(i);
      return i === 2 ? 3 : 0;
    });
    expect([status, seen]).toEqual([3, [0, 1, 2]]);
  });

  it('onWriteError: a failed write stops the loop after that tick, with what it returns', async () => {
    const io = bufferIO({ failWrites: errnoError('ENOSPC', 28) });
    const seen: number[] = [];
    const failures: string[] = [];
    const status = await ticker(io, { intervalMs: 1, count: 5, onWriteError: (e) => (failures.push(e.code!), 1) }, (i) => {
      seen.push(i);
      io.out('report\n');
      return 0;
    });
    expect([status, seen, failures]).toEqual([1, [0], ['ENOSPC']]);
  });

  it('without onWriteError, write errors do not stop it (net-tools never checks)', async () => {
    const io = bufferIO({ failWrites: errnoError('ENOSPC', 28) });
    let n = 0;
    await ticker(io, { intervalMs: 1, count: 3 }, () => {
      io.out('x');
      n++;
      return 0;
    });
    expect(n).toBe(3);
  });

  it('an abort ends the pause at once and runs no further tick', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const done = ticker(bufferIO(), { intervalMs: 60_000, count: Infinity, signal: ac.signal }, (i) => {
      seen.push(i);
      return 0;
    });
    setTimeout(() => ac.abort(), 20);
    expect(await done).toBe(0);
    // The minute's pause did not run out (the test would time out first): the abort ended it.
    expect(seen).toEqual([0]);
  });
});
