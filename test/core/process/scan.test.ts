/**
 * The one bulk scanner (core/process/scan) against psutil on live children:
 * sources read only when asked, static fields, terminal names, threads, a
 * pid that is gone.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scanProcesses } from '../../../src/core/process/scan.js';
import { ttyPath } from '../../../src/core/process/tty.js';
import { describePsutil, psutil, PYTHON } from '../../helpers/oracle.js';

// ------------------------------------------------------------------ the scan, live

describePsutil('scanProcesses vs psutil', () => {
  let kids: ChildProcess[] = [];
  let ptyChild: ChildProcess | undefined;
  let ptyPid = 0;

  beforeAll(async () => {
    kids = [spawn('sleep', ['600']), spawn('sleep', ['601'], { detached: true })];
    // A session on a pty: the child's controlling terminal is a /dev/pts node.
    ptyChild = spawn(PYTHON, ['-c', 'import pty,os,sys,time\npid,fd=pty.fork()\nif pid==0: os.execvp("sleep",["sleep","602"])\nprint(pid,flush=True)\ntime.sleep(600)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    ptyPid = await new Promise<number>((resolve) => ptyChild!.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    // Wait until the children have exec'd sleep.
    for (let i = 0; i < 100; i++) {
      const recs = scanProcesses({ pids: [...kids.map((k) => k.pid!), ptyPid], sources: ['cmdline'] });
      if (recs.length === 3 && recs.every((r) => r.cmdline?.startsWith('sleep'))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  afterAll(() => {
    for (const k of kids) k.kill('SIGKILL');
    try {
      process.kill(ptyPid, 'SIGKILL');
    } catch {
      /* gone */
    }
    ptyChild?.kill('SIGKILL');
  });

  it('reads only the sources asked for', () => {
    const [r] = scanProcesses({ pids: [kids[0]!.pid!] });
    expect(r!.status).toBeNull();
    expect(r!.cmdline).toBeNull();
    const [s] = scanProcesses({ pids: [kids[0]!.pid!], sources: ['status', 'cmdline', 'statm', 'wchan', 'ns', 'exe'] });
    expect(s!.status).not.toBeNull();
    expect(s!.cmdline).toBe('sleep\u0000600\u0000');
    expect(s!.ns).toHaveLength(8);
    expect(s!.exe).toMatch(/sleep$/);
  });

  it('agrees with psutil on the sleeping children (static fields exactly, memory bracketed)', () => {
    const pids = [...kids.map((k) => k.pid!), ptyPid];
    const recs = scanProcesses({ pids, sources: ['status', 'statm', 'cmdline'] });
    const ref = psutil<Record<string, { ppid: number; uids: { real: number; effective: number }; num_threads: number; cmdline: string[]; nice: number; memory_info: { rss: number; vms: number }; status: string }>>(
      `{p.pid: p.as_dict(['ppid','uids','num_threads','cmdline','nice','memory_info','status']) for p in map(psutil.Process, [${pids.join(',')}])}`,
    );
    const after = new Map(scanProcesses({ pids, sources: ['statm'] }).map((r) => [r.tid, r]));
    const page = Number(spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).stdout.trim());
    for (const r of recs) {
      const p = ref[String(r.tid)]!;
      expect(r.stat.ppid).toBe(p.ppid);
      expect(r.status!.uids!.real).toBe(p.uids.real);
      expect(r.stat.numThreads).toBe(p.num_threads);
      expect(r.cmdline!.split('\0').filter(Boolean)).toEqual(p.cmdline);
      expect(r.stat.nice).toBe(p.nice);
      // Memory is not static: a child just exec'd may still be faulting pages in, and the kernel may
      // reclaim some under pressure. psutil's reading lies between ours before and after it.
      const a = after.get(r.tid)!;
      const [rss0, rss1] = [r.statm!.resident * page, a.statm!.resident * page];
      expect(p.memory_info.rss).toBeGreaterThanOrEqual(Math.min(rss0, rss1));
      expect(p.memory_info.rss).toBeLessThanOrEqual(Math.max(rss0, rss1));
      expect(p.memory_info.vms).toBeGreaterThanOrEqual(Math.min(r.stat.vsize, a.stat.vsize));
      expect(p.memory_info.vms).toBeLessThanOrEqual(Math.max(r.stat.vsize, a.stat.vsize));
    }
  });

  it('names the pty the way psutil does', () => {
    const [r] = scanProcesses({ pids: [ptyPid] });
    const t = psutil<string | null>(`psutil.Process(${ptyPid}).terminal()`);
    expect(t).toMatch(/^\/dev\/pts\/\d+$/);
    expect(ttyPath(r!.stat.ttyNr, ptyPid)).toBe(t);
    expect(ttyPath(0, ptyPid)).toBeNull();
  });

  it('threads: the leader (from the process files) then each thread', () => {
    const recs = scanProcesses({ pids: [process.pid], threads: true });
    const ref = psutil<{ id: number }[]>(`psutil.Process(${process.pid}).threads()`);
    expect(recs[0]!.tid).toBe(process.pid);
    expect(recs.every((r) => r.tgid === process.pid)).toBe(true);
    // Node starts and ends helper threads; most are there both times.
    const ours = new Set(recs.map((r) => r.tid));
    expect(ref.filter((t) => ours.has(t.id)).length).toBeGreaterThanOrEqual(Math.min(ref.length, recs.length) - 2);
  });

  it('a pid that is gone is left out', () => {
    expect(scanProcesses({ pids: [2147483646] })).toEqual([]);
  });
});

