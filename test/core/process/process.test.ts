/**
 * Process against the machine: every method versus psutil on the same live
 * process (this test process, a spawned `sleep`, pid 1), versus `ps` on a
 * spawned child, setters read back through ptools, ps, taskset, prlimit,
 * ionice and psutil; signals, wait, waitProcs, Popen, processIter.
 */
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { spawn as cpSpawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE, IOPRIO_CLASS_NONE, RLIMIT_CORE, RLIMIT_NOFILE, RLIM_INFINITY,
} from '../../../src/core/base/constants.js';
import { NoSuchProcess, TimeoutExpired } from '../../../src/core/base/errors.js';
import { pidExists, pids } from '../../../src/core/process/pids.js';
import { Popen, spawn } from '../../../src/core/process/popen.js';
import { Process, PROCESS_ATTRS, waitProcs } from '../../../src/core/process/process.js';
import { clearProcessTable, processIter } from '../../../src/core/process/table.js';
import { childStarter, sleepMs, until } from '../../helpers/children.js';
import { describeCommand, describePsutil, psutil, PYTHON, sh } from '../../helpers/oracle.js';

// ------------------------------------------------------------------ helpers

const start = childStarter();
const ORIG_PROCFS = getProcfsPath();

/** A child that has exec'd `comm` (a shell may still be between fork and exec). */
function startAs(comm: string, cmd: string, args: string[], opts: SpawnOptions = {}): { child: ChildProcess; proc: Process } {
  const child = start(cmd, args, opts);
  const proc = new Process(child.pid!);
  // `sleep` is briefly running after exec; tests compare it asleep
  until(() => proc.name() === comm && (comm !== 'sleep' || proc.status() === 'sleeping'));
  return { child, proc };
}

/** psutil's snake_case shape of a ptools value (camelCase keys → snake_case; an environment is left alone). */
function snake(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snake);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), k === 'environ' ? x : snake(x)]));
  }
  return v;
}

/** Runs Python with psutil: `body` assigns `result`; each method call is wrapped as {v} or {e: exception class}. */
function py<T = any>(body: string, opts: { uid?: number; gid?: number } = {}): T {
  const script = `
import json, os, psutil, enum
def conv(o):
    if isinstance(o, enum.Enum): return o.value
    if hasattr(o, '_asdict'): return {k: conv(v) for k, v in o._asdict().items()}
    if isinstance(o, dict): return {str(k): conv(v) for k, v in o.items()}
    if isinstance(o, (list, tuple, set)): return [conv(v) for v in o]
    return o
def call(f):
    try: return {'v': conv(f())}
    except Exception as e: return {'e': type(e).__name__}
${body}
print(json.dumps(result))
`;
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 64 << 20, cwd: '/', ...opts });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** ptools' outcome of a call, shaped like py()'s call(): {v} or {e}. */
function outcome(f: () => unknown): { v?: unknown; e?: string } {
  try {
    return { v: snake(f()) };
  } catch (e) {
    return { e: (e as Error).name };
  }
}

const ALL_RLIMITS = Array.from({ length: 16 }, (_x, i) => i);

// ------------------------------------------------------------------ psutil: every method on live processes

describePsutil('Process vs psutil on live processes', () => {
  it('a spawned `sleep` with a known env, cwd and umask: every as_dict field equal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptools-cwd-'));
    const { child, proc } = startAs('sleep', 'sh', ['-c', 'umask 027; exec sleep 100'], { cwd: dir, env: { A: '1', B: 'two words', PATH: '/usr/bin:/bin' } });
    const ours = proc.asDict();
    const theirs = psutil<Record<string, unknown>>(`psutil.Process(${child.pid}).as_dict()`);
    const mine = snake(ours) as Record<string, unknown>;
    mine.connections = mine.net_connections;
    for (const extra of ['net_connections', 'pgid', 'sid', 'umask', 'sigmasks', 'getgroups', 'root']) delete mine[extra];
    // `sleep` is asleep: its times, memory, counters, cpu and maps do not move, so all are equal,
    // except pss and uss (and per map: pss, shared/private clean): other processes mapping the same
    // libc pages start and stop between the two reads, moving pages between shared and private (25%).
    for (const f of ['pss', 'uss']) {
      const a = (mine.memory_full_info as any)[f];
      const b = (theirs.memory_full_info as any)[f];
      expect(Math.abs(a - b), f).toBeLessThanOrEqual(0.25 * b);
      delete (mine.memory_full_info as any)[f];
      delete (theirs.memory_full_info as any)[f];
    }
    const moving = (m: any[]): void => m.forEach((x) => ['pss', 'shared_clean', 'private_clean'].forEach((k) => delete x[k]));
    moving(mine.memory_maps as any[]);
    moving(theirs.memory_maps as any[]);
    // create time: both are btime + ticks/HZ; psutil's float from Python may differ in the last bits
    expect(Math.abs((mine.create_time as number) - (theirs.create_time as number))).toBeLessThan(0.01);
    delete mine.create_time;
    delete theirs.create_time;
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    for (const k of Object.keys(theirs)) expect(mine[k], k).toEqual(theirs[k]);
    // the values we set
    // the shell adds PWD to what it was given
    expect(ours.environ).toEqual({ A: '1', B: 'two words', PATH: '/usr/bin:/bin', PWD: dir });
    expect(ours.cwd).toBe(dir);
    expect(ours.cmdline).toEqual(['sleep', '100']);
    expect(ours.exe).toBe(sh('sh', ['-c', 'readlink -f "$(command -v sleep)"']).trim());
    // pypsutil extras: umask from status, pgid/sid against os.getpgid/os.getsid, groups and root
    expect(proc.umask()).toBe(0o27);
    const ids = py<number[]>(`result = [os.getpgid(${child.pid}), os.getsid(${child.pid}), os.getgroups()]`);
    expect([proc.pgid(), proc.sid()]).toEqual(ids.slice(0, 2));
    expect(proc.getgroups().sort()).toEqual((ids[2] as unknown as number[]).sort());
    expect(proc.root()).toBe('/');
    rmSync(dir, { recursive: true, force: true });
  });

  it('this process: static values equal, moving ones within stated tolerances', () => {
    const me = new Process();
    const pid = process.pid;
    const ours = me.asDict({ attrs: ['ppid', 'name', 'exe', 'cmdline', 'uids', 'gids', 'terminal', 'createTime', 'nice', 'ionice', 'cpuAffinity', 'environ', 'cwd', 'username', 'status', 'cpuTimes', 'memoryInfo', 'ioCounters'] });
    const limits = ALL_RLIMITS.map((r) => me.rlimit(r));
    const theirs = py<Record<string, any>>(`
p = psutil.Process(${pid})
result = p.as_dict(['ppid', 'name', 'exe', 'cmdline', 'uids', 'gids', 'terminal', 'create_time', 'nice', 'ionice', 'cpu_affinity', 'environ', 'cwd', 'username', 'status', 'cpu_times', 'memory_info', 'io_counters'])
result = {k: conv(v) for k, v in result.items()}
result['rlimits'] = [list(p.rlimit(r)) for r in range(16)]
result['pgid'] = os.getpgid(${pid}); result['sid'] = os.getsid(${pid})
`);
    const cpuAfter = me.cpuTimes();
    const m = snake(ours) as Record<string, any>;
    for (const k of ['ppid', 'name', 'exe', 'cmdline', 'uids', 'gids', 'terminal', 'nice', 'ionice', 'cpu_affinity', 'environ', 'cwd', 'username']) {
      expect(m[k], k).toEqual(theirs[k]);
    }
    expect(limits).toEqual(theirs.rlimits);
    expect([me.pgid(), me.sid()]).toEqual([theirs.pgid, theirs.sid]);
    // psutil runs in a child while we wait: 10 ms covers float rounding of btime + ticks/HZ.
    expect(Math.abs(m.create_time - theirs.create_time)).toBeLessThan(0.01);
    // Our own threads (GC, compiler) may run while Python starts: psutil's CPU times lie between ours before and after.
    expect(theirs.cpu_times.user).toBeGreaterThanOrEqual(m.cpu_times.user);
    expect(theirs.cpu_times.user).toBeLessThanOrEqual(cpuAfter.user);
    expect(theirs.cpu_times.system).toBeGreaterThanOrEqual(m.cpu_times.system);
    expect(theirs.cpu_times.system).toBeLessThanOrEqual(cpuAfter.system);
    // The heap may grow a little between the two reads: rss within 16 MiB, vms within 256 MiB.
    expect(Math.abs(m.memory_info.rss - theirs.memory_info.rss)).toBeLessThan(16 << 20);
    expect(Math.abs(m.memory_info.vms - theirs.memory_info.vms)).toBeLessThan(256 << 20);
    // I/O counters only grow; spawning Python reads a little.
    expect(theirs.io_counters.read_count).toBeGreaterThanOrEqual(m.io_counters.read_count);
    expect(theirs.io_counters.read_chars).toBeGreaterThanOrEqual(m.io_counters.read_chars);
    expect(['running', 'sleeping']).toContain(m.status);
  });

  it('pid 1: static values equal', () => {
    const p = new Process(1);
    const attrs = ['ppid', 'name', 'exe', 'cmdline', 'uids', 'gids', 'terminal', 'createTime', 'nice', 'ionice', 'cpuAffinity', 'environ', 'cwd', 'username', 'numFds'];
    const ours = snake(p.asDict({ attrs })) as Record<string, any>;
    const theirs = py<Record<string, any>>(`
p = psutil.Process(1)
result = {k: conv(v) for k, v in p.as_dict(['ppid', 'name', 'exe', 'cmdline', 'uids', 'gids', 'terminal', 'create_time', 'nice', 'ionice', 'cpu_affinity', 'environ', 'cwd', 'username', 'num_fds']).items()}
result['rlimits'] = [list(p.rlimit(r)) for r in range(16)]
`);
    expect(Math.abs(ours.create_time - theirs.create_time)).toBeLessThan(0.01);
    delete ours.create_time;
    delete theirs.create_time;
    // num_fds of the init process moves as connections come and go: within 4.
    expect(Math.abs(ours.num_fds - theirs.num_fds)).toBeLessThanOrEqual(4);
    delete ours.num_fds;
    delete theirs.num_fds;
    const limits = theirs.rlimits;
    delete theirs.rlimits;
    expect(ours).toEqual(theirs);
    expect(ALL_RLIMITS.map((r) => p.rlimit(r))).toEqual(limits);
    expect(p.parent()).toBeNull();
    expect(p.ppid()).toBe(0);
  });

  it('sigmasks of a child that ignores HUP and USR1, decoded independently by Python from its status', () => {
    const { child, proc } = startAs('sleep', 'sh', ['-c', 'trap "" HUP USR1; exec sleep 60']);
    const m = proc.sigmasks();
    expect(m.ignored).toEqual(expect.arrayContaining([1, 10]));
    expect(m.caught).toEqual([]);
    const theirs = py<Record<string, number[]>>(`
masks = {}
for line in open('/proc/${child.pid}/status'):
    k, _, v = line.partition(':')
    if k in ('SigPnd', 'ShdPnd', 'SigBlk', 'SigIgn', 'SigCgt'):
        n = int(v.strip(), 16)
        masks[k] = [b + 1 for b in range(64) if n >> b & 1 and b + 1 not in (32, 33)]
result = masks`);
    expect(m).toEqual({ pending: theirs.SigPnd, processPending: theirs.ShdPnd, blocked: theirs.SigBlk, ignored: theirs.SigIgn, caught: theirs.SigCgt });
  });

  it('memoryPercent for every memtype equals psutil on a sleeping child (same MemTotal, same arithmetic)', () => {
    const { child, proc } = startAs('sleep', 'sleep', ['100']);
    const types = ['rss', 'vms', 'shared', 'text', 'lib', 'data', 'dirty', 'swap'] as const;
    const theirs = py<number[]>(`p = psutil.Process(${child.pid}); result = [p.memory_percent(t) for t in ${JSON.stringify([...types, 'uss'])}]`);
    expect(types.map((t) => proc.memoryPercent({ memtype: t }))).toEqual(theirs.slice(0, -1));
    // uss moves when other processes mapping the same file pages (libc) start or exit: within 25%
    expect(Math.abs(proc.memoryPercent({ memtype: 'uss' }) - theirs.at(-1)!)).toBeLessThanOrEqual(0.25 * theirs.at(-1)!);
    expect(() => proc.memoryPercent({ memtype: 'nope' as 'rss' })).toThrow(RangeError);
  });

  it('threads, num_threads and num_fds of a multi-threaded child equal psutil', async () => {
    // Four sleeping threads, all started before the child says "ready": nothing moves while both look.
    const { child, proc } = startAs('python3', '/usr/bin/python3', ['-c', 'import sys, threading, time\n[threading.Thread(target=time.sleep, args=(300,), daemon=True).start() for _ in range(4)]\nprint("ready", flush=True)\nsys.stdin.read()'], { stdio: ['pipe', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const theirs = py<any>(`p = psutil.Process(${child.pid}); result = [p.num_threads(), [t.id for t in p.threads()], p.num_fds()]`);
    expect([proc.numThreads(), proc.threads().map((t) => t.id), proc.numFds()]).toEqual(theirs);
  });

  it('open files, connections and memory maps are delegated with psutil results', () => {
    const script = "const fs=require('fs');const net=require('net');const fd=fs.openSync('/etc/hostname','r');fs.readSync(fd,Buffer.alloc(2));net.createServer().listen(0,'127.0.0.1',()=>{});setInterval(()=>{},1000)";
    const { child, proc } = startAs('node', process.execPath, ['-e', script]);
    until(() => proc.netConnections().length > 0);
    const theirs = py<any>(`p = psutil.Process(${child.pid}); result = [conv(p.open_files()), conv(p.connections()), sorted(set(m.path for m in p.memory_maps()))]`);
    expect(snake(proc.openFiles())).toEqual(theirs[0]);
    expect(proc.openFiles().find((f) => f.path === '/etc/hostname')?.position).toBe(2);
    // psutil's empty address is (); ours is null
    const conns = proc.netConnections().map((c) => ({ ...c, laddr: c.laddr ?? [], raddr: c.raddr ?? [] }));
    expect(conns).toEqual(theirs[1]);
    expect([...new Set(proc.memoryMaps().map((m) => m.path))].sort()).toEqual(theirs[2]);
    expect(proc.connections()).toEqual(proc.netConnections());
  });

  it('pids() and pidExists() agree with psutil (thread ids are not pids)', () => {
    // Processes come and go between the calls (other test runs on this machine churn them by the
    // hundred): psutil's list is bracketed by two of ours. A pid listed by both, with the same start
    // time in both, was there all along, so psutil lists it too.
    const startOf = (pid: number): string | null => {
      try {
        const t = readFileSync(`/proc/${pid}/stat`, 'latin1');
        return t.slice(t.lastIndexOf(')') + 2).split(' ')[19] ?? null;
      } catch {
        return null;
      }
    };
    const ours = pids();
    const starts = new Map(ours.map((p) => [p, startOf(p)]));
    const theirs = psutil<number[]>('psutil.pids()');
    const ours2 = pids();
    const stable = ours2.filter((p) => starts.get(p) != null && starts.get(p) === startOf(p));
    expect(stable.length).toBeGreaterThan(10);
    expect(stable.filter((p) => !theirs.includes(p))).toEqual([]);
    expect(ours).toEqual([...ours].sort((a, b) => a - b));
    expect(pidExists(process.pid)).toBe(true);
    expect(pidExists(1)).toBe(true);
    expect(pidExists(0)).toBe(false);
    expect(pidExists(-1)).toBe(false);
    expect(pidExists(0x7ffffffe)).toBe(false);
    // a thread of this process: kill(tid, 0) succeeds but it is no process
    const { proc } = startAs('node', process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    until(() => proc.numThreads() > 1);
    const tid = proc.threads().map((t) => t.id).find((t) => t !== proc.pid)!;
    expect(pidExists(tid)).toBe(false);
    expect(psutil<boolean>(`psutil.pid_exists(${tid})`)).toBe(false);
  });
});

// ------------------------------------------------------------------ ps

describeCommand('ps', 'Process vs ps on a spawned child', () => {
  it('ppid, uid, user, rss, vsz, nice, stat, args, comm, psr, nlwp, tty, lstart', () => {
    const { child, proc } = startAs('sleep', 'sleep', ['77']);
    const fields = ['ppid', 'uid', 'user', 'rss', 'vsz', 'nice', 'stat', 'args', 'comm', 'psr', 'nlwp', 'tty', 'lstart'];
    const ps: Record<string, string> = {};
    for (const f of fields) ps[f] = sh('ps', ['--no-headers', '-p', String(child.pid), '-o', `${f}=`]).trim();
    const mem = proc.memoryInfo();
    expect(Number(ps.ppid)).toBe(proc.ppid());
    expect(Number(ps.uid)).toBe(proc.uids().effective);
    expect(ps.user).toBe(proc.username());
    // ps prints KiB
    expect(Number(ps.rss)).toBe(mem.rss / 1024);
    expect(Number(ps.vsz)).toBe(mem.vms / 1024);
    expect(Number(ps.nice)).toBe(proc.nice());
    expect(ps.stat[0]).toBe('S');
    expect(proc.status()).toBe('sleeping');
    expect(ps.args).toBe(proc.cmdline().join(' '));
    expect(ps.comm).toBe(proc.name());
    expect(Number(ps.psr)).toBe(proc.cpuNum());
    expect(Number(ps.nlwp)).toBe(proc.numThreads());
    expect(ps.tty).toBe('?');
    expect(proc.terminal()).toBeNull();
    // lstart is local time to the second: our creation time, truncated
    const lstart = Date.parse(ps.lstart) / 1000;
    expect(lstart).toBe(Math.floor(proc.createTime()));
  });

  it('a process with a terminal (under `script`): tty matches ps and psutil', () => {
    const c = start('script', ['-qfc', 'sleep 60', '/dev/null']);
    let sleeper: Process | undefined;
    until(() => {
      sleeper = new Process(c.pid!).children({ recursive: true }).find((p) => p.name() === 'sleep');
      return sleeper !== undefined;
    });
    const tty = sleeper!.terminal();
    expect(tty).toMatch(/^\/dev\/pts\/\d+$/);
    expect(sh('ps', ['--no-headers', '-p', String(sleeper!.pid), '-o', 'tty=']).trim()).toBe(tty!.slice(5));
    expect(psutil(`psutil.Process(${sleeper!.pid}).terminal()`)).toBe(tty);
  });
});

// ------------------------------------------------------------------ setters

describePsutil('setters on a child, read back through ptools, the tools and psutil', () => {
  it('nice', () => {
    const { child, proc } = startAs('sleep', 'sleep', ['60']);
    proc.nice(7);
    expect(proc.nice()).toBe(7);
    expect(sh('ps', ['--no-headers', '-o', 'ni=', '-p', String(child.pid)]).trim()).toBe('7');
    expect(psutil(`psutil.Process(${child.pid}).nice()`)).toBe(7);
    expect(() => proc.nice(1.5)).toThrow(TypeError);
  });

  it('ionice', () => {
    const { child, proc } = startAs('sleep', 'sleep', ['60']);
    expect(proc.ionice()).toEqual({ ioclass: IOPRIO_CLASS_NONE, value: 0 });
    proc.ionice(IOPRIO_CLASS_BE, 5);
    expect(proc.ionice()).toEqual({ ioclass: IOPRIO_CLASS_BE, value: 5 });
    expect(sh('ionice', ['-p', String(child.pid)]).trim()).toBe('best-effort: prio 5');
    expect(psutil(`psutil.Process(${child.pid}).ionice()`)).toEqual({ ioclass: 2, value: 5 });
    proc.ionice(IOPRIO_CLASS_IDLE);
    expect(proc.ionice()).toEqual({ ioclass: IOPRIO_CLASS_IDLE, value: 0 });
    expect(sh('ionice', ['-p', String(child.pid)]).trim()).toBe('idle');
    // psutil's checks
    expect(() => proc.ionice(IOPRIO_CLASS_IDLE, 3)).toThrow(RangeError);
    expect(() => proc.ionice(IOPRIO_CLASS_BE, 8)).toThrow(RangeError);
    expect(() => proc.ionice(9)).toThrow(RangeError);
    expect(() => (proc.ionice as (a?: number, b?: number) => unknown)(undefined, 3)).toThrow(TypeError);
  });

  it('rlimit', () => {
    const { child, proc } = startAs('sleep', 'sleep', ['60']);
    proc.rlimit(RLIMIT_NOFILE, [100, 200]);
    expect(proc.rlimit(RLIMIT_NOFILE)).toEqual([100, 200]);
    expect(sh('prlimit', ['--pid', String(child.pid), '--nofile', '--noheadings', '-o', 'SOFT,HARD']).trim().split(/\s+/)).toEqual(['100', '200']);
    expect(psutil(`psutil.Process(${child.pid}).rlimit(psutil.RLIMIT_NOFILE)`)).toEqual([100, 200]);
    proc.rlimit(RLIMIT_CORE, [RLIM_INFINITY, RLIM_INFINITY]);
    expect(proc.rlimit(RLIMIT_CORE)).toEqual([-1, -1]);
    expect(sh('prlimit', ['--pid', String(child.pid), '--core', '--noheadings', '-o', 'SOFT,HARD']).trim().split(/\s+/)).toEqual(['unlimited', 'unlimited']);
    expect(psutil(`psutil.Process(${child.pid}).rlimit(psutil.RLIMIT_CORE) == (psutil.RLIM_INFINITY,) * 2`)).toBe(true);
    expect(() => proc.rlimit(RLIMIT_NOFILE, [1] as unknown as [number, number])).toThrow(TypeError);
    expect(() => proc.rlimit(RLIMIT_NOFILE, [300, 200])).toThrow(/current limit exceeds maximum limit/);
    expect(() => proc.rlimit(RLIMIT_NOFILE, [RLIM_INFINITY, 200])).toThrow(RangeError);
    // psutil refuses it too (ValueError), and nothing changed
    expect(py(`p = psutil.Process(${child.pid})\nresult = call(lambda: p.rlimit(psutil.RLIMIT_NOFILE, (300, 200)))`)).toEqual({ e: 'ValueError' });
    expect(proc.rlimit(RLIMIT_NOFILE)).toEqual([100, 200]);
  });

  it('cpu affinity', () => {
    const { child, proc } = startAs('sleep', 'sleep', ['60']);
    const all = proc.cpuAffinity();
    proc.cpuAffinity([0]);
    expect(proc.cpuAffinity()).toEqual([0]);
    expect(sh('taskset', ['-p', String(child.pid)]).trim()).toBe(`pid ${child.pid}'s current affinity mask: 1`);
    expect(psutil(`psutil.Process(${child.pid}).cpu_affinity()`)).toEqual([0]);
    // [] means every CPU (psutil's documented meaning; its code re-reads Cpus_allowed_list, which is the current mask)
    proc.cpuAffinity([]);
    expect(proc.cpuAffinity()).toEqual(all);
    expect(psutil(`psutil.Process(${child.pid}).cpu_affinity()`)).toEqual(all);
    expect(() => proc.cpuAffinity([4096])).toThrow(/invalid CPU number 4096/);
    expect(() => proc.cpuAffinity([-1])).toThrow(RangeError);
  });
});

// ------------------------------------------------------------------ signals, wait, Popen

describe('signals and waiting', () => {
  it('suspend and resume: stopped and sleeping again (ps agrees)', () => {
    const { child, proc } = startAs('sleep', 'sleep', ['60']);
    proc.suspend();
    until(() => proc.status() === 'stopped');
    expect(sh('ps', ['--no-headers', '-o', 'stat=', '-p', String(child.pid)]).trim()[0]).toBe('T');
    proc.resume();
    until(() => proc.status() === 'sleeping');
  });

  it('Popen: a Process with stdio and exit codes; wait() returns the code (minus the signal)', async () => {
    const p = spawn('sh', ['-c', 'echo hi; read x; exit 3']);
    expect(p).toBeInstanceOf(Process);
    expect(p.name()).toBe('sh');
    expect(p.returncode).toBeNull();
    expect(() => p.wait({ timeout: 0.1 })).toThrow(TimeoutExpired);
    p.stdin!.end('x\n');
    const out: Buffer[] = [];
    p.stdout!.on('data', (b: Buffer) => out.push(b));
    await new Promise((r) => p.stdout!.once('end', r));
    // The shell may not have exited yet: wait blocks until it has, reading the status from its zombie.
    expect(p.wait()).toBe(3);
    expect(p.returncode).toBe(3);
    expect(Buffer.concat(out).toString()).toBe('hi\n');
    // reaped by now or not (the loop ran while we read stdout): a zombie, or terminated
    expect(p.toString()).toMatch(/^ptools\.Popen\(pid=\d+, name='sh', status='(zombie|terminated)', exitcode=3, started='\d\d:\d\d:\d\d'\)$/);
    await new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once('exit', r)));
    expect(p.wait()).toBe(3);

    const k = spawn('sleep', ['60']);
    k.terminate();
    expect(k.wait({ timeout: 5 })).toBe(-15);
    expect(k.isRunning()).toBe(true); // still a zombie until the loop reaps it
    await new Promise((r) => (k.child.exitCode !== null || k.child.signalCode !== null ? r(null) : k.child.once('exit', r)));
    expect(k.returncode).toBe(-15);
    expect(k.isRunning()).toBe(false);
    // signals through a stale Popen are refused, never sent to whoever has the pid now
    expect(() => k.kill()).toThrow(NoSuchProcess);
  });

  it('Popen of a missing program throws ENOENT at once', () => {
    expect(() => spawn('/nonexistent/ptools-no-such-program')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => new Popen('ptools-no-such-program-on-path')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('wait() on a process that is not our child: pidfd, no busy loop, null', () => {
    // sh forks `sleep 0.5` and execs `sleep 30`: the short sleep is our grandchild.
    const c = start('sh', ['-c', 'sleep 0.5 & exec sleep 30']);
    const parent = new Process(c.pid!);
    let gc: Process | undefined;
    until(() => {
      gc = parent.children().find((p) => p.cmdline().join(' ') === 'sleep 0.5');
      return gc !== undefined;
    });
    const me = new Process();
    const cpu0 = me.cpuTimes();
    const t0 = performance.now();
    // Returning (not TimeoutExpired) means the exit woke it, before the 10 s timeout.
    expect(gc!.wait({ timeout: 10 })).toBeNull();
    const waited = (performance.now() - t0) / 1000;
    const cpu1 = me.cpuTimes();
    // Its parent (`sleep 30`) never reaps it: it has exited, a zombie.
    expect(gc!.status()).toBe('zombie');
    // A blocking poll, not a loop: the wait costs a small part of the CPU a loop would burn
    // over the same wall time (a quarter; 0.1 s more for our other threads).
    expect(cpu1.user + cpu1.system - cpu0.user - cpu0.system).toBeLessThan(waited / 4 + 0.1);
    expect(gc!.returncode).toBeNull();
    // a process that is already gone: null at once
    expect(gc!.wait()).toBeNull();
  });

  it('wait() with a timeout raises TimeoutExpired carrying pid and seconds', () => {
    const { proc } = startAs('sleep', 'sleep', ['60']);
    const e = (() => {
      try {
        proc.wait({ timeout: 0.05 });
      } catch (err) {
        return err as TimeoutExpired;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(TimeoutExpired);
    expect(e!.pid).toBe(proc.pid);
    expect(e!.seconds).toBe(0.05);
    expect(() => proc.wait({ timeout: -1 })).toThrow(RangeError);
  });

  it('waitProcs: gone with return codes and callbacks, alive after the timeout', () => {
    const quick = [spawn('sh', ['-c', 'exit 4']), spawn('sh', ['-c', 'sleep 0.2; exit 5'])];
    const slow = spawn('sleep', ['30']);
    const seen: number[] = [];
    const t0 = performance.now();
    const { gone, alive } = waitProcs([...quick, slow], { timeout: 1.5, callback: (p) => seen.push(p.pid) });
    const took = performance.now() - t0;
    expect(gone.map((p) => p.pid).sort()).toEqual(quick.map((p) => p.pid).sort());
    expect(gone.map((p) => p.returncode).sort()).toEqual([4, 5]);
    expect(seen.sort()).toEqual(quick.map((p) => p.pid).sort());
    // `slow` still alive shows waitProcs gave up at its timeout rather than waiting for it.
    expect(alive).toEqual([slow]);
    expect(took).toBeGreaterThan(1400);
    slow.kill();
    expect(waitProcs([slow], { timeout: 5 }).gone).toEqual([slow]);
    expect(slow.returncode).toBe(-9);
  });

  it('pid 0 is refused by signals (psutil) and Process(-1) by the constructor', () => {
    expect(() => new Process(-1)).toThrow(RangeError);
    expect(() => new Process(1.5)).toThrow(TypeError);
    expect(() => new Process(0x7ffffffe)).toThrow(NoSuchProcess);
  });
});

// ------------------------------------------------------------------ family, identity, oneshot, repr

describe('family, identity, oneshot, repr', () => {
  it('children (direct and recursive), parent and parents', () => {
    const c = start('sh', ['-c', 'sleep 30 & sleep 31 & (sleep 32 & wait) & wait']);
    const top = new Process(c.pid!);
    until(() => top.children({ recursive: true }).filter((p) => p.name() === 'sleep').length === 3);
    const direct = top.children();
    const all = top.children({ recursive: true });
    expect(direct.length).toBe(3); // sleep 30, sleep 31, the subshell
    expect(all.length).toBe(4);
    expect(all.map((p) => p.cmdline().join(' ')).filter((s) => s.startsWith('sleep')).sort()).toEqual(['sleep 30', 'sleep 31', 'sleep 32']);
    const theirs = psutil<number[][]>(`[sorted(p.pid for p in psutil.Process(${c.pid}).children(r)) for r in (False, True)]`);
    expect([direct.map((p) => p.pid).sort(), all.map((p) => p.pid).sort()]).toEqual(theirs);
    const deep = all.find((p) => p.cmdline().join(' ') === 'sleep 32')!;
    expect(deep.parent()!.parent()!.equals(top)).toBe(true);
    const chain = deep.parents().map((p) => p.pid);
    expect(chain.slice(0, 3)).toEqual([deep.ppid(), c.pid, process.pid]);
    expect(chain.at(-1)).toBe(1);
    expect(psutil<number[]>(`[p.pid for p in psutil.Process(${deep.pid}).parents()]`)).toEqual(chain);
  });

  it('equals compares pid and start time; isRunning follows identity', () => {
    const a = new Process();
    const b = new Process(process.pid);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(new Process(1))).toBe(false);
    expect(a.equals({ pid: process.pid })).toBe(false);
    expect(a.isRunning()).toBe(true);
  });

  it('oneshot: one read of stat and status feeds every method; values equal the uncached ones', () => {
    const { proc } = startAs('sleep', 'sleep', ['60']);
    const plain = proc.asDict({ attrs: ['name', 'ppid', 'status', 'uids', 'gids', 'numThreads', 'cpuTimes', 'memoryInfo'] });
    const cached = proc.oneshot(() => ({
      name: proc.name(), ppid: proc.ppid(), status: proc.status(), uids: proc.uids(), gids: proc.gids(),
      numThreads: proc.numThreads(), cpuTimes: proc.cpuTimes(), memoryInfo: proc.memoryInfo(),
    }));
    expect(cached).toEqual(plain);
    // inside oneshot the process can die and the cached answers stay consistent
    proc.oneshot(() => {
      const before = proc.ppid();
      proc.kill();
      sleepMs(50);
      expect(proc.ppid()).toBe(before);
      expect(proc.name()).toBe('sleep');
    });
  });

  it('asDict: attrs, snake_case names, adValue for AccessDenied/ZombieProcess, invalid names', () => {
    const me = new Process();
    expect(Object.keys(me.asDict({ attrs: ['pid', 'name'] }))).toEqual(['pid', 'name']);
    expect(me.asDict({ attrs: ['cpu_times', 'num_threads'] })).toHaveProperty('cpu_times.user');
    expect(() => me.asDict({ attrs: ['nope'] })).toThrow(/invalid attr name 'nope'/);
    expect(Object.keys(me.asDict()).sort()).toEqual([...PROCESS_ATTRS].sort());
  });

  it('toString is psutil repr-like', () => {
    const s = new Process(1).toString();
    expect(s).toMatch(/^ptools\.Process\(pid=1, name='[^']+', status='[a-z-]+', started='[\d: -]+'\)$/);
    const theirs = psutil<string>('repr(psutil.Process(1))');
    expect(s.replace(/^ptools\./, 'psutil.')).toBe(theirs);
  });

  it('cpuPercent: 0 first, then about 100 for a busy child; blocking with interval', () => {
    const { proc } = startAs('node', process.execPath, ['-e', 'for(;;){}']);
    expect(proc.cpuPercent()).toBe(0);
    sleepMs(500);
    const v = proc.cpuPercent();
    // one busy thread: up to 100% of a CPU (never much more); other tests may share the 2 CPUs: > 20
    expect(v).toBeGreaterThan(20);
    expect(v).toBeLessThan(110);
    const b = proc.cpuPercent({ interval: 0.3 });
    expect(b).toBeGreaterThan(20);
    expect(b).toBeLessThan(110);
    expect(() => proc.cpuPercent({ interval: -1 })).toThrow(RangeError);
    proc.kill();
  });
});

// ------------------------------------------------------------------ processIter

describePsutil('processIter', () => {
  afterEach(() => clearProcessTable());

  it('lists every process with info for the ps aux attrs; names and users equal psutil', () => {
    const attrs = ['username', 'pid', 'cpuPercent', 'memoryPercent', 'memoryInfo', 'terminal', 'status', 'createTime', 'cmdline', 'name', 'cpuTimes'];
    const ours = processIter({ attrs });
    const theirs = psutil<Array<Record<string, any>>>(
      "[p.info for p in psutil.process_iter(['username', 'pid', 'name', 'cmdline', 'terminal', 'create_time', 'status'])]",
    );
    // A scan after psutil's: a process whose name or command line differs between our two scans
    // exec'd meanwhile (a shell loop's `sh` becoming `sleep`) and is not compared.
    clearProcessTable();
    const later = new Map(processIter({ attrs: ['name', 'cmdline', 'createTime'] }).map((p) => [p.pid, p.info!]));
    const steady = (pid: number, i: Record<string, unknown>): boolean => {
      const l = later.get(pid);
      return l !== undefined && l.createTime === i.createTime && l.name === i.name && JSON.stringify(l.cmdline) === JSON.stringify(i.cmdline);
    };
    expect(ours.map((p) => p.pid)).toEqual([...ours.map((p) => p.pid)].sort((a, b) => a - b));
    const byPid = new Map(theirs.map((t) => [t.pid as number, t]));
    let same = 0;
    let compared = 0;
    for (const p of ours) {
      expect(Object.keys(p.info!)).toEqual(attrs);
      // Only a process the same in our scans before and after psutil's (not one that started, ended or
      // exec'd meanwhile): that one psutil lists too, as the same process.
      if (!steady(p.pid, p.info!)) continue;
      const t = byPid.get(p.pid);
      expect(t, `${p.pid} (${String(p.info!.name)}), in both of our scans, is missing from psutil's`).toBeDefined();
      expect(Math.abs(t!.create_time - (p.info!.createTime as number)), String(p.pid)).toBeLessThanOrEqual(0.01);
      same++;
      // racing: a zombie may be reaped, kernel workers rename themselves as they work
      if (p.info!.status === 'zombie' || /^kworker\//.test(t!.name)) continue;
      expect([p.info!.username, p.info!.name, p.info!.cmdline, p.info!.terminal], String(p.pid)).toEqual([t!.username, t!.name, t!.cmdline, t!.terminal]);
      compared++;
    }
    expect(same).toBeGreaterThan(10);
    expect(compared).toBeGreaterThan(10);
  });

  it('keeps Process objects between calls (cpuPercent works across iterations) and drops the dead', () => {
    const { child } = startAs('node', process.execPath, ['-e', 'for(;;){}']);
    const first = processIter({ attrs: ['cpuPercent'] });
    const a = first.find((p) => p.pid === child.pid)!;
    expect(a.info!.cpuPercent).toBe(0);
    sleepMs(400);
    const second = processIter({ attrs: ['cpuPercent'] });
    const b = second.find((p) => p.pid === child.pid)!;
    expect(b).toBe(a);
    // busy (an idle process shows 0); other test files may share the 2 CPUs, so not necessarily ~100
    expect(b.info!.cpuPercent as number).toBeGreaterThan(20);
    child.kill('SIGKILL');
    until(() => !processIter().some((p) => p.pid === child.pid && p.status() !== 'zombie'));
  });

  it('without attrs: Process objects only, no info', () => {
    const ps = processIter();
    expect(ps.length).toBeGreaterThan(1);
    expect(ps.every((p) => p.info === undefined)).toBe(true);
    expect(ps.some((p) => p.pid === process.pid)).toBe(true);
  });

  it('rejects invalid attrs', () => {
    expect(() => processIter({ attrs: ['bogus'] })).toThrow(RangeError);
  });
});

// a symlinked sleep whose name starts like a long comm (name extension from cmdline)
describePsutil('names: truncated comm extended from cmdline only on a prefix match', () => {
  it('long names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptools-names-'));
    const exe = join(dir, 'averyveryverylongname');
    symlinkSync(sh('sh', ['-c', 'command -v sleep']).trim(), exe);
    const long = startAs('averyveryverylongname', exe, ['60']).proc;
    // argv[0] is something else: the 15-byte comm stays
    const c = start('bash', ['-c', `exec -a fakename ${exe} 60`]);
    const other = new Process(c.pid!);
    until(() => other.cmdline()[0] === 'fakename');
    expect(long.name()).toBe('averyveryverylongname');
    expect(other.name()).toBe('averyveryverylo');
    expect(psutil<string[]>(`[psutil.Process(${long.pid}).name(), psutil.Process(${other.pid}).name()]`)).toEqual([long.name(), other.name()]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describePsutil('threads() order on a procfs tree whose task ids cross a digit boundary', () => {
  it('lists the task directory as psutil does: names sorted as strings (1000 before 995)', () => {
    const root = mkdtempSync(join(tmpdir(), 'ptools-tasks-'));
    try {
      const stat = (tid: number, ticks: number) =>
        `${tid} (t) S 1 995 995 0 -1 4194304 0 0 0 0 ${ticks} ${ticks + 1} 0 0 20 0 4 0 100 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;
      for (const tid of [995, 996, 999, 1000, 1001]) {
        mkdirSync(join(root, '995', 'task', String(tid)), { recursive: true });
        writeFileSync(join(root, '995', 'task', String(tid), 'stat'), stat(tid, tid - 990));
      }
      writeFileSync(join(root, '995', 'stat'), stat(995, 5));
      writeFileSync(join(root, 'stat'), 'cpu  1 1 1 1 1 1 1 1 1 1\nbtime 1700000000\n');
      setProcfsPath(root);
      const ours = new Process(995).threads().map((t) => t.id);
      const theirs = psutil<number[]>(`(setattr(psutil, 'PROCFS_PATH', ${JSON.stringify(root)}), [t.id for t in psutil._psplatform.Process(995).threads()])[1]`);
      expect(ours).toEqual([1000, 1001, 995, 996, 999]);
      expect(ours).toEqual(theirs);
    } finally {
      setProcfsPath(ORIG_PROCFS);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
