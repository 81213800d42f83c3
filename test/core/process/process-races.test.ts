/**
 * The hard cases: processes that exit in the middle of a scan, a zombie, a
 * process owned by nobody (and reads done as nobody: AccessDenied where
 * psutil gives it), a pid "reused" after the Process was made (a fixture
 * procfs whose stat has another start time: nothing may be signalled),
 * kernel threads, names with spaces and parentheses; processIter on a
 * fixture procfs tree (identity, missing files, zombies).
 */
import { childStarter, sleepMs, until } from '../../helpers/children.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { spawn as cpSpawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bindingPath } from '../../../src/native/index.js';
import { AccessDenied, NoSuchProcess, PtoolsError, ZombieProcess } from '../../../src/core/base/errors.js';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { Process, PROCESS_ATTRS } from '../../../src/core/process/process.js';
import { clearProcessTable, processIter } from '../../../src/core/process/table.js';
import { IOPRIO_CLASS_BE, RLIMIT_NOFILE } from '../../../src/core/base/constants.js';
import { describePsutil, psutil, PYTHON } from '../../helpers/oracle.js';
import { sanitizerEnv } from '../../helpers/sanitize.js';
import { sleepingIn } from '../../helpers/wait.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
const FIX = fixturePath('proc');

const origProc = getProcfsPath();
afterEach(() => {
  setProcfsPath(origProc);
  clearProcessTable();
});
const start = childStarter();

/** psutil outcome per method: {v: value} or {e: exception class name}. */
function pyOutcomes(pid: number, methods: string[], opts: { uid?: number; gid?: number } = {}): Record<string, { v?: unknown; e?: string }> {
  const script = `
import json, psutil, enum
def conv(o):
    if isinstance(o, enum.Enum): return o.value
    if hasattr(o, '_asdict'): return {k: conv(v) for k, v in o._asdict().items()}
    if isinstance(o, dict): return {str(k): conv(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)): return [conv(v) for v in o]
    return o
p = psutil.Process(${pid})
out = {}
for m in ${JSON.stringify(methods)}:
    try: out[m] = {'v': conv(getattr(p, m)())}
    except Exception as e: out[m] = {'e': type(e).__name__}
print(json.dumps(out))`;
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', cwd: '/', ...opts });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
function snake(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snake);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), k === 'environ' ? x : snake(x)]));
  }
  return v;
}
function ourOutcomes(p: Process, methods: string[]): Record<string, { v?: unknown; e?: string }> {
  const out: Record<string, { v?: unknown; e?: string }> = {};
  for (const m of methods) {
    try {
      const v = (p as unknown as Record<string, () => unknown>)[camel(m)]!.call(p);
      out[m] = { v: m === 'environ' ? v : snake(v) };
    } catch (e) {
      out[m] = { e: (e as Error).name };
    }
  }
  return out;
}

// ------------------------------------------------------------------ exits mid-scan

describe('processes that exit during a scan', () => {
  it('processIter and asDict never throw anything but NoSuchProcess while hundreds of processes come and go', { timeout: 180_000 }, () => {
    // Short-lived processes, started by a shell that runs independently of our (blocked) loop, until we
    // stop it — or, should this worker die first (a sanitizer abort under make test-sanitize), until
    // it sees its parent gone: a detached loop would otherwise churn forever.
    const churn = cpSpawn('sh', ['-c', 'while kill -0 $PPID 2>/dev/null; do /bin/true & /bin/sleep 0.01 & /bin/true; done'], { stdio: 'ignore', detached: true });
    const attrs = PROCESS_ATTRS.filter((a) => !['memoryMaps', 'openFiles', 'netConnections'].includes(a));
    let scans = 0;
    let checked = 0;
    let gone = 0;
    const seen = new Set<number>();
    // At least 2.5 s of churn, and on until enough scans and checks were done
    // (a loaded machine scans slower); the cap only stops a loop that cannot
    // get there, which the assertions below then report.
    const end = Date.now() + 2500;
    const cap = Date.now() + 120_000;
    const enough = () => scans >= 3 && seen.size > 50 && checked + gone >= 45;
    try {
      while ((Date.now() < end || !enough()) && Date.now() < cap) {
        const list = processIter({ attrs: ['username', 'pid', 'cpuPercent', 'memoryPercent', 'memoryInfo', 'terminal', 'status', 'createTime', 'cmdline', 'name', 'cpuTimes'] });
        scans++;
        for (const p of list) seen.add(p.pid);
        // every attribute, on the newest processes (the ones most likely to vanish)
        for (const p of list.slice(-15)) {
          try {
            p.asDict({ attrs: [...attrs, 'memoryMaps', 'openFiles', 'netConnections'] });
            checked++;
          } catch (e) {
            if (!(e instanceof NoSuchProcess)) throw e;
            gone++;
          }
        }
      }
    } finally {
      // The churn's process group (detached, it leads one), also when the loop above threw.
      process.kill(-churn.pid!, 'SIGKILL');
    }
    // processes really came and went under the scans
    expect(seen.size).toBeGreaterThan(50);
    expect(scans).toBeGreaterThanOrEqual(3);
    expect(checked + gone).toBeGreaterThanOrEqual(45);
  });
});

// ------------------------------------------------------------------ zombie

describePsutil('a zombie (an exited child its parent does not reap)', () => {
  it('stays listed with status zombie; each method behaves like psutil (cmdline [], exe "", cwd ZombieProcess...)', () => {
    // sh forks `sleep 0` and becomes `sleep 30`, which never reaps it
    const c = start('sh', ['-c', 'sleep 0 & exec sleep 30']);
    const parent = new Process(c.pid!);
    let z: Process | undefined;
    until(() => {
      z = parent.children().find((p) => p.status() === 'zombie');
      return z !== undefined;
    });
    const zombie = z!;
    expect(zombie.name()).toBe('sleep');
    expect(zombie.ppid()).toBe(c.pid);
    expect(zombie.isRunning()).toBe(true);
    expect(processIter({ attrs: ['status', 'name'] }).find((p) => p.pid === zombie.pid)?.info).toEqual({ status: 'zombie', name: 'sleep' });
    const methods = ['name', 'exe', 'cmdline', 'environ', 'status', 'cwd', 'memory_full_info', 'memory_info', 'io_counters', 'num_fds',
      'threads', 'num_threads', 'terminal', 'nice', 'ionice', 'cpu_affinity', 'open_files', 'memory_maps', 'username', 'cpu_num',
      'num_ctx_switches', 'uids', 'gids', 'ppid', 'cpu_times'];
    const theirs = pyOutcomes(zombie.pid, methods);
    const ours = ourOutcomes(zombie, methods);
    // psutil maps ESRCH from environ to NoSuchProcess; ptools rechecks and finds a zombie: ZombieProcess (a NoSuchProcess).
    expect(theirs.environ).toEqual({ e: 'NoSuchProcess' });
    expect(ours.environ).toEqual({ e: 'ZombieProcess' });
    expect(() => zombie.environ()).toThrow(NoSuchProcess);
    delete theirs.environ;
    delete ours.environ;
    expect(ours).toEqual(theirs);
    expect(ours.cwd).toEqual({ e: 'ZombieProcess' });
    expect(ours.exe).toEqual({ v: '' });
    expect(ours.cmdline).toEqual({ v: [] });
    // pypsutil: a zombie has no Umask line → ZombieProcess; the error carries pid, name and ppid
    const err = (() => {
      try {
        zombie.umask();
      } catch (e) {
        return e as ZombieProcess;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ZombieProcess);
    expect([err!.pid, err!.processName, err!.ppid]).toEqual([zombie.pid, 'sleep', c.pid]);
    // asDict: adValue for the attributes a zombie cannot give
    const d = zombie.asDict({ attrs: ['cwd', 'status', 'environ'], adValue: 'AD' });
    expect(d).toEqual({ cwd: 'AD', status: 'zombie', environ: 'AD' });
    c.kill('SIGKILL');
  });
});

// ------------------------------------------------------------------ nobody

/** The module graph of process.ts compiled to a world-readable temp dir, with a copy of the addon. */
let nobodyDir: string | undefined;
function compileForNobody(): string {
  if (nobodyDir) return nobodyDir;
  const dir = mkdtempSync(join(tmpdir(), 'ptools-process-nobody-'));
  const r = spawnSync(process.execPath, [
    join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--outDir', dir, '--rootDir', join(ROOT, 'src'),
    '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--skipLibCheck', '--types', 'node',
    join(ROOT, 'src', 'core', 'process', 'process.ts'),
  ], { encoding: 'utf8', cwd: ROOT });
  if (!existsSync(join(dir, 'core', 'process', 'process.js'))) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  copyFileSync(bindingPath(), join(dir, 'ptools.node'));
  spawnSync('chmod', ['-R', 'a+rX', dir]);
  chmodSync(dir, 0o755);
  nobodyDir = dir;
  return dir;
}
afterAll(() => {
  if (nobodyDir) rmSync(nobodyDir, { recursive: true, force: true });
});

const NOBODY = { uid: 65534, gid: 65534 };

describePsutil('a process owned by nobody, and reads done as nobody', () => {
  beforeAll(() => {
    compileForNobody();
  }, 60_000);

  it('as root: a nobody process reads fully; username nobody; uids/gids/groups equal psutil', () => {
    const c = start('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sleep', '30']);
    const p = new Process(c.pid!);
    // Exec'd and asleep, its loader done: its I/O counters and memory no longer move.
    until(() => sleepingIn(c.pid!));
    expect(p.username()).toBe('nobody');
    expect(p.uids()).toEqual({ real: 65534, effective: 65534, saved: 65534 });
    expect(p.gids()).toEqual({ real: 65534, effective: 65534, saved: 65534 });
    expect(p.getgroups()).toEqual([]);
    const methods = ['username', 'uids', 'gids', 'cmdline', 'exe', 'cwd', 'environ', 'num_fds', 'io_counters', 'memory_info'];
    expect(ourOutcomes(p, methods)).toEqual(pyOutcomes(p.pid, methods));
  });

  it('a uid without a user name: username is the uid as a string (psutil)', () => {
    const c = start('setpriv', ['--reuid=54321', '--regid=54321', '--clear-groups', 'sleep', '30']);
    const p = new Process(c.pid!);
    until(() => p.name() === 'sleep');
    expect(p.username()).toBe('54321');
    expect(psutil(`psutil.Process(${c.pid}).username()`)).toBe('54321');
  });

  it('as nobody: AccessDenied exactly where psutil (also run as nobody) gives it, for pid 1 and a root child', () => {
    const dir = compileForNobody();
    const { child } = { child: start('sleep', ['30']) };
    until(() => sleepingIn(child.pid!));
    const methods = ['name', 'exe', 'cmdline', 'environ', 'cwd', 'status', 'username', 'uids', 'num_fds', 'io_counters', 'open_files',
      'memory_info', 'memory_full_info', 'memory_maps', 'connections', 'num_ctx_switches', 'num_threads', 'threads', 'nice', 'ionice',
      'cpu_affinity', 'terminal', 'cpu_times', 'create_time', 'ppid'];
    for (const pid of [1, child.pid!]) {
      const script = `
import { Process } from ${JSON.stringify(join(dir, 'core', 'process', 'process.js'))};
const camel = (s) => s.replace(/_([a-z])/g, (_m, c) => c.toUpperCase());
const snake = (v) => Array.isArray(v) ? v.map(snake) : v !== null && typeof v === 'object'
  ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()), k === 'environ' ? x : snake(x)])) : v;
const p = new Process(${pid});
const out = {};
for (const m of ${JSON.stringify(methods)}) {
  try { const v = p[camel(m)](); out[m] = { v: m === 'environ' ? v : snake(v) }; } catch (e) { out[m] = { e: e.name }; }
}
const d = p.asDict({ attrs: ['environ', 'name'], adValue: 'DENIED' });
out.asDict = { v: d };
console.log(JSON.stringify(out));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        ...NOBODY, encoding: 'utf8', cwd: '/', env: { PTOOLS_NATIVE: join(dir, 'ptools.node'), PATH: process.env.PATH, ...sanitizerEnv() },
      });
      expect(r.status, r.stderr).toBe(0);
      const ours = JSON.parse(r.stdout) as Record<string, { v?: unknown; e?: string }>;
      const theirs = pyOutcomes(pid, methods, NOBODY);
      // memory values and cpu times move (pid 1 works; the child is asleep, but keep the comparison to the outcome kind)
      for (const m of ['memory_info', 'cpu_times', 'num_ctx_switches', 'threads', 'num_threads']) {
        if (ours[m]?.v !== undefined && theirs[m]?.v !== undefined) {
          ours[m] = { v: 'value' };
          theirs[m] = { v: 'value' };
        }
      }
      if (typeof ours.create_time?.v === 'number' && typeof theirs.create_time?.v === 'number') {
        expect(Math.abs((ours.create_time.v as number) - (theirs.create_time.v as number))).toBeLessThan(0.01);
        delete ours.create_time;
        delete theirs.create_time;
      }
      expect(ours.asDict).toEqual({ v: { environ: 'DENIED', name: pid === 1 ? 'process_api' : 'sleep' } });
      delete ours.asDict;
      expect(ours, `pid ${pid}`).toEqual(theirs);
      // the denials themselves
      for (const m of ['environ', 'open_files', 'num_fds', 'io_counters', 'memory_full_info']) expect(ours[m], `${pid} ${m}`).toEqual({ e: 'AccessDenied' });
    }
  });
});

// ------------------------------------------------------------------ pid reuse

describe('a pid reused after the Process was made', () => {
  it('signals, setters, children and parent through the stale Process raise NoSuchProcess and touch nothing', () => {
    const victim = start('sleep', ['60']);
    const stale = new Process(victim.pid!);
    until(() => stale.name() === 'sleep');
    const niceBefore = stale.nice();
    const ioBefore = stale.ionice();
    const limBefore = stale.rlimit(RLIMIT_NOFILE);
    const affBefore = stale.cpuAffinity();
    // A procfs where this pid's stat has another start time: to ptools, the pid now names another
    // process. The real process behind the pid is expendable: if a check were missing, it would be hit.
    const tree = mkdtempSync(join(tmpdir(), 'ptools-reuse-'));
    mkdirSync(join(tree, String(victim.pid)));
    const stat = readFileSync(`/proc/${victim.pid}/stat`, 'utf8');
    const rpar = stat.lastIndexOf(')');
    const fields = stat.slice(rpar + 2).split(' ');
    fields[19] = String(Number(fields[19]) + 1234);
    writeFileSync(join(tree, String(victim.pid), 'stat'), stat.slice(0, rpar + 2) + fields.join(' '));
    // the control: the same tree with the true stat lets a harmless signal through
    const control = mkdtempSync(join(tmpdir(), 'ptools-reuse-ok-'));
    mkdirSync(join(control, String(victim.pid)));
    writeFileSync(join(control, String(victim.pid), 'stat'), stat);
    setProcfsPath(control);
    stale.sendSignal(0);
    setProcfsPath(tree);
    const attempts: Array<[string, () => unknown]> = [
      ['kill', () => stale.kill()],
      ['terminate', () => stale.terminate()],
      ['suspend', () => stale.suspend()],
      ['resume', () => stale.resume()],
      ['sendSignal', () => stale.sendSignal('SIGKILL')],
      ['nice', () => stale.nice(10)],
      ['ionice', () => stale.ionice(IOPRIO_CLASS_BE, 7)],
      ['rlimit', () => stale.rlimit(RLIMIT_NOFILE, [10, 10])],
      ['cpuAffinity', () => stale.cpuAffinity([0])],
      ['children', () => stale.children()],
      ['parent', () => stale.parent()],
    ];
    for (const [name, f] of attempts) {
      expect(f, name).toThrow(NoSuchProcess);
      expect(f, name).toThrow(/PID has been reused/);
    }
    expect(stale.isRunning()).toBe(false);
    setProcfsPath(origProc);
    // nothing happened to the real process
    const real = new Process(victim.pid!);
    expect(real.equals(stale)).toBe(true);
    expect(real.status()).toBe('sleeping');
    expect([real.nice(), real.ionice(), real.rlimit(RLIMIT_NOFILE), real.cpuAffinity()]).toEqual([niceBefore, ioBefore, limBefore, affBefore]);
    expect(victim.exitCode).toBeNull();
    expect(victim.signalCode).toBeNull();
    rmSync(tree, { recursive: true, force: true });
    rmSync(control, { recursive: true, force: true });
  });
});

// ------------------------------------------------------------------ kernel threads, odd names

describePsutil('kernel threads and odd names', () => {
  it('kthreadd (pid 2): no cmdline, no exe, as psutil; environ {} and zero uss where psutil errs', () => {
    const k = new Process(2);
    expect(k.name()).toBe('kthreadd');
    const methods = ['name', 'exe', 'cmdline', 'status', 'ppid', 'cwd', 'memory_info', 'num_fds', 'terminal', 'username', 'uids', 'open_files', 'memory_maps', 'nice', 'ionice', 'cpu_affinity'];
    expect(ourOutcomes(k, methods)).toEqual(pyOutcomes(2, methods));
    expect(k.cmdline()).toEqual([]);
    expect(k.exe()).toBe('');
    // psutil: environ → NoSuchProcess, memory_full_info → ZombieProcess (ESRCH, no mm). A live kernel thread has no
    // environment and no user memory: ptools answers {} and zeros.
    expect(pyOutcomes(2, ['environ', 'memory_full_info'])).toEqual({ environ: { e: 'NoSuchProcess' }, memory_full_info: { e: 'ZombieProcess' } });
    expect(k.environ()).toEqual({});
    expect(k.memoryFullInfo()).toMatchObject({ rss: 0, vms: 0, uss: 0, pss: 0, swap: 0 });
  });

  it('a comm with spaces and ")" (a symlinked sleep named "a b) (c"), as psutil', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptools-comm-'));
    const exe = join(dir, 'a b) (c');
    symlinkSync('/bin/sleep', exe);
    const c = start(exe, ['30']);
    const p = new Process(c.pid!);
    until(() => p.name() === 'a b) (c' && p.status() === 'sleeping');
    expect(p.cmdline()).toEqual([exe, '30']);
    expect(p.ppid()).toBe(process.pid);
    const theirs = psutil<any>(`[psutil.Process(${c.pid}).name(), psutil.Process(${c.pid}).cmdline(), psutil.Process(${c.pid}).ppid()]`);
    expect([p.name(), p.cmdline(), p.ppid()]).toEqual(theirs);
    expect(processIter({ attrs: ['name'] }).find((x) => x.pid === c.pid)?.info).toEqual({ name: 'a b) (c' });
    c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
});

// ------------------------------------------------------------------ a fixture procfs tree

describe('processIter and Process on a fixture procfs tree', () => {
  let tree: string;
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'ptools-proctree-'));
    writeFileSync(join(tree, 'stat'), 'cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 4 5 6 7 8 9 10\nbtime 1700000000\n');
    writeFileSync(join(tree, 'meminfo'), readFileSync('/proc/meminfo'));
    for (const [pid, src] of [[1, 'init'], [2, 'kthread'], [300, 'zombie'], [400, 'comm-parens'], [500, 'sleep']] as const) {
      cpSync(join(FIX, src), join(tree, String(pid)), { recursive: true });
    }
    copyFileSync(join(FIX, 'sleep', 'statm'), join(tree, '400', 'statm'));
    // not a process
    mkdirSync(join(tree, 'sys'));
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('lists every pid directory with the attributes read from the tree', () => {
    setProcfsPath(tree);
    const list = processIter({ attrs: ['pid', 'name', 'status', 'ppid', 'createTime', 'memoryInfo', 'cmdline'] });
    expect(list.map((p) => p.pid)).toEqual([1, 2, 300, 400, 500]);
    const info = Object.fromEntries(list.map((p) => [p.pid, p.info!]));
    expect(info[1]).toMatchObject({ name: 'process_api', status: 'sleeping', ppid: 0, createTime: 1700000000 + 25 / 100 });
    expect(info[2]).toMatchObject({ name: 'kthreadd', cmdline: [] });
    expect(info[300]).toMatchObject({ name: 'sleep', status: 'zombie', cmdline: [] });
    expect(info[400]).toMatchObject({ name: 'a b) (c', cmdline: ['/tmp/x/a b) (c', '60'] });
    expect(info[500]!.memoryInfo).toEqual({ rss: 378 * 4096, vms: 625 * 4096, shared: 353 * 4096, text: 5 * 4096, lib: 0, data: 89 * 4096, dirty: 0 });
    expect(info[2]!.memoryInfo).toMatchObject({ rss: 0, vms: 0 });
  });

  it('reads only the files the attrs need: a missing status does not matter unless asked for', () => {
    // 600: only a stat (a kernel without the other files, or a fixture without them)
    mkdirSync(join(tree, '600'));
    copyFileSync(join(FIX, 'sleep', 'stat'), join(tree, '600', 'stat'));
    setProcfsPath(tree);
    // 600 has only its stat: name/status/ppid need nothing more
    expect(processIter({ attrs: ['name', 'status', 'ppid', 'cpuTimes', 'terminal'] }).find((p) => p.pid === 600)?.info)
      .toEqual({ name: 'sleep', status: 'sleeping', ppid: 15654, cpuTimes: { user: 0, system: 0, childrenUser: 0, childrenSystem: 0, iowait: 0 }, terminal: null });
    // asking for username needs status, which 600 lacks while its stat says it lives: the raw error, as psutil
    expect(() => processIter({ attrs: ['username'] })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => processIter({ attrs: ['username'] })).not.toThrow(PtoolsError);
    rmSync(join(tree, '600'), { recursive: true });
  });

  it('keeps the Process of an unchanged pid and replaces it when the start time changes (pid reuse)', () => {
    setProcfsPath(tree);
    const a = processIter().find((p) => p.pid === 500)!;
    expect(processIter().find((p) => p.pid === 500)).toBe(a);
    const stat = readFileSync(join(tree, '500', 'stat'), 'utf8');
    writeFileSync(join(tree, '500', 'stat'), stat.replace(' 110540 ', ' 999999 '));
    const b = processIter().find((p) => p.pid === 500)!;
    expect(b).not.toBe(a);
    expect(b.equals(a)).toBe(false);
    expect(b.createTime()).toBe(1700000000 + 999999 / 100);
    // the stale one knows it is stale
    expect(a.isRunning()).toBe(false);
    expect(() => a.terminate()).toThrow(/PID has been reused/);
    writeFileSync(join(tree, '500', 'stat'), stat);
    // a pid that disappears is dropped
    rmSync(join(tree, '400'), { recursive: true });
    expect(processIter().map((p) => p.pid)).toEqual([1, 2, 300, 500]);
    cpSync(join(FIX, 'comm-parens'), join(tree, '400'), { recursive: true });
  });

  it('a Process for a pid that does not exist: NoSuchProcess at construction', () => {
    setProcfsPath(tree);
    expect(() => new Process(12345)).toThrow(NoSuchProcess);
    expect(() => new Process(12345)).toThrow(/process PID not found/);
    expect(() => new Process(12345)).not.toThrow(AccessDenied);
  });

  it('memoryFullInfo falls back to smaps when the kernel has no smaps_rollup (< 4.14)', () => {
    mkdirSync(join(tree, '700'));
    for (const f of ['stat', 'status', 'statm', 'smaps']) copyFileSync(join(FIX, 'sleep', f), join(tree, '700', f));
    setProcfsPath(tree);
    const full = new Process(700).memoryFullInfo();
    // the same Private_* and Swap as the rollup; Pss summed over the mappings (the rollup rounds once)
    expect(full).toMatchObject({ rss: 378 * 4096, uss: 100 * 1024, swap: 0 });
    expect(Math.abs(full.pss - 200 * 1024)).toBeLessThanOrEqual(40 * 1024);
    rmSync(join(tree, '700'), { recursive: true });
  });

  it('memoryPercent uses MemTotal of the tree; umask and sigmasks from status', () => {
    setProcfsPath(tree);
    const p = new Process(500);
    const total = Number(/MemTotal:\s+(\d+)/.exec(readFileSync(join(tree, 'meminfo'), 'utf8'))![1]) * 1024;
    expect(p.memoryPercent()).toBeCloseTo(((378 * 4096) / total) * 100, 12);
    expect(p.umask()).toBe(0o22);
    expect(p.sigmasks().ignored).toEqual([2, 3]);
    expect(p.numCtxSwitches()).toEqual({ voluntary: 1, involuntary: 1 });
    expect(p.memoryFullInfo()).toMatchObject({ uss: 100 * 1024, pss: 200 * 1024, swap: 0 });
    expect(p.environ()).toEqual({ A: '1', B: 'two words', EMPTY: '' });
    expect(p.ioCounters()).toEqual({ readCount: 18, writeCount: 0, readBytes: 0, writeBytes: 0, readChars: 10956, writeChars: 0 });
  });
});
