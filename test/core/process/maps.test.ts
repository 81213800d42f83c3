import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileFlagsToMode, parseFdinfo, parseSmaps, processMemoryMaps, processOpenFiles,
  type MemoryMap, type MemoryMapExt, type OpenFile,
} from '../../../src/core/process/maps.js';
import { ParseError } from '../../../src/core/base/errors.js';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describePsutil, psutil, PYTHON } from '../../helpers/oracle.js';
import { sleepingIn, waitUntil } from '../../helpers/wait.js';

const FIX = new URL('../../fixtures/maps/', import.meta.url).pathname;
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');
/** The smaps captures live under the kernel file's name, with the other /proc/<pid> fixtures. */
const SMAPS: Record<string, string> = {
  'smaps-edge': new URL('../../fixtures/proc/edge/smaps-handmade', import.meta.url).pathname,
  'smaps-sleep': new URL('../../fixtures/proc/sleep-maps/smaps', import.meta.url).pathname,
  'smaps-mapper': new URL('../../fixtures/proc/mapper/smaps', import.meta.url).pathname,
};
const smapsFixture = (name: string): string => readFileSync(SMAPS[name]!, 'utf8');
const KB = 1024;

/** psutil's snake_case map tuple → our camelCase object. */
function mapFromPsutil(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) out[k.replace(/_([a-z])/g, (_s, c: string) => c.toUpperCase())] = v;
  return out;
}

// --- layer 1: parsers -------------------------------------------------------

describe('parseSmaps', () => {
  it('hand-made: keys in bytes, missing keys 0, VmFlags/ProtectionKey/THPeligible/hugetlb lines ignored', () => {
    const maps = parseSmaps(smapsFixture('smaps-edge'), false);
    expect(maps.map((m) => [m.addr, m.perms, m.path])).toEqual([
      ['00400000-00401000', 'r-xp', '/opt/app/bin/a.out'],
      ['01e3c000-01e5d000', 'rw-p', '[heap]'],
      ['7f0000000000-7f0000200000', 'rw-s', '/anon_hugepage'],
      ['7f0000200000-7f0000201000', 'rw-p', '[anon]'],
      ['7f0000201000-7f0000202000', 'rw-p', '[anon]'],
      ['7f0000202000-7f0000203000', 'r--p', '/opt/app/bin/a.out'],
      ['7f0000300000-7f0000301000', 'r--p', '/tmp/old lib.so'],
      ['7fffb2c6e000-7fffb2c8f000', 'rw-p', '[stack]'],
      ['ffffffffff600000-ffffffffff601000', '--xp', '[vsyscall]'],
    ]);
    expect(maps[1]).toEqual({
      addr: '01e3c000-01e5d000', perms: 'rw-p', path: '[heap]', rss: 12 * KB, size: 132 * KB, pss: 12 * KB, sharedClean: 0,
      sharedDirty: 0, privateClean: 0, privateDirty: 12 * KB, referenced: 0, anonymous: 12 * KB, swap: 8 * KB,
    });
    // A hugetlb mapping: its pages are in Private_Hugetlb, which psutil does not count.
    expect(maps[2]).toMatchObject({ size: 2048 * KB, rss: 0, privateDirty: 0 });
  });

  it('grouped: summed per path, in order of first appearance', () => {
    const g = parseSmaps(smapsFixture('smaps-edge'));
    expect(g.map((m) => m.path)).toEqual(['/opt/app/bin/a.out', '[heap]', '/anon_hugepage', '[anon]', '/tmp/old lib.so', '[stack]', '[vsyscall]']);
    expect(g[0]).toEqual({
      path: '/opt/app/bin/a.out', rss: 8 * KB, size: 8 * KB, pss: 5 * KB, sharedClean: 4 * KB, sharedDirty: 0,
      privateClean: 4 * KB, privateDirty: 0, referenced: 8 * KB, anonymous: 0, swap: 0,
    });
    expect(g[3]).toMatchObject({ path: '[anon]', rss: 8 * KB, pss: 6 * KB, sharedDirty: 4 * KB, privateDirty: 4 * KB, anonymous: 8 * KB });
    expect(parseSmaps(smapsFixture('smaps-edge'), true)).toEqual(g);
  });

  it('" (deleted)" is dropped unless a file has that very name (pathExists)', () => {
    const keep = parseSmaps(smapsFixture('smaps-edge'), false, { pathExists: (p) => p === '/tmp/old lib.so (deleted)' });
    expect(keep[6]!.path).toBe('/tmp/old lib.so (deleted)');
    expect(keep[2]!.path).toBe('/anon_hugepage');
  });

  it('captured (sleep): every mapping has a path, sizes add up', () => {
    const maps = parseSmaps(smapsFixture('smaps-sleep'), false);
    expect(maps).toHaveLength(37);
    expect(maps[0]).toMatchObject({ addr: '55d33423c000-55d33423e000', perms: 'r--p', path: '/usr/bin/sleep', size: 8 * KB, rss: 8 * KB, pss: 2 * KB, sharedClean: 8 * KB, referenced: 8 * KB });
    expect(maps.map((m) => m.path)).toEqual(expect.arrayContaining(['[heap]', '[stack]', '[vvar]', '[vdso]', '[anon]']));
    const grouped = parseSmaps(smapsFixture('smaps-sleep'));
    const sum = (ms: readonly MemoryMap[], f: keyof MemoryMap): number => ms.reduce((a, m) => a + (m[f] as number), 0);
    for (const f of ['rss', 'size', 'pss', 'sharedClean', 'privateDirty', 'anonymous'] as const) expect(sum(grouped, f)).toBe(sum(maps, f));
    expect(new Set(grouped.map((m) => m.path)).size).toBe(grouped.length);
  });

  it('captured (mapper.py): a name with a space, deleted file, memfd, shared anon, THP region', () => {
    const maps = parseSmaps(smapsFixture('smaps-mapper'), false);
    const paths = maps.map((m) => m.path);
    expect(paths).toContain('/tmp/tmp.PlJSbYv8hN/with space.bin');
    expect(paths).toContain('/tmp/tmp.PlJSbYv8hN/deleted.bin');
    expect(paths).toContain('/memfd:ptools-memfd');
    expect(paths).toContain('/dev/zero');
    expect(paths.some((p) => p.endsWith(' (deleted)'))).toBe(false);
    // The 8 MiB private anonymous region, backed by transparent huge pages (psutil ignores AnonHugePages).
    expect(maps.find((m) => m.path === '[anon]' && m.size === 8192 * KB)).toMatchObject({ rss: 8192 * KB, anonymous: 8192 * KB, privateDirty: 8192 * KB });
  });

  it('empty input (kernel threads) is []; tolerates a missing trailing newline and blank lines', () => {
    expect(parseSmaps('')).toEqual([]);
    expect(parseSmaps('\n')).toEqual([]);
    const one = '00400000-00401000 r-xp 00000000 08:01 1 /bin/x\nRss: 4 kB\n\nSize: 4 kB';
    expect(parseSmaps(one, false)).toEqual([{ addr: '00400000-00401000', perms: 'r-xp', path: '/bin/x', rss: 4096, size: 4096, pss: 0, sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: 0, referenced: 0, anonymous: 0, swap: 0 }]);
  });

  it('ParseError: a field before any header, a bad header, a non-numeric value of a psutil field', () => {
    expect(() => parseSmaps('Rss: 4 kB\n')).toThrow(ParseError);
    expect(() => parseSmaps('nonsense line\n')).toThrow(ParseError);
    expect(() => parseSmaps('00400000-00401000 r-xp 00000000\n')).toThrow(ParseError);
    expect(() => parseSmaps('00400000-00401000 r-xp 00000000 08:01 1 /bin/x\nRss: lots kB\n')).toThrow(ParseError);
    // Unknown keys with odd values are not psutil's business.
    expect(parseSmaps('00400000-00401000 r-xp 00000000 08:01 1 /bin/x\nFuture: yes\n')).toHaveLength(1);
  });
});

describe('parseFdinfo / fileFlagsToMode', () => {
  it('captured fdinfo files', () => {
    expect(parseFdinfo(fixture('fdinfo-file'))).toEqual({ position: 3, flags: 0o2100000 });
    expect(parseFdinfo(fixture('fdinfo-append'))).toEqual({ position: 0, flags: 0o2102002 });
    expect(parseFdinfo(fixture('fdinfo-eventfd'))).toEqual({ position: 0, flags: 0o2004002 });
    expect(parseFdinfo(fixture('fdinfo-epoll'))).toEqual({ position: 0, flags: 0o2000002 });
  });
  it('large positions; order of lines does not matter; ParseError when pos or flags is missing or bad', () => {
    expect(parseFdinfo('flags:\t01\npos:\t8589934592\n')).toEqual({ position: 8589934592, flags: 1 });
    expect(() => parseFdinfo('pos:\t0\n')).toThrow(ParseError);
    expect(() => parseFdinfo('flags:\t0\n')).toThrow(ParseError);
    expect(() => parseFdinfo('pos:\t-1\nflags:\t0\n')).toThrow(ParseError);
    expect(() => parseFdinfo('pos:\t0\nflags:\t089\n')).toThrow(ParseError);
  });
  it('modes as psutil: r, w, a, r+, a+', () => {
    expect(fileFlagsToMode(0o0)).toBe('r');
    expect(fileFlagsToMode(0o1)).toBe('w');
    expect(fileFlagsToMode(0o2)).toBe('r+');
    expect(fileFlagsToMode(0o2001)).toBe('a');
    expect(fileFlagsToMode(0o2002)).toBe('a+');
    // O_APPEND alone on a read-only fd is still 'r' (psutil replaces a 'w' that is not there).
    expect(fileFlagsToMode(0o2000)).toBe('r');
    expect(fileFlagsToMode(0o2100000)).toBe('r');
    expect(fileFlagsToMode(0o3)).toBe('?');
  });
});

// --- layer 2: fuzz -----------------------------------------------------------

describe('fuzz', () => {
  const smaps = [smapsFixture('smaps-edge'), smapsFixture('smaps-sleep').slice(0, 3000)];
  it('parseSmaps (grouped)', () => fuzzParser((t) => parseSmaps(t), smaps));
  it('parseSmaps (ungrouped)', () => fuzzParser((t) => parseSmaps(t, false), smaps));
  it('parseFdinfo', () => fuzzParser(parseFdinfo, [fixture('fdinfo-file'), fixture('fdinfo-eventfd')]));
});

// --- psutil's own code on a fixture procfs tree ---------------------------------------

describePsutil('fixture procfs tree: ptools vs psutil\'s code on the same files', () => {
  let root: string;
  let files: string;
  let saved: string;
  beforeAll(() => {
    saved = getProcfsPath();
    root = mkdtempSync(join(tmpdir(), 'ptools-maps-tree-'));
    files = mkdtempSync(join(tmpdir(), 'ptools-maps-files-'));
  });
  afterAll(() => {
    setProcfsPath(saved);
    rmSync(root, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });
  // psutil.Process.memory_maps groups in __init__.py; call it with a stand-in `self` holding the platform object.
  const pyMaps = (pid: number, grouped: boolean): Record<string, unknown>[] =>
    psutil<Record<string, unknown>[]>(
      `(setattr(psutil, 'PROCFS_PATH', ${JSON.stringify(root)}), psutil.Process.memory_maps(__import__('types').SimpleNamespace(_proc=psutil._psplatform.Process(${pid})), grouped=${grouped ? 'True' : 'False'}))[1]`,
    ).map(mapFromPsutil);

  // Captured files only: psutil 5.9.4 never resets its per-mapping dict, so a key
  // missing from a block (as in the hand-made smaps-edge) inherits the previous
  // block's value there; we count it 0. The kernel always prints every key.
  it('memory maps of each captured smaps equal psutil\'s, grouped and not', () => {
    setProcfsPath(root);
    for (const [i, name] of ['smaps-sleep', 'smaps-mapper'].entries()) {
      const pid = 4000 + i;
      mkdirSync(join(root, String(pid)), { recursive: true });
      copyFileSync(SMAPS[name]!, join(root, String(pid), 'smaps'));
      expect(processMemoryMaps(pid, { grouped: false }), name).toEqual(pyMaps(pid, false));
      expect(processMemoryMaps(pid), name).toEqual(pyMaps(pid, true));
    }
    setProcfsPath(saved);
  });

  it('open files: links, fdinfo flags and the " (deleted)" rule equal psutil\'s', () => {
    const pid = 4242;
    const fdDir = join(root, String(pid), 'fd');
    const infoDir = join(root, String(pid), 'fdinfo');
    mkdirSync(fdDir, { recursive: true });
    mkdirSync(infoDir, { recursive: true });
    const f = (name: string): string => {
      const p = join(files, name);
      writeFileSync(p, 'data');
      return p;
    };
    const entries: Array<[number, string, string]> = [
      [0, '/dev/null', 'pos:\t0\nflags:\t0100002\n'],
      [3, f('a.txt'), 'pos:\t17\nflags:\t02100000\nmnt_id:\t27\nino:\t9\n'],
      [4, f('b.txt'), 'pos:\t0\nflags:\t0100001\n'],
      [5, f('c.txt'), 'pos:\t4\nflags:\t0102001\n'],
      [6, f('d e.txt'), 'pos:\t2\nflags:\t02\n'],
      [7, f('g.txt'), 'pos:\t1099511627776\nflags:\t0102002\n'],
      [8, files, 'pos:\t0\nflags:\t0200000\n'],
      [9, 'pipe:[12345]', 'pos:\t0\nflags:\t01\n'],
      [10, 'anon_inode:[eventfd]', 'pos:\t0\nflags:\t02\n'],
      // The kernel appends " (deleted)"; psutil drops it when no file has that name, then keeps the
      // path only if it names a regular file: a vanished file is left out, a recreated one is in.
      [11, join(files, 'gone.txt') + ' (deleted)', 'pos:\t0\nflags:\t0\n'],
      [12, f('h.txt') + ' (deleted)', 'pos:\t0\nflags:\t0\n'],
      [13, f('lit (deleted)'), 'pos:\t1\nflags:\t0\n'],
      [14, 'relative/path', 'pos:\t0\nflags:\t0\n'],
    ];
    for (const [fd, target, info] of entries) {
      symlinkSync(target, join(fdDir, String(fd)));
      writeFileSync(join(infoDir, String(fd)), info);
    }
    // An fd that is not a link (EINVAL): skipped.
    writeFileSync(join(fdDir, '15'), '');
    // An fd whose fdinfo is gone (closed in between) while the process lives: skipped.
    symlinkSync(f('i.txt'), join(fdDir, '16'));
    setProcfsPath(root);
    const ours = processOpenFiles(pid);
    setProcfsPath(saved);
    const theirs = psutil<OpenFile[]>(`(setattr(psutil, 'PROCFS_PATH', ${JSON.stringify(root)}), sorted(psutil._psplatform.Process(${pid}).open_files(), key=lambda f: f.fd))[1]`);
    expect(ours).toEqual(theirs);
    expect(ours.map((o) => [o.fd, o.mode, o.position])).toEqual([
      [3, 'r', 17], [4, 'w', 0], [5, 'a', 4], [6, 'r+', 2], [7, 'a+', 1099511627776], [12, 'r', 0], [13, 'r', 1],
    ]);
    expect(ours.find((o) => o.fd === 13)!.path).toBe(join(files, 'lit (deleted)'));
    expect(ours.find((o) => o.fd === 12)!.path).toBe(join(files, 'h.txt'));
  });

  it('the pid\'s own failures are raw errno errors', () => {
    setProcfsPath(root);
    expect(() => processMemoryMaps(99999)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => processOpenFiles(99999)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    setProcfsPath(saved);
  });
});

// --- layer 3: live children vs psutil ---------------------------------------------

/**
 * Runs `expr` in a Python that stays alive around our reads: `before` and
 * `after` are ours, read while the same Python (which maps libc and friends)
 * exists, so the sharing of pages is the same for all three reads.
 */
async function psutilAround<T, U>(expr: string, ours: () => U): Promise<{ before: U; theirs: T; after: U }> {
  const script = `
import json, sys, psutil
def conv(o):
    if hasattr(o, '_asdict'):
        return {k: conv(v) for k, v in o._asdict().items()}
    if isinstance(o, (list, tuple)):
        return [conv(v) for v in o]
    return o
print('ready', flush=True)
sys.stdin.readline()
print(json.dumps(conv(${expr})), flush=True)
sys.stdin.readline()
`;
  const py = spawn(PYTHON, ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: py.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error('python oracle exited early');
    return r.value;
  };
  try {
    expect(await next()).toBe('ready');
    const before = ours();
    py.stdin!.write('\n');
    const theirs = JSON.parse(await next()) as T;
    const after = ours();
    py.stdin!.write('\n');
    return { before, theirs, after };
  } finally {
    py.stdin!.end();
    await new Promise((r) => (py.exitCode !== null ? r(null) : py.once('exit', r)));
  }
}

// Moving fields: how many processes map a page decides pss and whether a clean
// page counts as shared or private, and any process on the machine may map or
// unmap libc between two reads. psutil's value must lie between our reads just
// before and just after it (whole comparison retried up to 3 times).
const MOVING = ['pss', 'sharedClean', 'privateClean'] as const;
const STATIC = ['path', 'rss', 'size', 'sharedDirty', 'privateDirty', 'referenced', 'anonymous', 'swap'] as const;

function compareMaps(before: readonly Record<string, unknown>[], theirs: readonly Record<string, unknown>[], after: readonly Record<string, unknown>[]): string[] {
  const problems: string[] = [];
  if (before.length !== theirs.length || after.length !== theirs.length) return [`lengths ${before.length}/${theirs.length}/${after.length}`];
  theirs.forEach((t, i) => {
    const b = before[i]!;
    const a = after[i]!;
    for (const f of [...STATIC, 'addr', 'perms']) {
      if (f in t && (b[f] !== t[f] || a[f] !== t[f])) problems.push(`${i} ${String(t.path)} ${f}: ours ${String(b[f])}/${String(a[f])} psutil ${String(t[f])}`);
    }
    for (const f of MOVING) {
      const lo = Math.min(b[f] as number, a[f] as number);
      const hi = Math.max(b[f] as number, a[f] as number);
      if ((t[f] as number) < lo || (t[f] as number) > hi) problems.push(`${i} ${String(t.path)} ${f}: ours ${lo}..${hi} psutil ${String(t[f])}`);
    }
  });
  return problems;
}

async function expectMapsMatch(pid: number, grouped: boolean): Promise<void> {
  let problems: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await psutilAround<Record<string, unknown>[], MemoryMap[] | MemoryMapExt[]>(
      `psutil.Process(${pid}).memory_maps(grouped=${grouped ? 'True' : 'False'})`,
      () => processMemoryMaps(pid, { grouped }),
    );
    const theirs = r.theirs.map(mapFromPsutil);
    expect(theirs.length).toBeGreaterThan(5);
    problems = compareMaps(r.before as unknown as Record<string, unknown>[], theirs, r.after as unknown as Record<string, unknown>[]);
    if (problems.length === 0) return;
  }
  expect(problems).toEqual([]);
}

interface Kid {
  proc: ChildProcess;
  firstLine: string;
  dir: string;
}
async function startKid(cmd: string, args: (dir: string) => string[]): Promise<Kid> {
  const dir = mkdtempSync(join(tmpdir(), 'ptools-maps-'));
  const proc = spawn(cmd, args(dir), { stdio: ['pipe', 'pipe', 'inherit'] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    proc.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}`)));
    proc.once('error', reject);
  });
  return { proc, firstLine, dir };
}
const kids: Kid[] = [];
afterAll(() => {
  for (const k of kids) {
    k.proc.kill();
    rmSync(k.dir, { recursive: true, force: true });
  }
});

describePsutil('against the machine: memory maps', () => {
  let sleeper: ChildProcess;
  let mapper: Kid;
  beforeAll(async () => {
    sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    kids.push({ proc: sleeper, firstLine: '', dir: mkdtempSync(join(tmpdir(), 'ptools-maps-')) });
    mapper = await startKid(PYTHON, (dir) => [join(FIX, 'mapper.py'), dir]);
    kids.push(mapper);
    // Let the sleep child finish exec and its loader's work: asleep in nanosleep.
    await waitUntil(() => sleepingIn(sleeper.pid!), `sleep ${sleeper.pid} to start`);
  });

  it('a sleep child, grouped=False: same mappings (addr, perms, path), same sizes', async () => {
    await expectMapsMatch(sleeper.pid!, false);
  });
  it('a sleep child, grouped=True', async () => {
    await expectMapsMatch(sleeper.pid!, true);
  });
  it('mapper.py (deleted file, memfd, file name with a space, THP): grouped and not', async () => {
    await expectMapsMatch(mapper.proc.pid!, false);
    await expectMapsMatch(mapper.proc.pid!, true);
    const paths = processMemoryMaps(mapper.proc.pid!).map((m) => m.path);
    expect(paths).toContain(join(mapper.dir, 'with space.bin'));
    expect(paths).toContain(join(mapper.dir, 'deleted.bin'));
    expect(paths).toContain('/memfd:ptools-memfd');
  });
  it('a pid that does not exist: the raw ENOENT', () => {
    expect(() => processMemoryMaps(2 ** 22 + 1)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describePsutil('against the machine: open files', () => {
  let kid: Kid;
  let info: { pid: number; files: Array<{ path: string; fd: number; position: number; mode: string }>; excluded: number[] };
  beforeAll(async () => {
    kid = await startKid(process.execPath, (dir) => [join(FIX, 'files-child.mjs'), dir]);
    kids.push(kid);
    info = JSON.parse(kid.firstLine) as typeof info;
  });

  it('equals psutil.Process(child).open_files() (path, fd, position, mode, flags)', () => {
    const ours = processOpenFiles(info.pid);
    const theirs = psutil<OpenFile[]>(`sorted(psutil.Process(${info.pid}).open_files(), key=lambda f: f.fd)`);
    expect(ours).toEqual(theirs);
  });

  it('has what the child holds, with its modes and positions, and not the deleted file, directory or /dev/null', () => {
    const ours = processOpenFiles(info.pid);
    for (const f of info.files) expect(ours.find((o) => o.fd === f.fd), f.path).toMatchObject(f);
    for (const fd of info.excluded) expect(ours.find((o) => o.fd === fd)).toBeUndefined();
    // O_CLOEXEC (Node opens with it) is among the flags, as fdinfo reports them.
    expect(ours.find((o) => o.fd === info.files[0]!.fd)!.flags & 0o2000000).toBe(0o2000000);
  });

  it('this process too', () => {
    const ours = processOpenFiles(process.pid);
    const theirs = psutil<OpenFile[]>(`sorted(psutil.Process(${process.pid}).open_files(), key=lambda f: f.fd)`);
    expect(ours).toEqual(theirs);
  });

  it('a pid that does not exist: the raw ENOENT', () => {
    expect(() => processOpenFiles(2 ** 22 + 1)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

const canDropPrivileges = typeof process.seteuid === 'function' && process.geteuid?.() === 0;
/** Runs `fn` with the effective uid of nobody (root only, in a forked test worker). */
function asNobody<T>(fn: () => T): T {
  // Group first (ptrace access checks the gids too), and back in the reverse order.
  process.setegid!(65534);
  process.seteuid!(65534);
  try {
    return fn();
  } finally {
    process.seteuid!(0);
    process.setegid!(0);
  }
}

(canDropPrivileges ? describePsutil : describe.skip)('unprivileged caller (euid nobody)', () => {
  let kid: Kid;
  let own: ChildProcess;
  beforeAll(async () => {
    kid = await startKid(process.execPath, (dir) => [join(FIX, 'files-child.mjs'), dir]);
    kids.push(kid);
    // A process of nobody's own: readable by nobody.
    own = spawn('sleep', ['600'], { stdio: 'ignore', uid: 65534, gid: 65534 });
    kids.push({ proc: own, firstLine: '', dir: mkdtempSync(join(tmpdir(), 'ptools-maps-')) });
    await waitUntil(() => sleepingIn(own.pid!), `sleep ${own.pid} (nobody) to start`);
  });

  it('a root process: the raw EACCES from both (psutil run as nobody says AccessDenied)', () => {
    const pid = kid.proc.pid!;
    expect(() => asNobody(() => processOpenFiles(pid))).toThrow(expect.objectContaining({ code: 'EACCES' }));
    expect(() => asNobody(() => processMemoryMaps(pid))).toThrow(expect.objectContaining({ code: 'EACCES' }));
    const script = `import psutil\nfor f in ('open_files', 'memory_maps'):\n  try:\n    getattr(psutil.Process(${pid}), f)()\n    print(f, 'ok')\n  except psutil.AccessDenied:\n    print(f, 'AccessDenied')`;
    expect(execFileSync(PYTHON, ['-c', script], { uid: 65534, gid: 65534, encoding: 'utf8' })).toBe('open_files AccessDenied\nmemory_maps AccessDenied\n');
  });

  it('nobody\'s own process: readable, and equal to what root reads', () => {
    const pid = own.pid!;
    const mine = asNobody(() => processMemoryMaps(pid, { grouped: false }));
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.map((m) => [m.addr, m.perms, m.path])).toEqual(processMemoryMaps(pid, { grouped: false }).map((m) => [m.addr, m.perms, m.path]));
    expect(asNobody(() => processOpenFiles(pid))).toEqual(processOpenFiles(pid));
  });
});
