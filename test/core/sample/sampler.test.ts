/**
 * core/sample: the Sampler keeps its own history; %CPU is procps top's
 * formula (ticks × 100 / (Hz × elapsed by /proc/uptime)); a recycled pid is a
 * new task. On fixture trees (exact numbers) and on a child that burns a
 * known amount of CPU (measured by the child itself with getrusage).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { clockTicks } from '../../../src/core/base/sysconf.js';
import { Sampler } from '../../../src/core/sample/sampler.js';
import { uptime } from '../../../src/core/system/uptime.js';

function statLine(pid: number, o: { utime: number; stime: number; start: number; minflt?: number; majflt?: number; state?: string }): string {
  const f = [
    pid, '(task)', o.state ?? 'S', 1, pid, pid, 0, -1, 4194304, o.minflt ?? 0, 0, o.majflt ?? 0, 0, o.utime, o.stime, 0, 0, 20, 0, 1, 0, o.start,
    2990080, 445, '18446744073709551615', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0,
  ];
  return `${f.join(' ')}\n`;
}

describe('Sampler on a fixture procfs tree', () => {
  const saved = getProcfsPath();
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ptools-sampler-'));
    mkdirSync(join(root, '100'));
    mkdirSync(join(root, '200'));
  });
  afterEach(() => setProcfsPath(saved));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const put = (up: number, tasks: Record<number, Parameters<typeof statLine>[1]>) => {
    writeFileSync(join(root, 'uptime'), `${up.toFixed(2)} 0.00\n`);
    for (const [pid, t] of Object.entries(tasks)) writeFileSync(join(root, pid, 'stat'), statLine(Number(pid), t));
  };

  it("computes top's %CPU exactly, keys tasks by pid + start time, and keeps two instances apart", () => {
    setProcfsPath(root);
    const hz = clockTicks();
    const a = new Sampler();
    put(1000, { 100: { utime: 50, stime: 10, start: 500, minflt: 7 }, 200: { utime: 5, stime: 0, start: 900 } });
    const a1 = a.processes();
    expect(a1.elapsed).toBe(1000); // the first sample measures from boot, as top's first frame does
    const t100 = a1.tasks.find((t) => t.record.tid === 100)!;
    expect(t100.isNew).toBe(true);
    expect(t100.cpuTicks).toBe(60); // a task not seen before counts every tick since it started
    expect(t100.cpuPercent).toBeCloseTo((60 * 100) / (hz * 1000), 10);
    expect(t100.minfltDelta).toBe(0);

    // Two seconds later: 100 used 30 more ticks; 200's pid now belongs to a new task (other start time).
    put(1002, { 100: { utime: 70, stime: 20, start: 500, minflt: 19 }, 200: { utime: 3, stime: 1, start: 1100 } });
    const b = new Sampler(); // a second instance: its first look, whatever `a` saw
    const a2 = a.processes();
    expect(a2.elapsed).toBeCloseTo(2, 10);
    const n100 = a2.tasks.find((t) => t.record.tid === 100)!;
    expect(n100.isNew).toBe(false);
    expect(n100.cpuTicks).toBe(30);
    expect(n100.cpuPercent).toBeCloseTo((30 * 100) / (hz * 2), 10);
    expect(n100.minfltDelta).toBe(12);
    const n200 = a2.tasks.find((t) => t.record.tid === 200)!;
    expect(n200.isNew).toBe(true); // recycled pid: no delta against the old task's 5 ticks
    expect(n200.cpuTicks).toBe(4);

    const b1 = b.processes();
    expect(b1.elapsed).toBe(1002);
    expect(b1.tasks.every((t) => t.isNew)).toBe(true);
    expect(b1.tasks.find((t) => t.record.tid === 100)!.cpuTicks).toBe(90);

    // Half a second more: `a` measures from its own last look, `b` from its own.
    put(1002.5, { 100: { utime: 80, stime: 20, start: 500 }, 200: { utime: 3, stime: 1, start: 1100 } });
    const a3 = a.processes();
    const b2 = b.processes();
    expect(a3.elapsed).toBeCloseTo(0.5, 10);
    expect(b2.elapsed).toBeCloseTo(0.5, 10);
    expect(a3.tasks.find((t) => t.record.tid === 100)!.cpuTicks).toBe(10);
    expect(b2.tasks.find((t) => t.record.tid === 100)!.cpuTicks).toBe(10);
    expect(b2.tasks.find((t) => t.record.tid === 100)!.cpuPercent).toBeCloseTo((10 * 100) / (hz * 0.5), 10);

    // Solaris mode divides by the CPU count; an interval under 0.01 s is floored at 0.005 s as top does.
    const c = new Sampler({ irix: false });
    c.processes();
    put(1002.505, { 100: { utime: 81, stime: 20, start: 500 }, 200: { utime: 3, stime: 1, start: 1100 } });
    const c2 = c.processes();
    expect(c2.elapsed).toBe(0.005);
    expect(c2.tasks.find((t) => t.record.tid === 100)!.cpuTicks).toBe(1);

    // A task that is gone is forgotten; reset() forgets everything.
    rmSync(join(root, '200'), { recursive: true });
    put(1003, { 100: { utime: 81, stime: 20, start: 500 } });
    expect(a.processes().tasks.map((t) => t.record.tid)).toEqual([100]);
    a.reset();
    const again = a.processes();
    expect(again.elapsed).toBe(1003);
    expect(again.tasks[0]!.isNew).toBe(true);
  });
});

describe('Sampler on a child burning a known amount of CPU', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    if (child?.pid && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  // The child reports its own CPU time (getrusage, microseconds) when ready and
  // after each burn, then blocks on stdin; each "burn N" line burns N ms of CPU.
  const CHILD = `
    const rl = require('readline').createInterface({ input: process.stdin });
    const used = () => { const u = process.cpuUsage(); return u.user + u.system; };
    console.log('cpu ' + used());
    rl.on('line', (l) => {
      const ms = Number(l.split(' ')[1]);
      const end = used() + ms * 1000;
      let x = 0;
      while (used() < end) for (let i = 0; i < 1e5; i++) x += i;
      console.log('cpu ' + used() + ' ' + (x > 0));
    });`;

  it('two instances: each delta is the CPU the child used since that instance last looked', async () => {
    child = spawn(process.execPath, ['-e', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => Number(((await lines.next()).value as string).split(' ')[1]);
    const pid = child.pid!;
    const hz = clockTicks();
    const ticks = (us: number) => (us * hz) / 1e6;

    const c0 = await next();
    const a = new Sampler({ pids: [pid] });
    const up0 = uptime();
    const a1 = a.processes();
    expect(a1.tasks).toHaveLength(1);

    child.stdin.write('burn 400\n');
    const c1 = await next();
    const b = new Sampler({ pids: [pid] });
    const b1 = b.processes();
    expect(b1.tasks[0]!.isNew).toBe(true);
    expect(Math.abs(b1.tasks[0]!.cpuTicks - ticks(c1))).toBeLessThanOrEqual(3);

    child.stdin.write('burn 300\n');
    const c2 = await next();
    const a2 = a.processes();
    const b2 = b.processes();
    const up2 = uptime();

    const ta = a2.tasks[0]!;
    const tb = b2.tasks[0]!;
    expect(ta.isNew).toBe(false);
    expect(tb.isNew).toBe(false);
    // Tick accounting is sampled (±1 tick at each end) and the child's idle runtime threads may add a tick or two.
    expect(Math.abs(ta.cpuTicks - ticks(c2 - c0))).toBeLessThanOrEqual(3);
    expect(Math.abs(tb.cpuTicks - ticks(c2 - c1))).toBeLessThanOrEqual(3);
    expect(ta.cpuTicks).toBeGreaterThan(tb.cpuTicks);

    // top's formula, with the elapsed time each instance measured between its own two looks.
    expect(a2.elapsed).toBeCloseTo(a2.uptime - a1.uptime, 6);
    expect(b2.elapsed).toBeCloseTo(b2.uptime - b1.uptime, 6);
    expect(a2.elapsed).toBeGreaterThanOrEqual(b2.elapsed);
    expect(a2.elapsed).toBeLessThanOrEqual(up2 - up0 + 0.01);
    expect(ta.cpuPercent).toBeCloseTo((ta.cpuTicks * 100) / (hz * a2.elapsed), 6);
    expect(tb.cpuPercent).toBeCloseTo((tb.cpuTicks * 100) / (hz * b2.elapsed), 6);
  });

  it('cpu(), disks() and nics(): zeros/empty on the first call, then non-negative rates', () => {
    const s = new Sampler();
    const first = s.cpu();
    expect(Object.values(first.total).every((v) => v === 0)).toBe(true);
    expect(s.disks()).toEqual({});
    expect(s.nics()).toEqual({});
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i;
    expect(x).toBeGreaterThan(0);
    const second = s.cpu();
    const pct = Object.entries(second.totalPercent).filter(([k]) => k !== 'guest' && k !== 'guestNice').reduce((t, [, v]) => t + v, 0);
    // Percentages of all time spent sum to 100 once any time has passed, give or take
    // the rounding of each of the eight modes to one decimal (psutil's cpu_times_percent).
    if (Object.values(second.total).some((v) => v > 0)) expect(Math.abs(pct - 100)).toBeLessThanOrEqual(8 * 0.05 + 1e-9);
    expect(second.perCpu.length).toBe(first.perCpu.length);
    const nics = s.nics();
    expect(Object.keys(nics)).toContain('lo');
    for (const r of Object.values(nics)) for (const v of Object.values(r)) expect(v).toBeGreaterThanOrEqual(0);
    for (const r of Object.values(s.disks())) for (const v of Object.values(r)) expect(v).toBeGreaterThanOrEqual(0);
  });
});

describe("Sampler: top's task counts and memory figures", () => {
  const saved = getProcfsPath();
  it("counts the tasks by state as top's Tasks: line does, and reads top's memory figures", () => {
    const tree = mkdtempSync(join(tmpdir(), 'ptools-sampler-states-'));
    try {
      const states = { 10: 'R', 11: 'S', 12: 'D', 13: 'I', 14: 'T', 15: 't', 16: 'Z', 17: 'Z', 18: 'S', 19: 'X' } as const;
      for (const [pid, state] of Object.entries(states)) {
        mkdirSync(join(tree, pid));
        writeFileSync(join(tree, pid, 'stat'), statLine(Number(pid), { utime: 1, stime: 1, start: 10, state }));
      }
      writeFileSync(join(tree, 'uptime'), '500.00 0.00\n');
      writeFileSync(
        join(tree, 'meminfo'),
        'MemTotal:       1000000 kB\nMemFree:         400000 kB\nMemAvailable:    700000 kB\nBuffers:          10000 kB\nCached:          200000 kB\nSwapCached:          0 kB\nSReclaimable:     30000 kB\nSwapTotal:       500000 kB\nSwapFree:        450000 kB\n',
      );
      setProcfsPath(tree);
      const s = new Sampler();
      // R running; S and D sleeping; T and t stopped; Z zombie; I and X other (top adds other to sleeping).
      expect(s.processes().counts).toEqual({ total: 10, running: 1, sleeping: 3, stopped: 2, zombie: 2, other: 2 });
      expect(new Sampler({ pids: [11, 16] }).processes().counts).toEqual({ total: 2, running: 0, sleeping: 1, stopped: 0, zombie: 1, other: 0 });
      expect(s.memory()).toEqual({
        total: 1000000 * 1024,
        free: 400000 * 1024,
        used: 300000 * 1024,
        buffCache: 240000 * 1024,
        available: 700000 * 1024,
        swapTotal: 500000 * 1024,
        swapFree: 450000 * 1024,
        swapUsed: 50000 * 1024,
      });
    } finally {
      setProcfsPath(saved);
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
