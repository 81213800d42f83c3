/**
 * psutil's `nowrap`: kernel counters may wrap (32-bit fields on some
 * kernels and drivers) or otherwise go back to a smaller value. For each
 * function name we remember the last raw counters per key (disk, NIC) and an
 * offset per (key, field); when a field is smaller than last time, the old
 * raw value is added to its offset, so the numbers returned never decrease.
 *
 * Same rule as psutil's `_WrapNumbers`: the amount added is the previous raw
 * value (not the counter's width, which is unknown), a key seen for the first
 * time is returned as is, and a key that disappears loses its offsets.
 */

interface Cache {
  /** Last raw values per key. */
  last: Map<string, readonly number[]>;
  /** Accumulated offsets per key, one per field index. */
  offsets: Map<string, number[]>;
}

/**
 * One history of wrapped counters, per function name. psutil keeps one for
 * the whole module; here the module-level functions share `defaultNowrap`
 * and a caller that samples on its own (a Sampler, an exporter) owns another,
 * so two loops in one process never adjust each other's numbers.
 */
export class Nowrap {
  readonly #caches = new Map<string, Cache>();

  /**
   * Returns `input` with wrapped counters adjusted, and remembers `input` as
   * the latest raw sample for `name`. The input object is not modified.
   */
  apply(input: Readonly<Record<string, readonly number[]>>, name: string): Record<string, number[]> {
    const cache = this.#caches.get(name);
    const out: Record<string, number[]> = {};
    if (cache === undefined) {
      const last = new Map<string, readonly number[]>();
      for (const [key, values] of Object.entries(input)) {
        last.set(key, values.slice());
        out[key] = values.slice();
      }
      this.#caches.set(name, { last, offsets: new Map() });
      return out;
    }
    // A key that is gone takes its offsets with it (a disk or NIC removed).
    for (const key of cache.offsets.keys()) {
      if (!Object.prototype.hasOwnProperty.call(input, key)) cache.offsets.delete(key);
    }
    const last = new Map<string, readonly number[]>();
    for (const [key, values] of Object.entries(input)) {
      last.set(key, values.slice());
      const old = cache.last.get(key);
      if (old === undefined) {
        out[key] = values.slice();
        continue;
      }
      let offsets = cache.offsets.get(key);
      const adjusted = values.map((v, i) => {
        const prev = old[i];
        if (prev !== undefined && v < prev) {
          if (offsets === undefined) {
            offsets = [];
            cache.offsets.set(key, offsets);
          }
          offsets[i] = (offsets[i] ?? 0) + prev;
        }
        return v + (offsets?.[i] ?? 0);
      });
      out[key] = adjusted;
    }
    cache.last = last;
    return out;
  }

  /** Forgets the remembered counters of `name`, or of every name. */
  reset(name?: string): void {
    if (name === undefined) this.#caches.clear();
    else this.#caches.delete(name);
  }
}

/** The history behind the module-level diskIoCounters()/netIoCounters() (psutil's module global). */
export const defaultNowrap = new Nowrap();

/** psutil's wrap_numbers() on the module-level history. */
export function wrapNumbers(input: Readonly<Record<string, readonly number[]>>, name: string): Record<string, number[]> {
  return defaultNowrap.apply(input, name);
}

/** Forgets the remembered counters of `name` ('diskIoCounters', 'netIoCounters'), or of every function. */
export function resetNowrapCache(name?: string): void {
  defaultNowrap.reset(name);
}
