/**
 * psutil's cpu_percent() / cpu_times_percent() without an interval compare
 * with the previous call: that previous sample is state between two calls,
 * so it lives here, in a CpuSampler its caller owns. The module-level
 * functions are psutil's, on one default instance.
 */
import { sleepSync } from '../base/clock.js';
import type { CpuTimes } from '../procfs/stat.js';
import { cpuPercentFromTimes, cpuTimes, cpuTimesPercentFromTimes, type CpuPercentOptions } from '../system/cpu.js';

const ZERO_TIMES: CpuTimes = Object.freeze({ user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 });

function intervalMs(interval: number | null | undefined): number {
  if (interval === undefined || interval === null) return 0;
  if (typeof interval !== 'number' || Number.isNaN(interval) || interval < 0) {
    throw new RangeError(`interval is not positive (got ${String(interval)})`);
  }
  return interval * 1000;
}

function sleepAsync(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function pairwise<T>(a: CpuTimes[], b: CpuTimes[], f: (x: CpuTimes, y: CpuTimes) => T): T[] {
  // psutil zips the two lists: a CPU going offline between samples shortens the result.
  const n = Math.min(a.length, b.length);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(f(a[i]!, b[i]!));
  return out;
}

type Slot = 'percent' | 'times';

/**
 * Keeps the previous samples for non-blocking cpuPercent/cpuTimesPercent,
 * like psutil's module globals but per instance: each caller (a top-like
 * loop, an exporter) owns one and does not disturb the others. The percent
 * and times-percent samples, and the total and per-CPU ones, are separate.
 */
export class CpuSampler {
  #last: Record<Slot, CpuTimes | undefined> = { percent: undefined, times: undefined };
  #lastPer: Record<Slot, CpuTimes[] | undefined> = { percent: undefined, times: undefined };

  #first(percpu: boolean, ms: number): CpuTimes | CpuTimes[] | undefined {
    return ms > 0 ? cpuTimes({ percpu }) : undefined;
  }

  #finish<T>(slot: Slot, percpu: boolean, t1: CpuTimes | CpuTimes[] | undefined, f: (a: CpuTimes, b: CpuTimes) => T, zero: T): T | T[] {
    if (percpu) {
      const prev = (t1 as CpuTimes[] | undefined) ?? this.#lastPer[slot];
      const now = cpuTimes({ percpu: true });
      this.#lastPer[slot] = now;
      return prev ? pairwise(prev, now, f) : now.map(() => zero);
    }
    const prev = (t1 as CpuTimes | undefined) ?? this.#last[slot];
    const now = cpuTimes();
    this.#last[slot] = now;
    return prev ? f(prev, now) : zero;
  }

  #run<T>(slot: Slot, opts: CpuPercentOptions, f: (a: CpuTimes, b: CpuTimes) => T, zero: T): T | T[] {
    const ms = intervalMs(opts.interval);
    const percpu = !!opts.percpu;
    const t1 = this.#first(percpu, ms);
    if (ms > 0) sleepSync(ms / 1000);
    return this.#finish(slot, percpu, t1, f, zero);
  }

  async #runAsync<T>(slot: Slot, opts: CpuPercentOptions, f: (a: CpuTimes, b: CpuTimes) => T, zero: T): Promise<T | T[]> {
    const ms = intervalMs(opts.interval);
    const percpu = !!opts.percpu;
    const t1 = this.#first(percpu, ms);
    if (ms > 0) await sleepAsync(ms);
    return this.#finish(slot, percpu, t1, f, zero);
  }

  /** psutil.cpu_percent(): busy percent system-wide (0-100), or per CPU. */
  percent(opts: CpuPercentOptions & { percpu: true }): number[];
  percent(opts?: CpuPercentOptions & { percpu?: false }): number;
  percent(opts?: CpuPercentOptions): number | number[];
  percent(opts: CpuPercentOptions = {}): number | number[] {
    return this.#run('percent', opts, cpuPercentFromTimes, 0);
  }

  /** psutil.cpu_times_percent(): the percent of time spent in each mode. */
  timesPercent(opts: CpuPercentOptions & { percpu: true }): CpuTimes[];
  timesPercent(opts?: CpuPercentOptions & { percpu?: false }): CpuTimes;
  timesPercent(opts?: CpuPercentOptions): CpuTimes | CpuTimes[];
  timesPercent(opts: CpuPercentOptions = {}): CpuTimes | CpuTimes[] {
    return this.#run('times', opts, cpuTimesPercentFromTimes, ZERO_TIMES);
  }

  /** percent() that waits with a timer instead of blocking the thread. */
  percentAsync(opts: CpuPercentOptions & { percpu: true }): Promise<number[]>;
  percentAsync(opts?: CpuPercentOptions & { percpu?: false }): Promise<number>;
  percentAsync(opts?: CpuPercentOptions): Promise<number | number[]>;
  percentAsync(opts: CpuPercentOptions = {}): Promise<number | number[]> {
    return this.#runAsync('percent', opts, cpuPercentFromTimes, 0);
  }

  /** timesPercent() that waits with a timer instead of blocking the thread. */
  timesPercentAsync(opts: CpuPercentOptions & { percpu: true }): Promise<CpuTimes[]>;
  timesPercentAsync(opts?: CpuPercentOptions & { percpu?: false }): Promise<CpuTimes>;
  timesPercentAsync(opts?: CpuPercentOptions): Promise<CpuTimes | CpuTimes[]>;
  timesPercentAsync(opts: CpuPercentOptions = {}): Promise<CpuTimes | CpuTimes[]> {
    return this.#runAsync('times', opts, cpuTimesPercentFromTimes, ZERO_TIMES);
  }
}

/** The sampler behind the module-level functions (psutil's module globals). */
const defaultSampler = new CpuSampler();

/**
 * psutil.cpu_percent(). With `interval` > 0, blocks the thread that long
 * (use cpuPercentAsync or ptools/promises in servers); otherwise compares
 * with the previous module-level call, the first returning 0.
 */
export function cpuPercent(opts: CpuPercentOptions & { percpu: true }): number[];
export function cpuPercent(opts?: CpuPercentOptions & { percpu?: false }): number;
export function cpuPercent(opts?: CpuPercentOptions): number | number[];
export function cpuPercent(opts: CpuPercentOptions = {}): number | number[] {
  return defaultSampler.percent(opts);
}

/** psutil.cpu_times_percent(); same `interval` rules as cpuPercent. */
export function cpuTimesPercent(opts: CpuPercentOptions & { percpu: true }): CpuTimes[];
export function cpuTimesPercent(opts?: CpuPercentOptions & { percpu?: false }): CpuTimes;
export function cpuTimesPercent(opts?: CpuPercentOptions): CpuTimes | CpuTimes[];
export function cpuTimesPercent(opts: CpuPercentOptions = {}): CpuTimes | CpuTimes[] {
  return defaultSampler.timesPercent(opts);
}

/** cpuPercent() that waits with a timer instead of blocking (shares cpuPercent's previous sample). */
export function cpuPercentAsync(opts: CpuPercentOptions & { percpu: true }): Promise<number[]>;
export function cpuPercentAsync(opts?: CpuPercentOptions & { percpu?: false }): Promise<number>;
export function cpuPercentAsync(opts?: CpuPercentOptions): Promise<number | number[]>;
export function cpuPercentAsync(opts: CpuPercentOptions = {}): Promise<number | number[]> {
  return defaultSampler.percentAsync(opts);
}

/** cpuTimesPercent() that waits with a timer instead of blocking (shares its previous sample). */
export function cpuTimesPercentAsync(opts: CpuPercentOptions & { percpu: true }): Promise<CpuTimes[]>;
export function cpuTimesPercentAsync(opts?: CpuPercentOptions & { percpu?: false }): Promise<CpuTimes>;
export function cpuTimesPercentAsync(opts?: CpuPercentOptions): Promise<CpuTimes | CpuTimes[]>;
export function cpuTimesPercentAsync(opts: CpuPercentOptions = {}): Promise<CpuTimes | CpuTimes[]> {
  return defaultSampler.timesPercentAsync(opts);
}

