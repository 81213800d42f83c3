/**
 * The native addon, called directly: argument checks (TypeError/RangeError,
 * never a crash), errno reaching JS intact, results matching what Node and the
 * system's tools see, no memory growth over many calls, and the loader.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { binding, bindingPath, bulkSlot, isErrnoError, native, packageRoot, type NativeBinding, type NativeErrnoError } from '../../src/native/index.js';
import { describeCommand, sh } from '../helpers/oracle.js';
import { sanitizerEnv, skippedUnderSanitizer, underSanitizer } from '../helpers/sanitize.js';

const n = native as unknown as Record<keyof NativeBinding, (...args: unknown[]) => unknown>;

/** A pid no process can have: above pid_max. */
const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
const NO_PID = pidMax + 1;

/** The error a call throws (synchronously). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

function expectErrno(e: unknown, code: string, errno: number, syscall: string, path?: string): void {
  expect(isErrnoError(e), String(e)).toBe(true);
  const err = e as NativeErrnoError;
  expect(err).toBeInstanceOf(Error);
  expect(err.code).toBe(code);
  expect(err.errno).toBe(errno);
  expect(err.syscall).toBe(syscall);
  if (path === undefined) expect(err.path).toBeUndefined();
  else expect(err.path).toBe(path);
  expect(err.message).toContain(code);
}

const children: ChildProcess[] = [];
function sleeper(): ChildProcess {
  const c = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(c);
  return c;
}
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

// ---------------------------------------------------------------- argument checks

describe('wrong arguments throw TypeError/RangeError, never crash', () => {
  const cases: [string, () => unknown, 'TypeError' | 'RangeError'][] = [
    ['readFile(123)', () => n.readFile(123), 'TypeError'],
    ['readFile()', () => n.readFile(), 'TypeError'],
    ['readFile(path with NUL)', () => n.readFile('/proc/self\0/stat'), 'TypeError'],
    ['readFile(p, "big")', () => n.readFile('/proc/self/stat', 'big'), 'TypeError'],
    ['readFile(p, -1)', () => n.readFile('/proc/self/stat', -1), 'RangeError'],
    ['readFile(p, 1.5)', () => n.readFile('/proc/self/stat', 1.5), 'RangeError'],
    ['readFiles("x")', () => n.readFiles('x'), 'TypeError'],
    ['readFiles([1])', () => n.readFiles([1]), 'TypeError'],
    ['readFiles(["a\\0"])', () => n.readFiles(['a\0']), 'TypeError'],
    ['readFiles()', () => n.readFiles(), 'TypeError'],
    ['readFilesAsync("x")', () => n.readFilesAsync('x'), 'TypeError'],
    ['readProc(1, [], [])', () => n.readProc(1, [], []), 'TypeError'],
    ["readProc('/proc', ['a'], [])", () => n.readProc('/proc', ['a'], []), 'TypeError'],
    ["readProc('/proc', [-1], ['stat'])", () => n.readProc('/proc', [-1], ['stat']), 'RangeError'],
    ["readProc('/proc', [1.5], ['stat'])", () => n.readProc('/proc', [1.5], ['stat']), 'RangeError'],
    ["readProc('/proc', [2**31], ['stat'])", () => n.readProc('/proc', [2 ** 31], ['stat']), 'RangeError'],
    ["readProc('/proc', [1], [1])", () => n.readProc('/proc', [1], [1]), 'TypeError'],
    ["readProc('/proc', [1], ['../x'])", () => n.readProc('/proc', [1], ['../x']), 'TypeError'],
    ["readProc('/pr\\0oc', [1], ['stat'])", () => n.readProc('/pr\0oc', [1], ['stat']), 'TypeError'],
    ["readProc('/proc', 1, ['stat'])", () => n.readProc('/proc', 1, ['stat']), 'TypeError'],
    ["readProcAsync('/proc', [-1], ['stat'])", () => n.readProcAsync('/proc', [-1], ['stat']), 'RangeError'],
    ["readProcAsync('/proc', [1], ['..'])", () => n.readProcAsync('/proc', [1], ['..']), 'TypeError'],
    ['statvfs({})', () => n.statvfs({}), 'TypeError'],
    ['statvfs()', () => n.statvfs(), 'TypeError'],
    ['statvfsAsync(1)', () => n.statvfsAsync(1), 'TypeError'],
    ['ifStats(5)', () => n.ifStats(5), 'TypeError'],
    ["ifStats('x'.repeat(40))", () => n.ifStats('x'.repeat(40)), 'RangeError'],
    ["ifStats('')", () => n.ifStats(''), 'RangeError'],
    ['ifConfig(5)', () => n.ifConfig(5), 'TypeError'],
    ['ifConfig()', () => n.ifConfig(), 'TypeError'],
    ["ifConfig('lo\\0x')", () => n.ifConfig('lo\0x'), 'TypeError'],
    ["ifConfig('x'.repeat(16))", () => n.ifConfig('x'.repeat(16)), 'RangeError'],
    ["ifConfig('')", () => n.ifConfig(''), 'RangeError'],
    ["schedGetaffinity('1')", () => n.schedGetaffinity('1'), 'TypeError'],
    ['schedGetaffinity(-1)', () => n.schedGetaffinity(-1), 'RangeError'],
    ['schedGetaffinity(2**31)', () => n.schedGetaffinity(2 ** 31), 'RangeError'],
    ["schedSetaffinity(0, 'x')", () => n.schedSetaffinity(0, 'x'), 'TypeError'],
    ["schedSetaffinity(0, ['0'])", () => n.schedSetaffinity(0, ['0']), 'TypeError'],
    ['schedSetaffinity(0, [-1])', () => n.schedSetaffinity(0, [-1]), 'RangeError'],
    ['schedSetaffinity(0, [2**20])', () => n.schedSetaffinity(0, [2 ** 20]), 'RangeError'],
    ["ioprioGet('x')", () => n.ioprioGet('x'), 'TypeError'],
    ['ioprioSet(0, 8, 0)', () => n.ioprioSet(0, 8, 0), 'RangeError'],
    ["ioprioSet(0, 'a', 0)", () => n.ioprioSet(0, 'a', 0), 'TypeError'],
    ["prlimit(1, 'x')", () => n.prlimit(1, 'x'), 'TypeError'],
    ['prlimit(0, 65)', () => n.prlimit(0, 65), 'RangeError'],
    ["prlimit(0, 7, 'a', 1)", () => n.prlimit(0, 7, 'a', 1), 'TypeError'],
    ['prlimit(0, 7, 5) (soft without hard)', () => n.prlimit(0, 7, 5), 'TypeError'],
    ['prlimit(0, 7, -2, -2)', () => n.prlimit(0, 7, -2, -2), 'RangeError'],
    ['getpwuid(-1)', () => n.getpwuid(-1), 'RangeError'],
    ['getpwuid(2**32)', () => n.getpwuid(2 ** 32), 'RangeError'],
    ["getpwuid('0')", () => n.getpwuid('0'), 'TypeError'],
    ['getpwuid(0n)', () => n.getpwuid(0n), 'TypeError'],
    ['getgrgid(-1)', () => n.getgrgid(-1), 'RangeError'],
    ['getgrgid(NaN)', () => n.getgrgid(NaN), 'RangeError'],
    ['getpwnam(5)', () => n.getpwnam(5), 'TypeError'],
    ['getgrnam(null)', () => n.getgrnam(null), 'TypeError'],
    ["getpwnam('ro\\0ot')", () => n.getpwnam('ro\0ot'), 'TypeError'],
    ['pidfdOpen(null)', () => n.pidfdOpen(null), 'TypeError'],
    ['pidfdOpen(-5)', () => n.pidfdOpen(-5), 'RangeError'],
    ["pollReadable('a', 1)", () => n.pollReadable('a', 1), 'TypeError'],
    ['pollReadable(0, -2)', () => n.pollReadable(0, -2), 'RangeError'],
    ['pollReadable(0)', () => n.pollReadable(0), 'TypeError'],
    ["pollReadableAsync('a', 1)", () => n.pollReadableAsync('a', 1), 'TypeError'],
    ["closeFd('3')", () => n.closeFd('3'), 'TypeError'],
    ['closeFd(-1)', () => n.closeFd(-1), 'RangeError'],
    ["getpriority('x')", () => n.getpriority('x'), 'TypeError'],
    ["setpriority(0, 'x')", () => n.setpriority(0, 'x'), 'TypeError'],
    ['setpriority(0, 41)', () => n.setpriority(0, 41), 'RangeError'],
    ['setpriority(0, Infinity)', () => n.setpriority(0, Infinity), 'RangeError'],
  ];
  for (const [name, fn, kind] of cases) {
    it(name, () => {
      const e = thrown(fn);
      expect((e as Error).constructor.name, String(e)).toBe(kind);
      expect(isErrnoError(e)).toBe(false);
    });
  }

  it('random argument values on the read-only functions: a result or a TypeError/RangeError/errno error', () => {
    // Only functions without side effects (no set*, closeFd, pidfdOpen, poll with random timeouts).
    // readFile gets no random size hint: a valid hint up to 1 GiB is allocated up front.
    const fns: [keyof NativeBinding, number][] = [
      ['readFile', 1], ['readFiles', 1], ['readProc', 4], ['statvfs', 1], ['ifStats', 1], ['ifConfig', 1], ['schedGetaffinity', 1],
      ['ioprioGet', 1], ['prlimit', 2], ['getpwuid', 1], ['getgrgid', 1], ['getpwnam', 1], ['getgrnam', 1], ['getpriority', 1],
    ];
    const arg = fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53, NaN, Infinity, -0, '', '\0', '/proc', '/proc/self/stat', [], ['stat'], [1], [process.pid], 1n, Symbol('s'), null, undefined),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fns), fc.array(arg, { maxLength: 4 }), ([name, arity], args) => {
        try {
          n[name](...args.slice(0, arity));
        } catch (e) {
          if (!(e instanceof TypeError || e instanceof RangeError || isErrnoError(e))) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------- errno

describe('errno reaches JS with code, errno, syscall and path', () => {
  it('readFile of a missing file: ENOENT', () => {
    expectErrno(thrown(() => native.readFile('/nonexistent/file')), 'ENOENT', -2, 'read', '/nonexistent/file');
  });
  it('readFile of a directory: EISDIR', () => {
    expectErrno(thrown(() => native.readFile('/proc')), 'EISDIR', -21, 'read', '/proc');
  });
  it('statvfs of a missing path: ENOENT, sync and async', async () => {
    expectErrno(thrown(() => native.statvfs('/nonexistent')), 'ENOENT', -2, 'statvfs', '/nonexistent');
    const e = await native.statvfsAsync('/nonexistent').then(() => null, (x: unknown) => x);
    expectErrno(e, 'ENOENT', -2, 'statvfs', '/nonexistent');
  });
  it('ifStats of an unknown interface: ENODEV, with the name as path', () => {
    expectErrno(thrown(() => native.ifStats('nosuchif0')), 'ENODEV', -19, 'ioctl(SIOCGIFFLAGS)', 'nosuchif0');
  });
  it('ifConfig of an unknown interface: ENODEV, with the name as path', () => {
    expectErrno(thrown(() => native.ifConfig('nosuchif0')), 'ENODEV', -19, 'ioctl(SIOCGIFFLAGS)', 'nosuchif0');
  });
  it('pid-taking calls on a pid no process can have: ESRCH', () => {
    expectErrno(thrown(() => native.schedGetaffinity(NO_PID)), 'ESRCH', -3, 'sched_getaffinity');
    expectErrno(thrown(() => native.prlimit(NO_PID, 7)), 'ESRCH', -3, 'prlimit');
    expectErrno(thrown(() => native.ioprioGet(NO_PID)), 'ESRCH', -3, 'ioprio_get');
    expectErrno(thrown(() => native.getpriority(NO_PID)), 'ESRCH', -3, 'getpriority');
    expectErrno(thrown(() => native.pidfdOpen(NO_PID)), 'ESRCH', -3, 'pidfd_open');
  });
  it('closeFd of a descriptor that is not open: EBADF', () => {
    expectErrno(thrown(() => native.closeFd(1_000_000)), 'EBADF', -9, 'close');
  });
  it('EPERM from a process without privileges (a child running as nobody)', () => {
    // We are root here, so the privileged paths are exercised from a child
    // that drops to uid/gid 65534. Every probe is harmless even if it were
    // allowed: read pid 1's limit, set pid 1's affinity/nice to their current
    // values, raise the child's own priority.
    const nice1 = native.getpriority(1);
    const aff1 = native.schedGetaffinity(1);
    // The checkout may sit in a directory nobody cannot enter (mktemp -d is
    // 0700): give the child a world-readable copy of the addon.
    const dir = mkdtempSync(join(os.tmpdir(), "ptools-nobody-"));
    chmodSync(dir, 0o755);
    const addon = join(dir, 'ptools.node');
    copyFileSync(bindingPath(), addon);
    chmodSync(addon, 0o644);
    const code = `
      const n = require(${JSON.stringify(addon)});
      const out = {};
      for (const [k, f] of Object.entries({
        prlimit: () => n.prlimit(1, 7),
        setaffinity: () => n.schedSetaffinity(1, ${JSON.stringify(aff1)}),
        setpriority: () => n.setpriority(1, ${nice1}),
        lowerOwnNice: () => n.setpriority(0, -1),
      })) { try { f(); out[k] = 'ok'; } catch (e) { out[k] = [e.code, e.errno, e.syscall]; } }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', code], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: '/', env: { ...process.env, ...sanitizerEnv() } });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      prlimit: ['EPERM', -1, 'prlimit'],
      setaffinity: ['EPERM', -1, 'sched_setaffinity'],
      // another user's process: EPERM; raising one's own priority without CAP_SYS_NICE: EACCES
      setpriority: ['EPERM', -1, 'setpriority'],
      lowerOwnNice: ['EACCES', -13, 'setpriority'],
    });
  });
});

// ---------------------------------------------------------------- behaviour

describe('reading files', () => {
  const tmp = mkdtempSync(join(os.tmpdir(), 'ptools-native-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('readFile returns the bytes fs.readFileSync reads, for stable /proc files', () => {
    for (const p of ['/proc/self/cmdline', '/proc/version', '/proc/cmdline', '/proc/self/environ', '/etc/passwd', '/proc/self/limits']) {
      expect(native.readFile(p).equals(readFileSync(p)), p).toBe(true);
    }
  });

  it('readFile reads regular files of any size whole (the grow-and-reread path), whatever the size hint', () => {
    // 65536 is the default first buffer: a file exactly that size fills it and forces a second, larger read.
    for (const size of [0, 1, 4095, 4096, 65535, 65536, 65537, 1 << 20, (1 << 20) + 3]) {
      const f = join(tmp, `f${size}`);
      const data = randomBytes(size);
      writeFileSync(f, data);
      expect(native.readFile(f).equals(data), `size ${size}`).toBe(true);
      expect(native.readFile(f, 1).equals(data), `size ${size}, hint 1`).toBe(true);
      expect(native.readFile(f, size + 10).equals(data), `size ${size}, exact hint`).toBe(true);
    }
  });

  it('readFiles returns each file in its slot and -errno for failures; async resolves the same', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    writeFileSync(a, 'alpha\n');
    writeFileSync(b, Buffer.from([0, 1, 2, 255]));
    const paths = [a, '/nonexistent', b, tmp, join(tmp, `f${1 << 20}`)];
    const r = native.readFiles(paths);
    expect(r.slots.length).toBe(2 * paths.length);
    expect(bulkSlot(r, 0)).toEqual(Buffer.from('alpha\n'));
    expect(bulkSlot(r, 1)).toBe(-2);
    expect(bulkSlot(r, 2)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(bulkSlot(r, 3)).toBe(-21); // EISDIR
    expect((bulkSlot(r, 4) as Buffer).equals(readFileSync(paths[4]!))).toBe(true);
    const ra = await native.readFilesAsync(paths);
    expect(ra.data.equals(r.data)).toBe(true);
    expect([...ra.slots]).toEqual([...r.slots]);
    expect(native.readFiles([]).slots.length).toBe(0);
  });

  it('readProc reads pid × name, pid-major, with owner uids; a missing pid gives -ENOENT slots', async () => {
    const pids = [process.pid, 1, NO_PID];
    const names = ['comm', 'cmdline', 'stat'];
    const r = native.readProc('/proc', pids, names, true);
    expect(r.slots.length).toBe(2 * pids.length * names.length);
    for (let i = 0; i < 2; i++) {
      const pid = pids[i]!;
      expect(bulkSlot(r, i * 3 + 0)).toEqual(readFileSync(`/proc/${pid}/comm`));
      expect(bulkSlot(r, i * 3 + 1)).toEqual(readFileSync(`/proc/${pid}/cmdline`));
      // stat moves (times, rss): compare the stable "pid (comm) state ppid" head only
      const head = (s: string) => s.slice(0, s.lastIndexOf(')') + 1);
      expect(head((bulkSlot(r, i * 3 + 2) as Buffer).toString())).toBe(head(readFileSync(`/proc/${pid}/stat`, 'utf8')));
      expect(r.uids![i]).toBe(statSync(`/proc/${pid}`).uid);
    }
    for (let k = 6; k < 9; k++) expect(bulkSlot(r, k)).toBe(-2);
    expect(r.uids![2]).toBe(-1);
    // without wantUid there are no uids
    expect(native.readProc('/proc', [1], ['comm']).uids).toBeUndefined();
    const ra = await native.readProcAsync('/proc', pids, ['comm', 'cmdline'], true);
    expect([...ra.uids!]).toEqual([...r.uids!]);
    for (let k = 0; k < 4; k++) expect(bulkSlot(ra, k)).toEqual(bulkSlot(r, Math.floor(k / 2) * 3 + (k % 2)));
    expect(bulkSlot(ra, 4)).toBe(-2);
  });

  it('readProc works on another root (a fixture tree)', () => {
    mkdirSync(join(tmp, 'proc', '42'), { recursive: true });
    writeFileSync(join(tmp, 'proc', '42', 'stat'), '42 (x) S 1');
    const r = native.readProc(join(tmp, 'proc'), [42, 43], ['stat']);
    expect(bulkSlot(r, 0)).toEqual(Buffer.from('42 (x) S 1'));
    expect(bulkSlot(r, 1)).toBe(-2);
  });
});

describe('system calls against Node and the tools', () => {
  it('sysconf matches getconf', () => {
    const s = native.sysconf();
    expect(s.clockTicks).toBe(Number(sh('getconf', ['CLK_TCK'])));
    expect(s.pageSize).toBe(Number(sh('getconf', ['PAGESIZE'])));
    expect(s.nprocessorsConf).toBe(Number(sh('getconf', ['_NPROCESSORS_CONF'])));
    expect(s.nprocessorsOnln).toBe(Number(sh('getconf', ['_NPROCESSORS_ONLN'])));
  });

  it('statvfs matches fs.statfs (async too)', async () => {
    const s = native.statvfs('/');
    const f = statfsSync('/');
    expect(s.bsize).toBe(f.bsize);
    expect(s.blocks).toBe(f.blocks);
    expect(s.files).toBe(f.files);
    // free counts move with any write on the machine: 1024 blocks of slack
    expect(Math.abs(s.bfree - f.bfree)).toBeLessThanOrEqual(1024);
    expect(Math.abs(s.bavail - f.bavail)).toBeLessThanOrEqual(1024);
    const a = await native.statvfsAsync('/');
    expect(a.blocks).toBe(s.blocks);
    expect(a.namemax).toBe(255);
  });

  it('getpwuid/getgrgid/getpwnam/getgrnam match getent; unknown ids are null', () => {
    expect(native.getpwuid(0)).toMatchObject({ name: 'root', uid: 0, gid: 0 });
    expect(native.getgrgid(0)).toEqual({ name: 'root', gid: 0 });
    for (const uid of [0, 65534]) {
      const [name, , u, g, gecos, dir, shell] = sh('getent', ['passwd', String(uid)]).trim().split(':');
      expect(native.getpwuid(uid)).toEqual({ name, uid: Number(u), gid: Number(g), gecos, dir, shell });
      expect(native.getpwnam(name!)).toEqual({ name, uid: Number(u), gid: Number(g) });
    }
    const [gname, , gid] = sh('getent', ['group', '65534']).trim().split(':');
    expect(native.getgrgid(65534)).toEqual({ name: gname, gid: Number(gid) });
    expect(native.getgrnam(gname!)).toEqual({ name: gname, gid: Number(gid) });
    expect(native.getpwuid(4294967294)).toBeNull();
    expect(native.getgrgid(4294967294)).toBeNull();
    expect(native.getpwnam('no-such-user-ptools')).toBeNull();
    expect(native.getgrnam('no-such-group-ptools')).toBeNull();
  });

  it('getids matches process.getuid() and friends', () => {
    expect(native.getids()).toEqual({ uid: process.getuid!(), euid: process.geteuid!(), gid: process.getgid!(), egid: process.getegid!() });
  });

  it('getpriority matches os.getPriority; setpriority on a child is seen by os.getPriority', () => {
    expect(native.getpriority(0)).toBe(os.getPriority(0));
    expect(native.getpriority(process.pid)).toBe(os.getPriority(process.pid));
    const c = sleeper();
    native.setpriority(c.pid!, 7);
    expect(os.getPriority(c.pid!)).toBe(7);
    expect(native.getpriority(c.pid!)).toBe(7);
    c.kill('SIGKILL');
  });

  it('prlimit reads what /proc/<pid>/limits says', () => {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'))!;
    const [soft, hard] = line.slice(26).trim().split(/\s+/).map((x) => (x === 'unlimited' ? -1 : Number(x)));
    expect(native.prlimit(0, 7)).toEqual([soft, hard]);
    expect(native.prlimit(process.pid, 7)).toEqual([soft, hard]);
    // a child: set then read back, old values returned by the set
    const c = sleeper();
    const old = native.prlimit(c.pid!, 7);
    expect(native.prlimit(c.pid!, 7, 256, 512)).toEqual(old);
    expect(native.prlimit(c.pid!, 7)).toEqual([256, 512]);
    expect(readFileSync(`/proc/${c.pid}/limits`, 'utf8')).toMatch(/Max open files\s+256\s+512/);
    // RLIMIT_CORE can be unlimited: -1 both ways
    native.prlimit(c.pid!, 4, -1, -1);
    expect(native.prlimit(c.pid!, 4)).toEqual([-1, -1]);
    c.kill('SIGKILL');
  });
});

describeCommand('taskset', 'affinity vs taskset', () => {
  const tasksetList = (pid: number): number[] => {
    const out = sh('taskset', ['-pc', String(pid)]);
    const list = out.slice(out.lastIndexOf(':') + 1).trim();
    return list.split(',').flatMap((r) => {
      const [a, b] = r.split('-').map(Number);
      return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
    });
  };
  it('schedGetaffinity(0) is our taskset list, within the machine’s CPUs', () => {
    const ours = native.schedGetaffinity(0);
    expect(ours).toEqual(tasksetList(process.pid));
    expect(native.schedGetaffinity(process.pid)).toEqual(ours);
    expect(ours.length).toBeGreaterThan(0);
    expect(Math.max(...ours)).toBeLessThan(os.cpus().length);
  });
  it('schedSetaffinity on a child is what taskset then reports', () => {
    const c = sleeper();
    native.schedSetaffinity(c.pid!, [0]);
    expect(tasksetList(c.pid!)).toEqual([0]);
    expect(native.schedGetaffinity(c.pid!)).toEqual([0]);
    c.kill('SIGKILL');
  });
});

describeCommand('ionice', 'ioprio vs ionice', () => {
  it('ioprioGet matches ionice -p, and ioprioSet on a child is what ionice reports', () => {
    const names = ['none', 'realtime', 'best-effort', 'idle'];
    const [cls, prio] = native.ioprioGet(process.pid);
    const out = sh('ionice', ['-p', String(process.pid)]).trim();
    expect(out).toBe(cls === 3 ? 'idle' : `${names[cls]}: prio ${prio}`);
    const c = sleeper();
    native.ioprioSet(c.pid!, 2, 5);
    expect(native.ioprioGet(c.pid!)).toEqual([2, 5]);
    expect(sh('ionice', ['-p', String(c.pid)]).trim()).toBe('best-effort: prio 5');
    c.kill('SIGKILL');
  });
});

describe('network', () => {
  it('getifaddrs has lo with 127.0.0.1, and the same addresses as os.networkInterfaces()', () => {
    const all = native.getifaddrs();
    expect(all.some((a) => a.name === 'lo' && a.family === 2 && a.address === '127.0.0.1' && a.netmask === '255.0.0.0')).toBe(true);
    const ours = all
      .filter((a) => a.family === 2 || a.family === 10)
      .map((a) => `${a.name} ${a.address}/${a.netmask}${a.family === 10 ? ` %${a.scopeId}` : ''}`)
      .sort();
    const node = Object.entries(os.networkInterfaces())
      .flatMap(([name, list]) => (list ?? []).map((a) => `${name} ${a.address}/${a.netmask}${a.family === 'IPv6' ? ` %${a.scopeid}` : ''}`))
      .sort();
    expect(ours).toEqual(node);
    // AF_PACKET entries carry the hardware address as bytes
    for (const a of all.filter((x) => x.family === 17)) {
      expect(Buffer.isBuffer(a.address)).toBe(true);
      const mac = readFileSync(`/sys/class/net/${a.name}/address`, 'utf8').trim();
      expect((a.address as Buffer).toString('hex').replace(/(..)(?!$)/g, '$1:')).toBe(mac);
    }
  });

  it('ifStats agrees with /sys/class/net for every interface', () => {
    for (const name of native.getifaddrs().filter((a) => a.family === 17).map((a) => a.name)) {
      const s = native.ifStats(name);
      const sys = (f: string) => {
        try {
          return readFileSync(`/sys/class/net/${name}/${f}`, 'utf8').trim();
        } catch {
          return null; // speed/duplex raise EINVAL where the driver has no ethtool settings
        }
      };
      expect(s.mtu, name).toBe(Number(sys('mtu')));
      // the administrative bits (UP, BROADCAST, LOOPBACK, NOARP, MULTICAST) are dev->flags, as sysfs shows them
      const mask = 0x1 | 0x2 | 0x8 | 0x80 | 0x1000;
      expect(s.flags & mask, name).toBe(Number(sys('flags')) & mask);
      const speed = sys('speed');
      if (speed === null) {
        expect(s.speed, name).toBeNull();
        expect(s.ethtoolCode, name).toMatch(/^E[A-Z]+$/);
        expect(s.ethtoolErrno, name).toBeLessThan(0);
      } else {
        expect(s.speed, name).toBe(Number(speed)); // -1 is SPEED_UNKNOWN in both
        const duplex = { half: 0, full: 1, unknown: 255 }[sys('duplex') ?? 'unknown'];
        expect(s.duplex, name).toBe(duplex);
      }
    }
  });

  it('ifConfig agrees with /sys/class/net, ifStats and getifaddrs for every interface', () => {
    const addrs = native.getifaddrs();
    for (const name of addrs.filter((a) => a.family === 17).map((a) => a.name)) {
      const c = native.ifConfig(name);
      const sys = (f: string) => readFileSync(`/sys/class/net/${name}/${f}`, 'utf8').trim();
      expect(c.mtu, name).toBe(Number(sys('mtu')));
      expect(c.txqueuelen, name).toBe(Number(sys('tx_queue_len')));
      expect(c.hwType, name).toBe(Number(sys('type')));
      const len = Number(sys('addr_len'));
      expect(c.hwaddr!.length, name).toBe(14);
      if (len > 0 && len <= 14) expect(c.hwaddr!.subarray(0, len).toString('hex').replace(/(..)(?!$)/g, '$1:'), name).toBe(sys('address'));
      expect(c.flags & 0x10ff, name).toBe(native.ifStats(name).flags & 0x10ff);
      expect(c.map, name).toEqual({ memStart: expect.any(Number), memEnd: expect.any(Number), baseAddr: expect.any(Number), irq: expect.any(Number), dma: expect.any(Number), port: expect.any(Number) });
      // SIOCGIFADDR: the first IPv4 address labelled with the name, as getifaddrs lists them.
      const v4 = addrs.find((a) => a.family === 2 && a.name === name);
      if (v4) {
        expect(c.inet, name).toMatchObject({ address: v4.address, netmask: v4.netmask });
        if (v4.broadcast !== null && v4.broadcast !== v4.address) expect(c.inet!.broadcast, name).toBe(v4.broadcast);
      } else expect(c.inet, name).toBeNull();
    }
  });
});

describe('pidfd', () => {
  it('pollReadableAsync resolves true when the process exits, false on timeout', async () => {
    const c = sleeper();
    const fd = native.pidfdOpen(c.pid!);
    try {
      expect(native.pollReadable(fd, 0)).toBe(false);
      expect(await native.pollReadableAsync(fd, 50)).toBe(false);
      const waiting = native.pollReadableAsync(fd, 10_000);
      c.kill('SIGTERM');
      // true, not the timeout's false: the exit woke the poll.
      expect(await waiting).toBe(true);
      expect(native.pollReadable(fd, 0)).toBe(true);
    } finally {
      native.closeFd(fd);
    }
    expectErrno(thrown(() => native.closeFd(fd)), 'EBADF', -9, 'close');
  });
});

// ---------------------------------------------------------------- memory

describe('memory', () => {
  (underSanitizer() ? it.skip : it)(`many calls do not grow memory${skippedUnderSanitizer()}`, async () => {
    // Force full collections: --expose-gc is not on under vitest, but V8 can
    // turn it on at run time and hand out gc() in a fresh context.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const batch = async () => {
      for (let i = 0; i < 20_000; i++) native.readFile('/proc/self/stat');
      for (let i = 0; i < 5_000; i++) native.getifaddrs();
      for (let i = 0; i < 2_000; i++) native.readProc('/proc', [process.pid, 1, NO_PID], ['stat', 'status'], true);
      for (let i = 0; i < 2_000; i++) native.getpwuid(0);
      for (let i = 0; i < 2_000; i++) thrown(() => native.readFile('/nonexistent'));
      for (let i = 0; i < 200; i++) await native.readFilesAsync(['/proc/self/stat', '/nonexistent']);
    };
    const rss = () => {
      gc();
      gc();
      return process.memoryUsage().rss;
    };
    await batch(); // warm-up: JIT, allocator arenas
    const r1 = rss();
    await batch();
    const r2 = rss();
    await batch();
    const r3 = rss();
    if (process.env.PTOOLS_DEBUG_MEM) console.log({ r1, r2, r3 });
    // A leak of even 200 bytes per call would add > 6 MiB per batch
    // (~31,000 calls); allocator noise stays far below 8 MiB.
    const MiB = 1 << 20;
    expect(r2 - r1, `batch 2 grew rss by ${((r2 - r1) / MiB).toFixed(1)} MiB`).toBeLessThan(8 * MiB);
    expect(r3 - r1, `batches 2-3 grew rss by ${((r3 - r1) / MiB).toFixed(1)} MiB`).toBeLessThan(8 * MiB);
  }, 120_000);
});

// ---------------------------------------------------------------- loader

describe('loader', () => {
  it('bindingPath() names an existing .node file inside the package', () => {
    const p = bindingPath();
    expect(p.endsWith('.node')).toBe(true);
    expect(existsSync(p)).toBe(true);
    expect(p.startsWith(packageRoot)).toBe(true);
    expect(binding()).toBe(binding());
  });

  it('the `native` proxy forwards to the loaded binding', () => {
    expect(native.readFile).toBe(binding().readFile);
  });

  // A copy of the loader in a temporary package root with no prebuilds/ and
  // no build/: it must fail and name every place it tried. Vitest imports the
  // TypeScript copy as it imports the original; src/native is not modified.
  const loaderCopy = (): string => {
    const root = mkdtempSync(join(os.tmpdir(), 'ptools-loader-'));
    mkdirSync(join(root, 'src', 'native'), { recursive: true });
    copyFileSync(join(packageRoot, 'src', 'native', 'index.ts'), join(root, 'src', 'native', 'index.ts'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    return root;
  };

  it('without any addon, the error lists every path tried and how to build', async () => {
    const root = loaderCopy();
    const saved = process.env.PTOOLS_NATIVE;
    process.env.PTOOLS_NATIVE = join(root, 'missing.node');
    try {
      const mod = (await import(join(root, 'src', 'native', 'index.ts'))) as typeof import('../../src/native/index.js');
      const e = thrown(() => mod.binding()) as Error;
      expect(e.message).toContain('the native addon could not be loaded');
      expect(e.message).toContain(join(root, 'missing.node'));
      expect(e.message).toContain(join(root, 'prebuilds', `${process.platform}-${process.arch}`));
      expect(e.message).toContain(join(root, 'build', 'Release'));
      expect(e.message).toContain('make build');
      // the native proxy fails the same way, on use
      expect(() => mod.native.getids()).toThrow(/could not be loaded/);
    } finally {
      if (saved === undefined) delete process.env.PTOOLS_NATIVE;
      else process.env.PTOOLS_NATIVE = saved;
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('PTOOLS_NATIVE names the addon to load first', async () => {
    const root = loaderCopy();
    const saved = process.env.PTOOLS_NATIVE;
    process.env.PTOOLS_NATIVE = bindingPath();
    try {
      const mod = (await import(join(root, 'src', 'native', 'index.ts'))) as typeof import('../../src/native/index.js');
      expect(mod.bindingPath()).toBe(bindingPath());
      expect(mod.native.getids().uid).toBe(process.getuid!());
    } finally {
      if (saved === undefined) delete process.env.PTOOLS_NATIVE;
      else process.env.PTOOLS_NATIVE = saved;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
