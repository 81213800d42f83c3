/**
 * ptools/promises gives the same values as the synchronous API. Functions that
 * run on the worker thread use the compiled worker in dist/ (make test builds
 * it first).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import * as sync from '../src/index.js';
import * as p from '../src/promises.js';
import { callRemote, deserializeError, serializeError } from '../src/core/async/remote.js';
import { getRoots, setRoots } from '../src/core/base/paths.js';

const fixture = (rel: string) => fileURLToPath(new URL(`./fixtures/${rel}`, import.meta.url));

afterAll(async () => {
  await p.stopWorker();
});

describe('ptools/promises returns what ptools returns', () => {
  it('exports every function of the synchronous system API', () => {
    const names = [
      'cpuTimes', 'cpuPercent', 'cpuTimesPercent', 'cpuCount', 'cpuStats', 'cpuFreq', 'getloadavg', 'virtualMemory',
      'swapMemory', 'diskPartitions', 'diskUsage', 'diskIoCounters', 'netIoCounters', 'netIfAddrs', 'netIfStats',
      'bootTime', 'users', 'sensorsTemperatures', 'sensorsFans', 'sensorsBattery',
    ];
    for (const n of names) {
      expect(typeof (sync as Record<string, unknown>)[n], n).toBe('function');
      expect(typeof (p as Record<string, unknown>)[n], n).toBe('function');
      expect((p as Record<string, (...a: unknown[]) => unknown>)[n]!.length).toBeLessThanOrEqual(1);
    }
  });

  it('static values are equal', async () => {
    expect(await p.cpuCount()).toBe(sync.cpuCount());
    expect(await p.cpuCount({ logical: false })).toBe(sync.cpuCount({ logical: false }));
    expect(await p.bootTime()).toBe(sync.bootTime());
    expect(await p.diskPartitions()).toEqual(sync.diskPartitions());
    expect(await p.diskPartitions({ all: true })).toEqual(sync.diskPartitions({ all: true }));
    expect(await p.netIfAddrs()).toEqual(sync.netIfAddrs());
    expect(await p.netIfStats()).toEqual(sync.netIfStats());
    expect(await p.users()).toEqual(sync.users());
    expect(await p.sensorsTemperatures()).toEqual(sync.sensorsTemperatures());
    expect(await p.sensorsFans()).toEqual(sync.sensorsFans());
    expect(await p.sensorsBattery()).toEqual(sync.sensorsBattery());
    // cpuFreq's current value moves; min and max do not.
    const [f, fS] = [await p.cpuFreq(), sync.cpuFreq()];
    expect(f === null).toBe(fS === null);
    if (f && fS) expect([f.min, f.max]).toEqual([fS.min, fS.max]);
    expect((await p.cpuTimes({ percpu: true })).length).toBe(sync.cpuTimes({ percpu: true }).length);
  });

  it('moving values agree within tolerance', async () => {
    // Memory and disk usage move while the test runs: 64 MiB.
    const [vm, vmS] = [await p.virtualMemory(), sync.virtualMemory()];
    expect(vm.total).toBe(vmS.total);
    expect(Math.abs(vm.available - vmS.available)).toBeLessThan(64 << 20);
    const [du, duS] = [await p.diskUsage('/'), sync.diskUsage('/')];
    expect(du.total).toBe(duS.total);
    expect(Math.abs(du.used - duS.used)).toBeLessThan(64 << 20);
    const [sw, swS] = [await p.swapMemory(), sync.swapMemory()];
    expect(sw.total).toBe(swS.total);
    // CPU times only grow: the promise's reading lies between two synchronous ones (1e-6: float sums).
    const sum = (t: { user: number; system: number; idle: number }): number => t.user + t.system + t.idle;
    const ct0 = sync.cpuTimes();
    const ct = await p.cpuTimes();
    const ct1 = sync.cpuTimes();
    expect(sum(ct)).toBeGreaterThanOrEqual(sum(ct0) - 1e-6);
    expect(sum(ct)).toBeLessThanOrEqual(sum(ct1) + 1e-6);
    // The load averages change every 5 s: the promise's reading equals two synchronous readings around
    // it when those agree (retried until they do).
    for (let attempt = 0; ; attempt++) {
      const la0 = sync.getloadavg();
      const la = await p.getloadavg();
      const la1 = sync.getloadavg();
      if (la0.some((v, i) => v !== la1[i]) && attempt < 10) continue;
      expect(la).toEqual(la0);
      break;
    }
    const [st, stS] = [await p.cpuStats(), sync.cpuStats()];
    expect(stS.ctxSwitches).toBeGreaterThanOrEqual(st.ctxSwitches);
    const nic = await p.netIoCounters({ pernic: true });
    expect(Object.keys(nic).sort()).toEqual(Object.keys(sync.netIoCounters({ pernic: true })).sort());
    const disks = await p.diskIoCounters({ perdisk: true });
    expect(Object.keys(disks).sort()).toEqual(Object.keys(sync.diskIoCounters({ perdisk: true })).sort());
  });

  it('cpuPercent with an interval sleeps on a timer, not by blocking the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const pct = await p.cpuPercent({ interval: 0.3 });
    clearInterval(timer);
    expect(pct).toBeGreaterThanOrEqual(0);
    expect(pct).toBeLessThanOrEqual(100);
    // A blocking sleep would let no timer fire; 300 ms leaves room for ~30.
    expect(ticks).toBeGreaterThan(5);
    const per = await p.cpuPercent({ interval: 0.1, percpu: true });
    expect(per.length).toBe(sync.cpuCount());
    const tp = await p.cpuTimesPercent({ interval: 0.1 });
    expect(tp.user + tp.nice + tp.system + tp.idle + tp.iowait + tp.irq + tp.softirq + tp.steal).toBeGreaterThan(98);
  });

  it('the worker thread reads the same procfs/sysfs roots as the caller', async () => {
    const before = sync.getProcfsPath();
    try {
      sync.setProcfsPath(fixture('disk/tree/proc'));
      const expected = sync.diskPartitions({ all: true });
      expect(expected.length).toBeGreaterThan(0);
      expect(await p.diskPartitions({ all: true })).toEqual(expected);
    } finally {
      sync.setProcfsPath(before);
    }
    expect(await p.diskPartitions({ all: true })).toEqual(sync.diskPartitions({ all: true }));
  });

  it('the worker thread gets every root the caller set (procfs, sysfs, utmp, etc; dev and locale go with them)', async () => {
    const before = getRoots();
    const roots = { procfs: '/x/proc', sysfs: '/x/sys', utmp: '/x/utmp', etc: '/x/etc', dev: '/x/dev', locale: '/x/locale' };
    try {
      setRoots(roots);
      const seen = await Promise.all(['getProcfsPath', 'getSysfsPath', 'getUtmpPath', 'getEtcPath'].map((n) => callRemote<string>(n, [])));
      expect(seen).toEqual([roots.procfs, roots.sysfs, roots.utmp, roots.etc]);
    } finally {
      setRoots(before);
    }
    expect(await callRemote<string>('getEtcPath', [])).toBe(before.etc);
  });

  it('the worker does not inherit the caller\'s node flags (node --input-type=module -e ...)', () => {
    const mod = fileURLToPath(new URL('../dist/promises.js', import.meta.url));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      `const p = await import(${JSON.stringify(mod)}); const u = await p.diskUsage('/'); console.log(u.total > 0); await p.stopWorker();`], { encoding: 'utf8' });
    expect(out).toBe('true\n');
  });

  it('errors from the worker keep their class, code, errno, syscall and path', async () => {
    const err = await p.diskUsage('/nonexistent/ptools').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'ENOENT', errno: -2, syscall: 'statvfs', path: '/nonexistent/ptools' });
    // Library errors are rebuilt as their own classes.
    const e = deserializeError(serializeError(new sync.ZombieProcess(42, 'x', 1)));
    expect(e).toBeInstanceOf(sync.ZombieProcess);
    expect(e).toBeInstanceOf(sync.NoSuchProcess);
    expect(e).toBeInstanceOf(sync.PtoolsError);
    expect(e).toMatchObject({ pid: 42, processName: 'x', ppid: 1, msg: expect.stringContaining('zombie') });
  });
});

describe('ptools/promises: processes', () => {
  it('processIter, pids, pidExists, children, memoryMaps, netConnections agree with the sync API', async () => {
    const attrs = ['pid', 'ppid', 'name', 'username'];
    const a = await p.processIter({ attrs });
    const s = sync.processIter({ attrs });
    // Processes come and go between the two scans: compare the pids both saw.
    const common = new Set(s.map((x) => x.pid).filter((pid) => a.some((y) => y.pid === pid)));
    expect(common.size).toBeGreaterThan(s.length * 0.8);
    for (const pr of a.filter((x) => common.has(x.pid))) {
      const other = s.find((x) => x.pid === pr.pid)!;
      expect(pr.info).toEqual(other.info);
    }
    expect(a.every((x) => x instanceof sync.Process)).toBe(true);
    expect(await p.pids()).toContain(process.pid);
    expect(await p.pidExists(process.pid)).toBe(true);
    const me = new sync.Process();
    expect((await p.memoryMaps(me)).map((m) => m.path).sort()).toEqual(me.memoryMaps().map((m) => m.path).sort());
    const kid = sync.spawn('sleep', ['30']);
    try {
      expect((await p.children(me)).map((c) => c.pid)).toContain(kid.pid);
      expect((await p.children(me)).map((c) => c.pid).sort()).toEqual(me.children().map((c) => c.pid).sort());
    } finally {
      kid.kill();
    }
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const mine = (cs: sync.Connection[]) => cs.filter((c) => c.pid === process.pid && c.laddr && typeof c.laddr === 'object' && c.laddr.port === port);
      expect(mine(await p.netConnections({ kind: 'tcp4' }))).toEqual(mine(sync.netConnections({ kind: 'tcp4' })));
      expect(mine(await p.netConnections({ kind: 'tcp4' }))).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('wait resolves with the exit code of a spawned child without blocking', async () => {
    const child = sync.spawn('sh', ['-c', 'sleep 0.2; exit 3']);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const code = await p.wait(child, { timeout: 10 });
    clearInterval(timer);
    expect(code).toBe(3);
    expect(ticks).toBeGreaterThan(5);
  });
});
