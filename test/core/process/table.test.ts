/**
 * ProcessTable: psutil's process_iter state as an instance. Two tables in
 * one process keep separate histories (Process objects, cpuPercent's last
 * sample); the module-level processIter()/clearProcessTable() are the
 * default table. And the async scan under processIterAsync.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearProcessTable, defaultProcessTable, processIter, ProcessTable } from '../../../src/core/process/table.js';
import { scanProcesses, scanProcessesAsync } from '../../../src/core/process/scan.js';
import { sleepingIn, waitUntil } from '../../helpers/wait.js';

let child: ChildProcess;
beforeAll(async () => {
  child = spawn('sleep', ['600'], { stdio: 'ignore' });
  await waitUntil(() => sleepingIn(child.pid!), `sleep ${child.pid} to start`);
});
afterAll(() => {
  child.kill('SIGKILL');
});

describe('ProcessTable', () => {
  it('keeps its Process objects between scans; another table keeps its own', () => {
    const a = new ProcessTable();
    const b = new ProcessTable();
    const a1 = a.scan().find((p) => p.pid === child.pid)!;
    const a2 = a.scan().find((p) => p.pid === child.pid)!;
    const b1 = b.scan().find((p) => p.pid === child.pid)!;
    expect(a2).toBe(a1);
    expect(b1).not.toBe(a1);
    expect(b1.equals(a1)).toBe(true);
    expect(a.size).toBeGreaterThan(0);
    // Clearing one table leaves the other's history alone.
    a.clear();
    expect(a.size).toBe(0);
    expect(b.scan().find((p) => p.pid === child.pid)).toBe(b1);
    expect(a.scan().find((p) => p.pid === child.pid)).not.toBe(a1);
  });

  it('separate cpuPercent histories: the first call on each table\'s object is 0', () => {
    const a = new ProcessTable();
    const b = new ProcessTable();
    const pa = a.scan().find((p) => p.pid === process.pid)!;
    expect(pa.cpuPercent()).toBe(0);
    const pb = b.scan().find((p) => p.pid === process.pid)!;
    expect(pb.cpuPercent()).toBe(0);
    // a's object has a previous sample now, b's history is its own.
    expect(a.scan().find((p) => p.pid === process.pid)).toBe(pa);
    expect(Number.isFinite(pa.cpuPercent())).toBe(true);
  });

  it('info from attrs, a value for denied ones', () => {
    const t = new ProcessTable();
    const p = t.scan({ attrs: ['name', 'cmdline', 'username'] }).find((x) => x.pid === child.pid)!;
    expect(p.info).toMatchObject({ name: 'sleep', cmdline: ['sleep', '600'] });
  });

  it('processIter and clearProcessTable are the default table', () => {
    clearProcessTable();
    expect(defaultProcessTable.size).toBe(0);
    const p = processIter().find((x) => x.pid === child.pid)!;
    expect(defaultProcessTable.scan().find((x) => x.pid === child.pid)).toBe(p);
    clearProcessTable();
    expect(defaultProcessTable.size).toBe(0);
  });

  it('scanAsync shares the table with scan', async () => {
    const t = new ProcessTable();
    const first = (await t.scanAsync()).find((x) => x.pid === child.pid)!;
    expect(t.scan().find((x) => x.pid === child.pid)).toBe(first);
  });
});

describe('scanProcessesAsync', () => {
  it('reads what scanProcesses reads (static fields of a sleeping child)', async () => {
    const opts = { pids: [child.pid!, 0x7ffffffe], sources: ['status', 'cmdline'] as const };
    const [a] = await scanProcessesAsync(opts);
    const [s] = scanProcesses(opts);
    expect(a!.tid).toBe(child.pid);
    expect(a!.stat).toEqual(s!.stat);
    expect(a!.cmdline).toBe(s!.cmdline);
    expect(a!.status!.uids).toEqual(s!.status!.uids);
  });
  it('lists processes only', async () => {
    await expect(scanProcessesAsync({ threads: true })).rejects.toThrow(TypeError);
  });
});
