/** core/procfs/uptime: /proc/uptime's one parser (fixtures under test/fixtures/uptime), edge cases, fuzzing. */
import { fixturePath } from '../../helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import { parseUptime } from '../../../src/core/procfs/uptime.js';
import { fuzzParser } from '../../helpers/fuzz.js';

const FIX = fixturePath('uptime');
const text = (name: string): string => readFileSync(join(FIX, name), 'utf8');

describe('parseUptime', () => {
  it('reads /proc/uptime captured on this machine', () => {
    expect(parseUptime(text('machine/uptime'))).toEqual({ uptime: 1770.41, idle: 2516.42 });
  });
  it('tolerates odd spacing, tabs and extra fields', () => {
    expect(parseUptime(text('edge-spacing'))).toEqual({ uptime: 3600.5, idle: 7200.99 });
    expect(parseUptime('5 6')).toEqual({ uptime: 5, idle: 6 });
    expect(parseUptime(text('long/uptime')).uptime).toBe(345678901.23);
  });
  it('throws ParseError on fewer than two numbers or on junk (procps rejects them too)', () => {
    expect(() => parseUptime(text('bad-one-number'))).toThrow(ParseError);
    expect(() => parseUptime('')).toThrow(ParseError);
    expect(() => parseUptime('x y')).toThrow(ParseError);
    expect(() => parseUptime('-1 2')).toThrow(ParseError);
    expect(() => parseUptime('1e5 2')).toThrow(ParseError);
  });
  it('survives fuzzing', () => {
    fuzzParser(parseUptime, [text('machine/uptime'), text('edge-spacing'), text('long/uptime')]);
  });
});
