import { fixturePath } from '../../helpers/fixtures.js';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  countLogicalCpus,
  cpuCount,
  cpuFreq,
  cpuPercentFromTimes,
  cpuStats,
  cpuTimes,
  cpuTimesPercentFromTimes,
  getloadavg,
  parseCpuinfo,
  parseLoadavg,
  parseProcStat,
  type CpuTimes,
} from '../../../src/core/system/cpu.js';
import { CpuSampler, cpuPercent, cpuPercentAsync, cpuTimesPercent, cpuTimesPercentAsync } from '../../../src/core/sample/cpu.js';
import { ParseError } from '../../../src/core/base/errors.js';
import { getProcfsPath, getSysfsPath, setProcfsPath, setSysfsPath } from '../../../src/core/base/paths.js';
import { clockTicks } from '../../../src/core/base/sysconf.js';
import { fuzzParser, rng } from '../../helpers/fuzz.js';
import { PYTHON, describeCommand, describePsutil, psutil, sh } from '../../helpers/oracle.js';

const FIX = fixturePath('cpu');
const fx = (...p: string[]): string => readFileSync(join(FIX, ...p), 'utf8');
const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guestNice'] as const;
const STAT_FILES = ['fields4-linux-2.4.txt', 'fields7-linux-2.6.0.txt', 'fields8-linux-2.6.11.txt', 'fields10-extra-spaces.txt', 'fields12-future-kernel.txt', 'cpu1-offline.txt'];

const realProcfs = getProcfsPath();
const realSysfs = getSysfsPath();
afterEach(() => {
  setProcfsPath(realProcfs);
  setSysfsPath(realSysfs);
});

/** Runs fn with the procfs/sysfs roots pointed at fixture trees (names under fixtures/cpu, or absolute). */
function withRoots<T>(roots: { proc?: string; sys?: string }, fn: () => T): T {
  const abs = (p: string): string => (p.startsWith('/') ? p : join(FIX, p));
  if (roots.proc) setProcfsPath(abs(roots.proc));
  if (roots.sys) setSysfsPath(abs(roots.sys));
  try {
    return fn();
  } finally {
    setProcfsPath(realProcfs);
    setSysfsPath(realSysfs);
  }
}

function times(v: Partial<Record<(typeof FIELDS)[number], number>>): CpuTimes {
  const t: Record<string, number> = {};
  for (const f of FIELDS) t[f] = v[f] ?? 0;
  return t as unknown as CpuTimes;
}

// ------------------------------------------------------------------ parsers

describe('parseLoadavg', () => {
  it('reads the captured file', () => {
    const text = fx('machine', 'loadavg');
    const f = text.trim().split(/\s+/);
    const l = parseLoadavg(text);
    expect([l.load1, l.load5, l.load15]).toEqual([Number(f[0]), Number(f[1]), Number(f[2])]);
    expect(`${l.running}/${l.total}`).toBe(f[3]);
    expect(l.lastPid).toBe(Number(f[4]));
  });
  it('accepts only the three averages', () => {
    expect(parseLoadavg('12.50 3.00 0.01\n')).toEqual({ load1: 12.5, load5: 3, load15: 0.01, running: undefined, total: undefined, lastPid: undefined });
  });
  it('throws ParseError on junk', () => {
    expect(() => parseLoadavg('')).toThrow(ParseError);
    expect(() => parseLoadavg('0.1 0.2\n')).toThrow(ParseError);
    expect(() => parseLoadavg('0.1 abc 0.3 1/2 3\n')).toThrow(ParseError);
    expect(() => parseLoadavg('-1 0.2 0.3\n')).toThrow(ParseError);
  });
});

describe('parseCpuinfo', () => {
  it('this machine: one record per processor', () => {
    const r = parseCpuinfo(fx('machine', 'cpuinfo'));
    expect(r.map((x) => x['processor'])).toEqual(['0', '1']);
    expect(r[0]!['vendor_id']).toBe('AuthenticAMD');
    expect(r[0]!['power management']).toBe('');
  });
  it('2 sockets × 2 cores × 2 threads: 8 records with physical/core ids', () => {
    const r = parseCpuinfo(fx('proc-2socket-ht', 'cpuinfo'));
    expect(r).toHaveLength(8);
    expect(new Set(r.map((x) => `${x['physical id']}/${x['core id']}`)).size).toBe(4);
    expect(r[2]!['cpu MHz']).toBe('3100.500');
  });
  it('powerpc: a trailing machine-wide block', () => {
    const r = parseCpuinfo(fx('proc-ppc64le', 'cpuinfo'));
    expect(r).toHaveLength(3);
    expect(r[2]!['platform']).toBe('pSeries');
    expect(r[0]!['clock']).toBe('2900.000000MHz');
  });
  it('skips lines without a colon; empty text is no records', () => {
    expect(parseCpuinfo('processor : 0\njunk\n')).toEqual([{ processor: '0' }]);
    expect(parseCpuinfo('')).toEqual([]);
  });
});

describe('countLogicalCpus (fallbacks when sysconf cannot tell)', () => {
  it('counts cpuinfo "processor" lines, then /proc/stat cpuN lines', () => {
    expect(countLogicalCpus(fx('proc-2socket-ht', 'cpuinfo'), undefined)).toBe(8);
    expect(countLogicalCpus('', fx('stat', 'fields10-extra-spaces.txt'))).toBe(2);
    expect(countLogicalCpus(undefined, fx('machine', 'stat'))).toBe(2);
    expect(countLogicalCpus(undefined, undefined)).toBeNull();
  });
});

describe('fuzz', () => {
  it('parseLoadavg', () => fuzzParser(parseLoadavg, [fx('machine', 'loadavg')]));
  it('parseCpuinfo', () => fuzzParser(parseCpuinfo, ['machine', 'proc-2socket-ht', 'proc-ppc64le', 'proc-arm64'].map((d) => fx(d, 'cpuinfo'))));
});

// ---------------------------------------------------------- percent math

describe('cpuPercentFromTimes / cpuTimesPercentFromTimes', () => {
  const t0 = times({});
  it('busy = total - idle - iowait', () => {
    expect(cpuPercentFromTimes(t0, times({ user: 1, idle: 3 }))).toBe(25);
    expect(cpuPercentFromTimes(t0, times({ user: 1, iowait: 1, idle: 2 }))).toBe(25);
    expect(cpuPercentFromTimes(t0, times({ system: 1, irq: 1, softirq: 1, steal: 1 }))).toBe(100);
  });
  it('guest and guestNice are inside user and nice: not counted twice', () => {
    // user 2 (of which guest 1) + idle 2: total 4, busy 2 → 50% (60% if guest were added).
    expect(cpuPercentFromTimes(t0, times({ user: 2, guest: 1, idle: 2 }))).toBe(50);
    expect(cpuPercentFromTimes(t0, times({ nice: 1, guestNice: 1, idle: 3 }))).toBe(25);
    const tp = cpuTimesPercentFromTimes(t0, times({ user: 2, guest: 1, idle: 2 }));
    expect(tp.user).toBe(50);
    expect(tp.guest).toBe(25);
    expect(tp.idle).toBe(50);
  });
  it('counters going backwards count as 0', () => {
    const a = times({ user: 10, idle: 10, iowait: 5, steal: 3 });
    const b = times({ user: 11, idle: 13, iowait: 2, steal: 1 }); // iowait and steal went back
    expect(cpuPercentFromTimes(a, b)).toBe(25);
    const tp = cpuTimesPercentFromTimes(a, b);
    expect(tp.iowait).toBe(0);
    expect(tp.steal).toBe(0);
    expect(tp.user + tp.idle).toBe(100);
  });
  it('no elapsed time: 0 (psutil returns 0.0), all zeros for timesPercent', () => {
    const a = times({ user: 5, idle: 5 });
    expect(cpuPercentFromTimes(a, a)).toBe(0);
    expect(cpuTimesPercentFromTimes(a, a)).toEqual(t0);
    expect(cpuPercentFromTimes(a, t0)).toBe(0); // everything went backwards
  });
  it('rounds like Python: busy 1 s of 400 s is exactly 0.25 → 0.2 (ties to even; toFixed would say 0.3)', () => {
    expect(cpuPercentFromTimes(t0, times({ user: 1, idle: 399 }))).toBe(0.2);
    expect(cpuPercentFromTimes(t0, times({ user: 3, idle: 397 }))).toBe(0.8); // 0.75 → 0.8 (8 is even)
    expect(cpuPercentFromTimes(t0, times({ user: 1, idle: 2 }))).toBe(33.3);
  });
  it('timesPercent sums to ~100 even when less than one CPU-second elapsed (psutil issue 1586)', () => {
    // 0.2 s on 2 CPUs: psutil's max(1, total) would report idle 38.0 here.
    const tp = cpuTimesPercentFromTimes(t0, times({ user: 0.02, idle: 0.38 }));
    expect(tp.user).toBe(5);
    expect(tp.idle).toBe(95);
  });
});


/** Random pairs of /proc/stat texts (2 CPUs): small and large intervals, idle and busy, backward iowait/steal/idle, no change. */
function randomStatPairs(n: number, seed: number): [string, string][] {
  const r = rng(seed);
  const int = (k: number): number => Math.floor(r() * k);
  const pairs: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const scale = [0, 3, 30, 300, 3000][int(5)]!;
    const cpus1: number[][] = [];
    const cpus2: number[][] = [];
    for (let c = 0; c < 2; c++) {
      const a = FIELDS.map(() => 1000 + int(1e6));
      const d = FIELDS.map(() => int(scale + 1));
      d[8] = Math.min(d[8]!, d[0]!); // guest <= user
      d[9] = Math.min(d[9]!, d[1]!); // guest_nice <= nice
      for (const k of [3, 4, 7]) if (r() < 0.1) d[k] = -int(50); // idle, iowait, steal backwards
      cpus1.push(a);
      cpus2.push(a.map((x, k) => x + d[k]!));
    }
    const text = (cpus: number[][]): string =>
      `cpu  ${FIELDS.map((_, k) => cpus[0]![k]! + cpus[1]![k]!).join(' ')}\n` + cpus.map((v, c) => `cpu${c} ${v.join(' ')}\n`).join('') + 'ctxt 1\n';
    pairs.push([text(cpus1), text(cpus2)]);
  }
  return pairs;
}

describePsutil('percent math vs psutil on the same /proc/stat samples (PROCFS_PATH)', () => {
  it('cpu_percent and cpu_times_percent (total and percpu) are identical', () => {
    const pairs = randomStatPairs(300, 42);
    pairs.push([fx('machine', 'stat'), fx('machine', 'stat')]);
    const script = `
import json, os, sys, tempfile, warnings
import psutil
warnings.simplefilter('ignore')
pairs = json.load(sys.stdin)
d = tempfile.mkdtemp()
psutil.PROCFS_PATH = d
def put(t):
    with open(os.path.join(d, 'stat'), 'w') as f:
        f.write(t)
out = []
for a, b in pairs:
    put(a)
    psutil.cpu_percent(); psutil.cpu_percent(percpu=True); psutil.cpu_times_percent(); psutil.cpu_times_percent(percpu=True)
    put(b)
    out.append([psutil.cpu_percent(), psutil.cpu_percent(percpu=True),
                list(psutil.cpu_times_percent()), [list(x) for x in psutil.cpu_times_percent(percpu=True)]])
print(json.dumps(out))
`;
    const py = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' })) as [number, number[], number[], number[][]][];
    const ticks = clockTicks();
    let comparedTimes = 0;
    pairs.forEach(([a, b], i) => {
      const s1 = parseProcStat(a, ticks);
      const s2 = parseProcStat(b, ticks);
      const [pTotal, pPer, pTimes, pTimesPer] = py[i]!;
      expect(cpuPercentFromTimes(s1.total, s2.total), `pair ${i}`).toBe(pTotal);
      expect(s1.perCpu.map((t, k) => cpuPercentFromTimes(t, s2.perCpu[k]!))).toEqual(pPer);
      // psutil divides by max(1, total): equal when at least one CPU-second elapsed.
      const check = (t1: CpuTimes, t2: CpuTimes, expected: number[]): void => {
        let all = 0;
        for (const f of FIELDS) all += Math.max(0, t2[f] - t1[f]);
        all -= Math.max(0, t2.guest - t1.guest) + Math.max(0, t2.guestNice - t1.guestNice);
        const ours = cpuTimesPercentFromTimes(t1, t2);
        if (all >= 1) {
          expect(FIELDS.map((f) => ours[f]), `pair ${i}`).toEqual(expected);
          comparedTimes++;
        } else if (all > 0) {
          // psutil's shrink: each of its numbers is ≈ ours × total.
          FIELDS.forEach((f, k) => expect(Math.abs(ours[f] * all - expected[k]!)).toBeLessThanOrEqual(0.1));
        } else {
          expect(expected.every((x) => x === 0)).toBe(true);
          expect(FIELDS.every((f) => ours[f] === 0)).toBe(true);
        }
      };
      check(s1.total, s2.total, pTimes);
      s1.perCpu.forEach((t, k) => check(t, s2.perCpu[k]!, pTimesPer[k]!));
    });
    expect(comparedTimes).toBeGreaterThan(200);
  });
});

// ------------------------------------------------------------- samplers

describe('CpuSampler (a procfs tree whose stat the test rewrites)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ptools-cpu-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = (s: string): void => writeFileSync(join(dir, 'stat'), s);
  const ticks = clockTicks();
  // cpu0 and cpu1: +ticks user, +3 ticks idle on cpu0; +ticks idle on cpu1 ⇒ cpu0 25%, cpu1 0%, total 1/(1+3+1)=20%.
  const S1 = 'cpu  0 0 0 0\ncpu0 0 0 0 0\ncpu1 0 0 0 0\n';
  const S2 = `cpu  ${ticks} 0 0 ${4 * ticks}\ncpu0 ${ticks} 0 0 ${3 * ticks}\ncpu1 0 0 0 ${ticks}\n`;
  const S3 = `cpu  ${2 * ticks} 0 0 ${4 * ticks}\ncpu0 ${2 * ticks} 0 0 ${3 * ticks}\ncpu1 0 0 0 ${ticks}\n`;

  it('module level: the first non-blocking call returns 0, the next the delta', () => {
    setProcfsPath(dir);
    put(S1);
    expect(cpuPercent()).toBe(0);
    expect(cpuPercent({ percpu: true })).toEqual([0, 0]);
    expect(cpuTimesPercent()).toEqual(times({}));
    expect(cpuTimesPercent({ percpu: true })).toEqual([times({}), times({})]);
    put(S2);
    expect(cpuPercent()).toBe(20);
    expect(cpuPercent({ percpu: true })).toEqual([25, 0]);
    expect(cpuTimesPercent()).toEqual(times({ user: 20, idle: 80 }));
    expect(cpuTimesPercent({ percpu: true })).toEqual([times({ user: 25, idle: 75 }), times({ idle: 100 })]);
    put(S3);
    expect(cpuPercent()).toBe(100); // since the previous call: +1 s user only
  });

  it('state is per sampler, and separate for percent/timesPercent and total/percpu', () => {
    setProcfsPath(dir);
    put(S1);
    const a = new CpuSampler();
    const b = new CpuSampler();
    expect(a.percent()).toBe(0);
    put(S2);
    expect(b.percent()).toBe(0); // b's first call, not disturbed by a
    expect(a.percent()).toBe(20);
    expect(a.timesPercent()).toEqual(times({})); // first timesPercent call of a
    expect(a.percent({ percpu: true })).toEqual([0, 0]); // first percpu call of a
    put(S3);
    expect(b.percent()).toBe(100);
    expect(a.timesPercent()).toEqual(times({ user: 100 }));
    expect(a.percent({ percpu: true })).toEqual([100, 0]);
  });

  it('a blocking interval samples before and after (and becomes the previous sample)', async () => {
    setProcfsPath(dir);
    put(S1);
    const s = new CpuSampler();
    setTimeout(() => put(S2), 20);
    expect(await s.percentAsync({ interval: 0.15, percpu: true })).toEqual([25, 0]);
    put(S3);
    expect(s.percent({ percpu: true })).toEqual([100, 0]);
    put(S1);
    setTimeout(() => put(S2), 20);
    expect(await s.timesPercentAsync({ interval: 0.15 })).toEqual(times({ user: 20, idle: 80 }));
  });

  it('sync interval blocks for the interval', () => {
    setProcfsPath(dir);
    put(S1);
    const t = performance.now();
    expect(new CpuSampler().percent({ interval: 0.1 })).toBe(0); // file unchanged: no time passed
    expect(performance.now() - t).toBeGreaterThanOrEqual(95);
  });

  it('a CPU going offline between samples shortens the percpu result (psutil zips)', () => {
    setProcfsPath(dir);
    put(S1);
    const s = new CpuSampler();
    s.percent({ percpu: true });
    put(`cpu  ${ticks} 0 0 ${ticks}\ncpu0 ${ticks} 0 0 ${ticks}\n`);
    expect(s.percent({ percpu: true })).toEqual([50]);
  });

  it('a negative or NaN interval is a RangeError', async () => {
    expect(() => cpuPercent({ interval: -1 })).toThrow(RangeError);
    expect(() => new CpuSampler().timesPercent({ interval: Number.NaN })).toThrow(RangeError);
    await expect(cpuPercentAsync({ interval: -0.5 })).rejects.toThrow(RangeError);
  });
});

// --------------------------------------------------- fixture trees: sysfs

describe('cpuCount on fixture trees', () => {
  it('physical: distinct core_cpus_list contents (2 sockets × 2 cores × HT)', () => {
    expect(withRoots({ sys: 'sys-topology-ht' }, () => cpuCount({ logical: false }))).toBe(4);
  });
  it('physical: thread_siblings_list on kernels before 5.7', () => {
    expect(withRoots({ sys: 'sys-topology-old' }, () => cpuCount({ logical: false }))).toBe(2);
  });
  it('physical without sysfs topology: distinct (physical id, core id) in cpuinfo', () => {
    expect(withRoots({ sys: '/nonexistent', proc: 'proc-2socket-ht' }, () => cpuCount({ logical: false }))).toBe(4);
  });
  it('physical from "cpu cores" per socket when cpuinfo has no core id (psutil method)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptools-cpu-'));
    try {
      const rec = (p: number, i: number): string => `processor\t: ${i}\nphysical id\t: ${p}\ncpu cores\t: 6\n`;
      writeFileSync(join(dir, 'cpuinfo'), [rec(0, 0), rec(0, 1), rec(1, 2), rec(1, 3)].join('\n'));
      expect(withRoots({ sys: '/nonexistent', proc: dir }, () => cpuCount({ logical: false }))).toBe(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('physical unknown (arm64 cpuinfo, no topology): null', () => {
    expect(withRoots({ sys: '/nonexistent', proc: 'proc-arm64' }, () => cpuCount({ logical: false }))).toBeNull();
  });
});

describe('cpuFreq on fixture trees', () => {
  const p0 = { min: 800, max: 3500 };
  const p2 = { min: 1000, max: 4000 };
  it('cpufreq policies: one policy for two CPUs (affected_cpus); scaling_cur_freq, else cpuinfo_cur_freq', () => {
    const per = withRoots({ sys: 'sys-cpufreq', proc: 'proc-arm64' }, () => cpuFreq({ percpu: true }));
    expect(per).toEqual([
      { current: 1800, ...p0 },
      { current: 1800, ...p0 },
      { current: 2400, ...p2 },
      { current: 2400, ...p2 },
    ]);
    // psutil's aggregate: the mean of current, min and max.
    expect(withRoots({ sys: 'sys-cpufreq', proc: 'proc-arm64' }, () => cpuFreq())).toEqual({ current: 2100, min: 900, max: 3750 });
  });
  it('when /proc/cpuinfo has one "cpu MHz" per CPU, current comes from it (psutil issue 1851)', () => {
    const per = withRoots({ sys: 'sys-cpufreq', proc: 'proc-x86-4cpu' }, () => cpuFreq({ percpu: true }));
    expect(per.map((f) => f.current)).toEqual([1200, 2400.125, 3100.5, 800]);
    expect(per.map((f) => f.max)).toEqual([3500, 3500, 4000, 4000]);
  });
  it('cpuinfo with a different count (8 vs 4 CPUs): sysfs current', () => {
    const per = withRoots({ sys: 'sys-cpufreq', proc: 'proc-2socket-ht' }, () => cpuFreq({ percpu: true }));
    expect(per.map((f) => f.current)).toEqual([1800, 1800, 2400, 2400]);
  });
  it('legacy cpuN/cpufreq (before 4.3): an offline CPU without frequency files is skipped', () => {
    const per = withRoots({ sys: 'sys-cpufreq-legacy', proc: 'proc-arm64' }, () => cpuFreq({ percpu: true }));
    expect(per).toEqual([{ current: 2000, min: 1000, max: 3000 }]);
    expect(withRoots({ sys: 'sys-cpufreq-legacy', proc: 'proc-arm64' }, () => cpuFreq())).toEqual({ current: 2000, min: 1000, max: 3000 });
  });
  it('no cpufreq in sysfs: "cpu MHz" from /proc/cpuinfo, min = max = 0', () => {
    const per = withRoots({ sys: 'sys-topology-ht', proc: 'proc-2socket-ht' }, () => cpuFreq({ percpu: true }));
    expect(per.map((f) => f.current)).toEqual([1200, 2400.125, 3100.5, 800, 1200, 2400.125, 3100.5, 800]);
    expect(per.every((f) => f.min === 0 && f.max === 0)).toBe(true);
    expect(withRoots({ sys: 'sys-topology-ht', proc: 'proc-2socket-ht' }, () => cpuFreq())).toEqual({ current: 1875.15625, min: 0, max: 0 });
  });
  it('powerpc "clock : 2900.000000MHz"', () => {
    expect(withRoots({ sys: '/nonexistent', proc: 'proc-ppc64le' }, () => cpuFreq({ percpu: true }))).toEqual([
      { current: 2900, min: 0, max: 0 },
      { current: 2900, min: 0, max: 0 },
    ]);
  });
  it('nothing reports a frequency: [] with percpu, null without (psutil returns None)', () => {
    expect(withRoots({ sys: '/nonexistent', proc: 'proc-arm64' }, () => cpuFreq({ percpu: true }))).toEqual([]);
    expect(withRoots({ sys: '/nonexistent', proc: 'proc-arm64' }, () => cpuFreq())).toBeNull();
  });
});

describe('cpuStats / getloadavg / cpuTimes on fixture trees', () => {
  it('cpuStats from the captured stat', () => {
    expect(withRoots({ proc: 'machine' }, () => cpuStats())).toEqual({ ctxSwitches: 287467, interrupts: 133751, softInterrupts: 70549, syscalls: 0 });
  });
  it('getloadavg from the captured loadavg', () => {
    const l = parseLoadavg(fx('machine', 'loadavg'));
    expect(withRoots({ proc: 'machine' }, () => getloadavg())).toEqual([l.load1, l.load5, l.load15]);
  });
  it('cpuTimes total and percpu from the captured stat', () => {
    const st = parseProcStat(fx('machine', 'stat'));
    expect(withRoots({ proc: 'machine' }, () => cpuTimes())).toEqual(st.total);
    expect(withRoots({ proc: 'machine' }, () => cpuTimes({ percpu: true }))).toEqual(st.perCpu);
  });
});

describePsutil('fixture files vs psutil with PROCFS_PATH', () => {
  it('cpu_times, per-CPU times and cpu_stats of every stat fixture psutil can read', () => {
    const texts = [fx('machine', 'stat'), ...STAT_FILES.map((f) => fx('stat', f))];
    // One python per fixture: psutil 5.9.4 caches its cpu-times tuple shape between calls.
    const script = `
import json, sys, warnings
import psutil
warnings.simplefilter('ignore')
psutil.PROCFS_PATH = sys.argv[1]
try:
    out = [psutil.cpu_times()._asdict(), [x._asdict() for x in psutil.cpu_times(percpu=True)], psutil.cpu_stats()._asdict()]
except Exception as e:
    out = repr(e)
print(json.dumps(out))
`;
    const py = texts.map(
      (t) => JSON.parse(execFileSync(PYTHON, ['-c', script, mkStatTree(t)], { encoding: 'utf8' })) as string | [Record<string, number>, Record<string, number>[], Record<string, number | null>],
    );
    // psutil 5.9.4 cannot build its tuple from 4 columns (it needs 7); every other fixture compares.
    expect(typeof py[1]).toBe('string');
    let compared = 0;
    texts.forEach((t, i) => {
      const r = py[i]!;
      if (typeof r === 'string') return;
      const st = parseProcStat(t);
      const pick = (ct: CpuTimes, p: Record<string, number>): Record<string, number> =>
        Object.fromEntries(Object.keys(p).map((k) => [k, ct[(k === 'guest_nice' ? 'guestNice' : k) as keyof CpuTimes]]));
      expect(pick(st.total, r[0]), `fixture ${i}`).toEqual(r[0]);
      // Fields psutil leaves out of its tuple (older kernels) are 0 here.
      for (const f of FIELDS) if (!((f === 'guestNice' ? 'guest_nice' : f) in r[0])) expect(st.total[f]).toBe(0);
      expect(st.perCpu.map((c, k) => pick(c, r[1][k]!))).toEqual(r[1]);
      const s = withRoots({ proc: mkStatTree(t) }, () => cpuStats());
      expect({ ctx_switches: s.ctxSwitches, interrupts: s.interrupts, soft_interrupts: s.softInterrupts, syscalls: s.syscalls }).toEqual({
        ...r[2],
        soft_interrupts: r[2]['soft_interrupts'] ?? 0, // psutil: None when the kernel has no softirq line
      });
      compared++;
    });
    expect(compared).toBe(texts.length - 1);
  });

  it('cpu_freq from /proc/cpuinfo fixtures (this machine has no cpufreq in sysfs)', () => {
    for (const tree of ['machine', 'proc-2socket-ht', 'proc-x86-4cpu']) {
      const dir = join(FIX, tree);
      const [per, agg] = psutil<[Record<string, number>[], Record<string, number> | null]>(
        `(setattr(psutil, 'PROCFS_PATH', ${JSON.stringify(dir)}), psutil.cpu_freq(percpu=True), psutil.cpu_freq())[1:]`,
      );
      expect(withRoots({ proc: tree }, () => cpuFreq({ percpu: true })), tree).toEqual(per);
      expect(withRoots({ proc: tree }, () => cpuFreq()), tree).toEqual(agg);
    }
  });
});

const statTrees: string[] = [];
/** A procfs tree holding only `stat` with this text. */
function mkStatTree(text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'ptools-cpu-'));
  writeFileSync(join(d, 'stat'), text);
  statTrees.push(d);
  return d;
}
afterAll(() => {
  for (const d of statTrees) rmSync(d, { recursive: true, force: true });
});

// --------------------------------------------------------------- machine

describePsutil('cpuTimes vs psutil.cpu_times() on this machine', () => {
  // The counters only grow (iowait excepted, see proc(5)), so psutil's
  // reading, taken between two of ours, must lie between them. Tolerance:
  // 0 for every field but iowait, which may go back (1 s allowed).
  const bracket = (before: CpuTimes, p: Record<string, number>, after: CpuTimes, label: string): void => {
    for (const f of FIELDS) {
      const v = p[f === 'guestNice' ? 'guest_nice' : f]!;
      const slack = f === 'iowait' ? 1 : 1e-9;
      expect(v, `${label} ${f}: psutil ${v} vs ${before[f]}..${after[f]}`).toBeGreaterThanOrEqual(before[f] - slack);
      expect(v, `${label} ${f}`).toBeLessThanOrEqual(after[f] + slack);
    }
  };
  it('total: psutil lies between two readings of ours', () => {
    const before = cpuTimes();
    const p = psutil<Record<string, number>>('psutil.cpu_times()');
    const after = cpuTimes();
    bracket(before, p, after, 'total');
  });
  it('percpu: same length, each CPU bracketed', () => {
    const before = cpuTimes({ percpu: true });
    const p = psutil<Record<string, number>[]>('psutil.cpu_times(percpu=True)');
    const after = cpuTimes({ percpu: true });
    expect(p).toHaveLength(before.length);
    expect(after).toHaveLength(before.length);
    p.forEach((x, i) => bracket(before[i]!, x, after[i]!, `cpu${i}`));
  });
});

describePsutil('cpuStats vs psutil.cpu_stats() on this machine', () => {
  it('ctx switches, interrupts, soft interrupts: psutil lies between two readings of ours (monotonic counters)', () => {
    const before = cpuStats();
    const p = psutil<Record<string, number>>('psutil.cpu_stats()');
    const after = cpuStats();
    for (const [ours, theirs] of [
      ['ctxSwitches', 'ctx_switches'],
      ['interrupts', 'interrupts'],
      ['softInterrupts', 'soft_interrupts'],
    ] as const) {
      expect(p[theirs]).toBeGreaterThanOrEqual(before[ours]);
      expect(p[theirs]).toBeLessThanOrEqual(after[ours]);
    }
    expect(p['syscalls']).toBe(0);
  });
});

describePsutil('cpuCount vs psutil.cpu_count() on this machine', () => {
  it('logical and physical are equal to psutil', () => {
    expect(cpuCount()).toBe(psutil<number>('psutil.cpu_count()'));
    expect(cpuCount({ logical: true })).toBe(psutil<number>('psutil.cpu_count(logical=True)'));
    expect(cpuCount({ logical: false })).toBe(psutil<number | null>('psutil.cpu_count(logical=False)'));
  });
});

describeCommand('nproc', 'cpuCount vs nproc', () => {
  it('logical = nproc --all when no CPU is offline; nproc (affinity) ≤ logical', () => {
    const offline = readFileSync('/sys/devices/system/cpu/offline', 'utf8').trim();
    const all = Number(sh('nproc', ['--all']).trim());
    const env = { ...process.env };
    delete env['OMP_NUM_THREADS'];
    delete env['OMP_THREAD_LIMIT'];
    const avail = Number(execFileSync('nproc', [], { encoding: 'utf8', env }).trim());
    if (offline === '') expect(cpuCount()).toBe(all);
    else expect(cpuCount()!).toBeLessThan(all);
    expect(avail).toBeLessThanOrEqual(cpuCount()!);
    // The test runner is not pinned here: nproc (sched_getaffinity) sees every online CPU.
    expect(avail).toBe(cpuCount());
  });
});

describeCommand('lscpu', 'cpuCount({ logical: false }) vs lscpu', () => {
  it('distinct (core, socket) pairs of lscpu -p equal the physical count', () => {
    const lines = sh('lscpu', ['-p=CORE,SOCKET']).split('\n').filter((l) => l && !l.startsWith('#'));
    expect(cpuCount({ logical: false })).toBe(new Set(lines).size);
    expect(lines).toHaveLength(cpuCount()!);
  });
});

describePsutil('cpuFreq vs psutil.cpu_freq() on this machine', () => {
  it('same number of CPUs; current within 5% (it moves on real hardware); min and max equal', () => {
    const ours = cpuFreq({ percpu: true });
    const p = psutil<Record<string, number>[]>('psutil.cpu_freq(percpu=True)');
    expect(ours).toHaveLength(p.length);
    ours.forEach((f, i) => {
      expect(Math.abs(f.current - p[i]!['current']!)).toBeLessThanOrEqual(0.05 * p[i]!['current']!);
      expect(f.min).toBe(p[i]!['min']);
      expect(f.max).toBe(p[i]!['max']);
    });
    const agg = cpuFreq();
    const pa = psutil<Record<string, number> | null>('psutil.cpu_freq()');
    if (pa === null) expect(agg).toBeNull();
    else {
      expect(Math.abs(agg!.current - pa['current']!)).toBeLessThanOrEqual(0.05 * pa['current']!);
      expect(agg!.min).toBe(pa['min']);
      expect(agg!.max).toBe(pa['max']);
    }
  });
});

/**
 * The kernel updates the load averages every 5 s: `theirs` is compared with
 * two readings of ours around it that agree (no update in between; retried
 * until they do), within `tol` (the sources' rounding).
 */
function sameLoad(theirs: () => number[], tol: number): void {
  for (let attempt = 0; ; attempt++) {
    const before = getloadavg();
    const t = theirs();
    const after = getloadavg();
    if (before.some((v, i) => v !== after[i]) && attempt < 10) continue;
    before.forEach((x, i) => expect(Math.abs(x - t[i]!), `load ${i}: ours ${x}, theirs ${t[i]}`).toBeLessThanOrEqual(tol));
    return;
  }
}
/**
 * How far /proc/loadavg's two decimals may be from the kernel's fixed point
 * (what sysinfo, os.loadavg and psutil.getloadavg give): the kernel prints
 * LOAD_INT/LOAD_FRAC of x + FIXED_1/200 with FIXED_1 = 2048, and 2048/200
 * truncates to 10, so the printed value lies in (x − 0.01 + 10/2048, x + 10/2048]:
 * up to 0.00512 below (1.1650390625 prints as 1.16).
 */
const PROC_LOADAVG_ROUNDING = 0.01 - 10 / 2048 + 1e-9;

describe('getloadavg vs os.loadavg()', () => {
  it('equal to /proc/loadavg\'s two decimals (os.loadavg reads sysinfo\'s fixed point: the kernel\'s rounding)', () => {
    sameLoad(() => loadavg(), PROC_LOADAVG_ROUNDING);
  });
});
describePsutil('getloadavg vs psutil.getloadavg()', () => {
  it('equal but for rounding (os.getloadavg gives the kernel\'s fixed point, /proc/loadavg two decimals)', () => {
    sameLoad(() => psutil<number[]>('psutil.getloadavg()'), PROC_LOADAVG_ROUNDING);
  });
});

describe('cpuPercent / cpuTimesPercent on this machine', () => {
  it('interval 0.2: total and percpu in [0, 100], one value per CPU', () => {
    const t = cpuPercent({ interval: 0.2 });
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThanOrEqual(100);
    const per = cpuPercent({ interval: 0.2, percpu: true });
    expect(per).toHaveLength(cpuCount()!);
    for (const x of per) expect(x >= 0 && x <= 100).toBe(true);
  });
  it('timesPercent fields (guest excluded, it is inside user) sum to 100 ± 1', () => {
    const sum = (tp: CpuTimes): number => FIELDS.filter((f) => f !== 'guest' && f !== 'guestNice').reduce((a, f) => a + tp[f], 0);
    expect(Math.abs(sum(cpuTimesPercent({ interval: 0.3 })) - 100)).toBeLessThanOrEqual(1);
    for (const tp of cpuTimesPercent({ interval: 0.3, percpu: true })) expect(Math.abs(sum(tp) - 100)).toBeLessThanOrEqual(1);
  });

  describe('under load: one busy child process', () => {
    busyChild();
    it('cpuPercent({ interval: 0.3 }) ≥ 30 and the busiest CPU ≥ 60', () => {
      // One core of N busy: total ≈ 100/N (50 here); the child may migrate between CPUs.
      const n = cpuCount()!;
      expect(cpuPercent({ interval: 0.3 })).toBeGreaterThanOrEqual(Math.min(30, 60 / n));
      if (n <= 2) expect(Math.max(...cpuPercent({ interval: 0.3, percpu: true }))).toBeGreaterThanOrEqual(60);
    });
    it('cpuTimesPercent: user + nice ≥ 30 (the child spins in user mode)', async () => {
      // The child runs at the niceness of this test run: its time counts as
      // "nice" when the suite itself runs niced (nice make test), else "user".
      const n = cpuCount()!;
      const t = await cpuTimesPercentAsync({ interval: 0.3 });
      expect(t.user + t.nice).toBeGreaterThanOrEqual(Math.min(30, 60 / n));
    });
  });
});

describePsutil('cpuPercentAsync vs psutil.cpu_percent() under load', () => {
  busyChild();
  it('measured over the same 0.5 s (as near as two processes can) they agree within 20 points', async () => {
    // Python's start-up (its own CPU time) may fall in our window and not in psutil's: 20 points.
    const theirs = new Promise<number>((resolve, reject) =>
      execFile(PYTHON, ['-c', 'import psutil; print(psutil.cpu_percent(interval=0.5))'], (err, out) => (err ? reject(err) : resolve(Number(out)))),
    );
    await new Promise((r) => setTimeout(r, 60)); // let python get going so the windows overlap more
    const ours = await cpuPercentAsync({ interval: 0.5 });
    const p = await theirs;
    expect(ours).toBeGreaterThanOrEqual(Math.min(30, 60 / cpuCount()!));
    expect(Math.abs(ours - p)).toBeLessThanOrEqual(20);
  });
});

/** Spawns `node -e 'while(true){}'` before the suite's tests and kills it after. */
function busyChild(): { child?: ChildProcess } {
  const h: { child?: ChildProcess } = {};
  beforeAll(async () => {
    h.child = spawn(process.execPath, ['-e', 'while(true){}'], { stdio: 'ignore' });
    await new Promise((resolve, reject) => {
      h.child!.once('spawn', resolve);
      h.child!.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 200)); // past node's start-up
  });
  afterAll(() => {
    if (h.child?.pid !== undefined && h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
  });
  return h;
}
