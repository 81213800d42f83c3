/**
 * core/procfs/stat: /proc/stat's one parser (fixtures under test/fixtures/cpu
 * and test/fixtures/system), the btime-only reader boot time uses, fuzzing.
 */
import { fixturePath } from '../../helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import { clockTicks } from '../../../src/core/base/sysconf.js';
import { CPU_TIME_FIELDS as FIELDS, parseBtime, parseProcStat, type CpuTimes } from '../../../src/core/procfs/stat.js';
import { fuzzParser } from '../../helpers/fuzz.js';

const fx = (...p: string[]): string => readFileSync(join(fixturePath('cpu'), ...p), 'utf8');
const fixture = (name: string): string => readFileSync(join(fixturePath('system'), name), 'utf8');
const STAT_FILES = ['fields4-linux-2.4.txt', 'fields7-linux-2.6.0.txt', 'fields8-linux-2.6.11.txt', 'fields10-extra-spaces.txt', 'fields12-future-kernel.txt', 'cpu1-offline.txt'];

function times(v: Partial<Record<(typeof FIELDS)[number], number>>): CpuTimes {
  const t: Record<string, number> = {};
  for (const f of FIELDS) t[f] = v[f] ?? 0;
  return t as unknown as CpuTimes;
}

describe('parseProcStat', () => {
  it('reads the /proc/stat captured on this machine', () => {
    const st = parseProcStat(fx('machine', 'stat'), 100);
    // cpu  2670 0 1552 98744 166 0 29 13 0 0
    expect(st.total).toEqual(times({ user: 26.7, system: 15.52, idle: 987.44, iowait: 1.66, softirq: 0.29, steal: 0.13 }));
    expect(st.perCpu).toHaveLength(2);
    expect(st.perCpu[1]).toEqual(times({ user: 18.45, system: 9.51, idle: 485.96, iowait: 1.56, softirq: 0.2, steal: 0.08 }));
    expect(st.ctxt).toBe(287467);
    expect(st.intr).toBe(133751);
    expect(st.softirq).toBe(70549);
    expect(st.btime).toBe(1795439535);
    expect(st.processes).toBe(5542);
    expect(st.procsRunning).toBe(1);
    expect(st.procsBlocked).toBe(0);
  });

  it('converts with the given clock ticks (default: sysconf)', () => {
    expect(parseProcStat('cpu 250 0 0 0\n', 250).total.user).toBe(1);
    expect(parseProcStat('cpu 100 0 0 0\n').total.user).toBe(100 / clockTicks());
  });

  it('Linux 2.4 (4 columns): the later fields are 0', () => {
    const st = parseProcStat(fx('stat', 'fields4-linux-2.4.txt'), 100);
    expect(st.total).toEqual(times({ user: 10, nice: 0.2, system: 3, idle: 400 }));
    expect(st.perCpu).toHaveLength(2);
    expect(st.softirq).toBeUndefined();
    expect(st.btime).toBe(1000000000);
  });

  it('2.6.0 (7 columns) and 2.6.11 (8 columns)', () => {
    expect(parseProcStat(fx('stat', 'fields7-linux-2.6.0.txt'), 100).total).toEqual(
      times({ user: 10, nice: 0.2, system: 3, idle: 400, iowait: 0.5, irq: 0.06, softirq: 0.07 }),
    );
    const st8 = parseProcStat(fx('stat', 'fields8-linux-2.6.11.txt'), 100);
    expect(st8.total.steal).toBe(0.08);
    expect(st8.total.guest).toBe(0);
    expect(st8.procsRunning).toBe(2);
    expect(st8.procsBlocked).toBe(1);
  });

  it('leading blanks on a line are tolerated', () => {
    expect(parseProcStat('  cpu 1 2 3 4\n  cpu0 1 2 3 4\n', 100).perCpu).toHaveLength(1);
  });

  it('10 columns with extra spaces and tabs', () => {
    const st = parseProcStat(fx('stat', 'fields10-extra-spaces.txt'), 100);
    expect(st.total).toEqual(times({ user: 10, nice: 0.2, system: 3, idle: 400, iowait: 0.5, irq: 0.06, softirq: 0.07, steal: 0.08, guest: 0.9, guestNice: 0.1 }));
    expect(st.perCpu).toHaveLength(2);
    expect(st.perCpu[0]!.guest).toBe(0.45);
    expect(st.ctxt).toBe(67890);
    expect(st.softirq).toBe(4321);
  });

  it('a future kernel with more columns and unknown lines: extra columns ignored', () => {
    const st = parseProcStat(fx('stat', 'fields12-future-kernel.txt'), 100);
    expect(st.total.guestNice).toBe(0.1);
    expect(st.perCpu).toHaveLength(1);
  });

  it('an offline CPU has no line: perCpu lists the online ones in file order', () => {
    expect(parseProcStat(fx('stat', 'cpu1-offline.txt'), 100).perCpu).toHaveLength(2);
  });

  it('throws ParseError on junk', () => {
    expect(() => parseProcStat('', 100)).toThrow(ParseError);
    expect(() => parseProcStat('intr 1\nctxt 2\n', 100)).toThrow(ParseError);
    expect(() => parseProcStat('cpu 1 2 3\n', 100)).toThrow(ParseError);
    expect(() => parseProcStat('cpu 1 2 x 4\n', 100)).toThrow(ParseError);
    expect(() => parseProcStat('cpu 1 2 3 4\nctxt many\n', 100)).toThrow(ParseError);
    expect(() => parseProcStat('cpu 1 2 3 4\ncpu0 1 -2 3 4\n', 100)).toThrow(ParseError);
  });
});

describe('parseBtime', () => {
  it('reads btime from /proc/stat captured on this machine', () => {
    expect(parseBtime(fixture('proc-stat'))).toBe(1795439535);
  });
  it('tolerates odd spacing and a missing trailing newline', () => {
    expect(parseBtime('cpu 1 2 3\nbtime   1700000000  ')).toBe(1700000000);
    expect(parseBtime('btime\t42')).toBe(42);
  });
  it('throws ParseError when btime is missing or malformed', () => {
    expect(() => parseBtime('cpu 1 2 3\nctxt 5\n')).toThrow(ParseError);
    expect(() => parseBtime('')).toThrow(ParseError);
    expect(() => parseBtime('btime\n')).toThrow(ParseError);
    expect(() => parseBtime('btime x\n')).toThrow(ParseError);
    expect(() => parseBtime('btime -5\n')).toThrow(ParseError);
  });
  it('survives fuzzing', () => {
    fuzzParser(parseBtime, [fixture('proc-stat')]);
  });
});

describe('fuzz', () => {
  const stats = [fx('machine', 'stat'), ...STAT_FILES.map((f) => fx('stat', f))];
  it('parseProcStat', () => fuzzParser((t) => parseProcStat(t, 100), stats));
});
