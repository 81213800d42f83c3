/**
 * Fuzzing parsers: random strings, random bytes decoded as text, and
 * mutations of real fixtures (lines dropped, duplicated, fields cut, bytes
 * flipped). A parser must return a value or throw ptools' own PtoolsError —
 * never a TypeError/RangeError, never hang.
 */
import fc from 'fast-check';
import { PtoolsError } from '../../src/core/base/errors.js';

/** mulberry32: a small deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzOptions {
  numRuns?: number;
}

function mutations(seed: string): fc.Arbitrary<string> {
  const lines = seed.split('\n');
  return fc.oneof(
    // drop a line range
    fc.tuple(fc.nat(lines.length), fc.nat(lines.length)).map(([a, b]) => lines.slice(0, Math.min(a, b)).concat(lines.slice(Math.max(a, b))).join('\n')),
    // duplicate a line
    fc.nat(Math.max(0, lines.length - 1)).map((i) => lines.slice(0, i + 1).concat(lines.slice(i)).join('\n')),
    // truncate anywhere
    fc.nat(seed.length).map((n) => seed.slice(0, n)),
    // replace a character with a random one
    fc.tuple(fc.nat(Math.max(0, seed.length - 1)), fc.string({ minLength: 1, maxLength: 3 })).map(([i, s]) => seed.slice(0, i) + s + seed.slice(i + 1)),
    // cut a field out of a line
    fc.tuple(fc.nat(Math.max(0, lines.length - 1)), fc.nat(20)).map(([i, f]) => {
      const copy = lines.slice();
      const fields = (copy[i] ?? '').split(/(\s+)/);
      fields.splice(f % Math.max(1, fields.length), 1);
      copy[i] = fields.join('');
      return copy.join('\n');
    }),
    // insert random text on a line
    fc.tuple(fc.nat(Math.max(0, lines.length - 1)), fc.string({ maxLength: 40 })).map(([i, s]) => {
      const copy = lines.slice();
      copy.splice(i, 0, s);
      return copy.join('\n');
    }),
    // large or negative numbers in place of digits
    fc.constantFrom('99999999999999999999999', '-1', 'nan', '', ' ', '\0').map((s) => seed.replace(/\d+/, s)),
  );
}

/**
 * Asserts `parse` returns or throws PtoolsError for random and mutated input.
 * `seeds` are real fixture texts.
 */
export function fuzzParser<T>(parse: (text: string) => T, seeds: string[], opts: FuzzOptions = {}): void {
  const arb = fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('utf8')),
    ...seeds.map((s) => mutations(s)),
    ...seeds.map((s) => mutations(s).chain((m) => mutations(m))),
  );
  fc.assert(
    fc.property(arb, (text) => {
      try {
        parse(text);
      } catch (e) {
        if (!(e instanceof PtoolsError)) {
          throw new Error(`parser threw ${(e as Error)?.name}: ${(e as Error)?.message} on input ${JSON.stringify(text.slice(0, 200))}`);
        }
      }
    }),
    { numRuns: opts.numRuns ?? 400 },
  );
}
