/** core/procfs/meminfo: /proc/meminfo's one parser (fixtures under test/fixtures/memory), hand-made edge cases, fuzzing. */
import { fixturePath } from '../../helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import { parseMeminfo } from '../../../src/core/procfs/meminfo.js';
import { fuzzParser } from '../../helpers/fuzz.js';

const FIX = fixturePath('memory');
const fx = (...p: string[]): string => readFileSync(join(FIX, ...p), 'utf8');
const KiB = 1024;

describe('parseMeminfo', () => {
  it('reads the meminfo captured on this machine, kB as bytes', () => {
    const m = parseMeminfo(fx('machine', 'meminfo'));
    expect(m['MemTotal']).toBe(24684096 * KiB);
    expect(m['Active(file)']).toBe(Number(/Active\(file\):\s+(\d+)/.exec(fx('machine', 'meminfo'))![1]) * KiB);
    expect(m['VmallocTotal']).toBe(34359738367 * KiB);
    expect(Object.keys(m)).toHaveLength(fx('machine', 'meminfo').trim().split('\n').length);
  });

  it('keeps unit-less lines (HugePages_*) as page counts, not × 1024', () => {
    const m = parseMeminfo('HugePages_Total:     512\nHugepagesize:       2048 kB\n');
    expect(m['HugePages_Total']).toBe(512);
    expect(m['Hugepagesize']).toBe(2048 * KiB);
  });

  it('accepts no space after the colon, tabs, trailing spaces', () => {
    const odd = parseMeminfo(fx('odd-spacing', 'meminfo'));
    expect(odd).toEqual(parseMeminfo(fx('machine', 'meminfo')));
    expect(parseMeminfo('MemTotal:12345 kB\nMemFree:\t 7 kB  \n')).toEqual({ MemTotal: 12345 * KiB, MemFree: 7 * KiB });
  });

  it('has no prototype keys (a "constructor" line is data)', () => {
    const m = parseMeminfo('MemTotal: 1 kB\n');
    expect(m['constructor']).toBeUndefined();
    expect(parseMeminfo('constructor: 5 kB\n')['constructor']).toBe(5 * KiB);
  });

  it('throws ParseError on junk', () => {
    expect(() => parseMeminfo('MemTotal: lots kB\n')).toThrow(ParseError);
    expect(() => parseMeminfo('MemTotal 123 kB\n')).toThrow(ParseError);
    expect(() => parseMeminfo('MemTotal: 123 GB\n')).toThrow(ParseError);
    expect(parseMeminfo('')).toEqual({});
  });
});

describe('fuzz', () => {
  const meminfos = ['machine', 'old-kernel-3.10', 'odd-spacing', 'kernel-2.4-rmap', 'swap'].map((t) => fx(t, 'meminfo'));
  it('parseMeminfo', () => fuzzParser(parseMeminfo, meminfos));
});
