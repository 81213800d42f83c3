/**
 * core/cpulist: util-linux's mask and list formats. Hand cases (each one
 * checked against taskset 2.38.1 when it was written), round trips, fuzzing,
 * a differential test against the real taskset on a child (which CPUs a
 * string selects, as far as this machine's CPUs can show it), and the
 * kernel's /sys mask layout.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatAffinityList,
  formatAffinityMask,
  MAX_CPUS,
  parseAffinityList,
  parseAffinityMask,
} from '../../../src/core/base/cpulist.js';
import { ParseError } from '../../../src/core/base/errors.js';
import { Process } from '../../../src/core/process/process.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describeCommand } from '../../helpers/oracle.js';

const range = (a: number, b: number, s = 1): number[] => {
  const out: number[] = [];
  for (let c = a; c <= b; c += s) out.push(c);
  return out;
};

describe('masks', () => {
  it('hex, with or without 0x, commas skipped; empty masks are the empty set', () => {
    expect(parseAffinityMask('3')).toEqual([0, 1]);
    expect(parseAffinityMask('0x3')).toEqual([0, 1]);
    expect(parseAffinityMask('03')).toEqual([0, 1]);
    expect(parseAffinityMask('ff')).toEqual(range(0, 7));
    expect(parseAffinityMask('FF')).toEqual(range(0, 7));
    expect(parseAffinityMask('55555555')).toEqual(range(0, 31, 2));
    expect(parseAffinityMask('ff,ffffffff')).toEqual(range(0, 39));
    expect(parseAffinityMask('1,00000000')).toEqual([32]);
    // commas may sit between any two digits: "1,1" is 0x11
    expect(parseAffinityMask('1,1')).toEqual([0, 4]);
    expect(parseAffinityMask('3,')).toEqual([0, 1]);
    expect(parseAffinityMask('')).toEqual([]);
    expect(parseAffinityMask('0')).toEqual([]);
    expect(parseAffinityMask('0x')).toEqual([]);
  });

  it('bad masks: ParseError (upper-case 0X, stray characters, leading or doubled commas)', () => {
    for (const bad of ['zz', '0X2', ',1', '1,,1', '0x,3', 'g', '1 ', ' 1', '-1', '0xx1', '1.0']) {
      expect(() => parseAffinityMask(bad), bad).toThrow(ParseError);
    }
  });

  it('bits at or above maxCpus are dropped, as beyond util-linux\'s cpu_set_t', () => {
    expect(parseAffinityMask('ff', { maxCpus: 4 })).toEqual([0, 1, 2, 3]);
    expect(parseAffinityMask('10', { maxCpus: 4 })).toEqual([]);
    expect(parseAffinityMask('1' + '0'.repeat(300000)).length).toBe(0);
    expect(() => parseAffinityMask('1', { maxCpus: 0 })).toThrow(RangeError);
  });

  it('formatting: lower-case hex without 0x or leading zeros ("0" for none); /sys groups', () => {
    expect(formatAffinityMask([0, 1])).toBe('3');
    expect(formatAffinityMask([])).toBe('0');
    expect(formatAffinityMask(range(0, 31, 2))).toBe('55555555');
    expect(formatAffinityMask([4, 5, 6, 7, 0])).toBe('f1');
    expect(formatAffinityMask([40])).toBe('10000000000');
    expect(formatAffinityMask([0, 40], { groups: true })).toBe('100,00000001');
    expect(formatAffinityMask([0, 40], { groups: true, nbits: 64 })).toBe('00000100,00000001');
    expect(formatAffinityMask(range(0, 71), { groups: true, nbits: 72 })).toBe('ff,ffffffff,ffffffff');
    expect(formatAffinityMask([0, 1], { groups: true, nbits: 2 })).toBe('3');
    expect(formatAffinityMask([], { groups: true })).toBe('0');
    expect(() => formatAffinityMask([-1])).toThrow(RangeError);
    expect(() => formatAffinityMask([1.5])).toThrow(RangeError);
  });

  it("the /sys layout is the kernel's: /proc/self/status Cpus_allowed", () => {
    const status = spawnSync('cat', ['/proc/self/status'], { encoding: 'utf8' }).stdout;
    const mask = /^Cpus_allowed:\s*(\S+)$/m.exec(status)![1]!;
    const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(status)![1]!;
    const possible = spawnSync('cat', ['/sys/devices/system/cpu/possible'], { encoding: 'utf8' }).stdout.trim();
    const nbits = Number(possible.split(/[-,]/).pop()) + 1;
    // cat inherits our affinity
    const cpus = new Process().cpuAffinity();
    expect(formatAffinityMask(cpus, { groups: true, nbits })).toBe(mask);
    expect(parseAffinityMask(mask)).toEqual(cpus);
    // the kernel's list writes pairs as ranges ("0-1"); util-linux's as "0,1": both read back
    expect(parseAffinityList(list)).toEqual(cpus);
  });
});

describe('lists', () => {
  it('CPUs, ranges, strides', () => {
    expect(parseAffinityList('0')).toEqual([0]);
    expect(parseAffinityList('0,1')).toEqual([0, 1]);
    expect(parseAffinityList('1,0,1')).toEqual([0, 1]);
    expect(parseAffinityList('0-3')).toEqual([0, 1, 2, 3]);
    expect(parseAffinityList('0,3,7-11')).toEqual([0, 3, 7, 8, 9, 10, 11]);
    expect(parseAffinityList('0-10:2')).toEqual([0, 2, 4, 6, 8, 10]);
    expect(parseAffinityList('1-10:3,0')).toEqual([0, 1, 4, 7, 10]);
    expect(parseAffinityList('5-5')).toEqual([5]);
    // taskset --help: "0-31:2 is equivalent to mask 0x55555555"
    expect(formatAffinityMask(parseAffinityList('0-31:2'))).toBe('55555555');
  });

  it("util-linux's leniencies: only the last number's end is checked; numbers wrap at 2^32", () => {
    expect(parseAffinityList('0x-1')).toEqual([0, 1]);
    expect(parseAffinityList('0junk,1')).toEqual([0, 1]);
    expect(parseAffinityList('0-3x:2')).toEqual([0, 2]);
    expect(parseAffinityList('4294967296')).toEqual([0]);
    expect(parseAffinityList('4294967297-4294967299')).toEqual([1, 2, 3]);
    expect(parseAffinityList('18446744073709551615')).toEqual([]);
  });

  it('bad lists: ParseError', () => {
    for (const bad of ['', 'zz', '0-1junk', '0-1:0', '1-0', '0,', ',0', '0,,1', '-1', '1-', '0-3:', '0:2', ' 0', '+1', '18446744073709551616', '0-18446744073709551616']) {
      expect(() => parseAffinityList(bad), bad).toThrow(ParseError);
    }
  });

  it('ranges stop at maxCpus (util-linux would loop through 2^32, or forever when the stride wraps)', () => {
    // A loop through 2^32 would run into the test's timeout; no clock is read here.
    expect(parseAffinityList('0-4294967295').length).toBe(MAX_CPUS);
    expect(parseAffinityList('0-4294967294:2', { maxCpus: 8 })).toEqual([0, 2, 4, 6]);
  });

  it('formatting as util-linux: singles, pairs as "a,b", runs of three or more as ranges', () => {
    expect(formatAffinityList([])).toBe('');
    expect(formatAffinityList([0])).toBe('0');
    expect(formatAffinityList([0, 1])).toBe('0,1');
    expect(formatAffinityList([0, 1, 2])).toBe('0-2');
    expect(formatAffinityList([3, 0, 1, 2, 5, 7, 8])).toBe('0-3,5,7,8');
    expect(formatAffinityList([0, 2, 4, 5, 6, 9, 10])).toBe('0,2,4-6,9,10');
    expect(() => formatAffinityList([MAX_CPUS])).toThrow(RangeError);
  });
});

describe('round trips and fuzzing', () => {
  const sets = fc.uniqueArray(fc.nat(300), { maxLength: 40 }).map((a) => a.sort((x, y) => x - y));
  it('parse(format(set)) is the set, for masks (both layouts) and lists', () => {
    fc.assert(
      fc.property(sets, (s) => {
        expect(parseAffinityMask(formatAffinityMask(s))).toEqual(s);
        expect(parseAffinityMask(formatAffinityMask(s, { groups: true }))).toEqual(s);
        expect(parseAffinityMask(`0x${formatAffinityMask(s, { groups: true, nbits: 320 })}`)).toEqual(s);
        if (s.length) expect(parseAffinityList(formatAffinityList(s))).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });

  it('fuzz: the parsers return a sorted set or throw ParseError', () => {
    const maskSeeds = ['3', '0x3', 'ff,ffffffff', '00000000,00000003', '55555555'];
    const listSeeds = ['0,1', '0-3', '0,3,7-11', '0-10:2', '0-31:2,40'];
    const checked = (f: (t: string) => number[]) => (t: string): number[] => {
      const r = f(t);
      for (let i = 1; i < r.length; i++) if (!(r[i]! > r[i - 1]!)) throw new Error('not sorted and unique');
      return r;
    };
    fuzzParser(checked((t) => parseAffinityMask(t)), maskSeeds);
    fuzzParser(checked((t) => parseAffinityList(t, { maxCpus: 4096 })), listSeeds);
  });
});

describeCommand('taskset', 'vs util-linux taskset on a child', () => {
  let child: ChildProcess;
  let online: number[];
  beforeAll(() => {
    child = spawn('sleep', ['600'], { stdio: 'ignore' });
    online = new Process().cpuAffinity();
  });
  afterAll(() => {
    child.kill('SIGKILL');
  });

  /** What the real taskset made of `text`: 'parse' (refused), 'EINVAL' (no usable CPU), or the CPUs it set. */
  function real(text: string, list: boolean): 'parse' | 'EINVAL' | number[] {
    const pid = child.pid!;
    new Process(pid).cpuAffinity(online);
    const r = spawnSync('taskset', [list ? '-pc' : '-p', '--', text, String(pid)], { encoding: 'utf8', env: { LC_ALL: 'C', PATH: process.env.PATH }, timeout: 10000 });
    if (r.stderr.startsWith('taskset: failed to parse CPU')) {
      expect(r.stdout).toBe('');
      return 'parse';
    }
    if (r.stderr === `taskset: failed to set pid ${pid}'s affinity: Invalid argument\n`) return 'EINVAL';
    expect(r.status, r.stderr).toBe(0);
    const m = /new affinity list: (.*)$/m.exec(r.stdout) ?? /new affinity mask: (.*)$/m.exec(r.stdout);
    return list ? parseAffinityList(m![1]!) : parseAffinityMask(m![1]!);
  }

  function ours(text: string, list: boolean): 'parse' | 'EINVAL' | number[] {
    let cpus: number[];
    try {
      cpus = list ? parseAffinityList(text) : parseAffinityMask(text);
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      return 'parse';
    }
    // the kernel keeps the CPUs it has
    const kept = cpus.filter((c) => online.includes(c));
    return kept.length ? kept : 'EINVAL';
  }

  it('the hand cases above, as the real taskset reads them', () => {
    for (const t of ['3', '0x3', '0X3', '1,1', '3,', ',1', '1,,1', '', '0x', 'zz', '2', 'ff,ffffffff']) expect(ours(t, false), t).toEqual(real(t, false));
    for (const t of ['0,1', '0x-1', '0junk,1', '0-1junk', '4294967296', '4294967297', '0-1:0', '1-0', '0,', '0-10:2', '1-9:2', '0-3x:2', '2', '']) {
      expect(ours(t, true), t).toEqual(real(t, true));
    }
  });

  // Short strings over the characters that matter; no long digit runs (the
  // real taskset walks a range one CPU at a time, up to 2^32).
  const alphabet = fc.constantFrom(...'0123456789abcdefABCDEFxX,-: '.split(''));
  const text = fc.array(alphabet, { maxLength: 10 }).map((a) => a.join('')).filter((s) => !/\d{7,}/.test(s));
  it('random masks: same verdict and same CPUs as the real taskset', () => {
    fc.assert(fc.property(text, (t) => { expect(ours(t, false), JSON.stringify(t)).toEqual(real(t, false)); }), { numRuns: 150 });
  });
  it('random lists: same verdict and same CPUs as the real taskset', () => {
    const listText = fc.oneof(text, fc.array(fc.constantFrom(...'0123,-:x'.split('')), { maxLength: 10 }).map((a) => a.join('')));
    fc.assert(fc.property(listText, (t) => { expect(ours(t, true), JSON.stringify(t)).toEqual(real(t, true)); }), { numRuns: 200 });
  });
});
