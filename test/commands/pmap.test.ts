/**
 * pmap vs procps-ng's pmap 4.0.2, back to back, line by line, on stopped
 * children (SIGSTOP: their mappings and RSS hold still): a plain sleep, and a
 * Python process holding odd mappings (SysV shm, memfd, a deleted file,
 * spaces and UTF-8 in names).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { mappingName, parsePidArg, pmapMode, procpsCmdline, strtoulHex, type PmapJsonProcess } from '../../src/commands/pmap.js';
import { parseMaps } from '../../src/core/pmap.js';
import { PYTHON, describeCommand } from '../helpers/oracle.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PMAP = '/usr/bin/pmap';

interface Out {
  out: string;
  err: string;
  code: number;
}

async function ptools(args: string[], env: NodeJS.ProcessEnv = { LC_ALL: 'C', HOME: '/nonexistent' }): Promise<Out> {
  const io = bufferIO({ env });
  const code = await run(['pmap', ...args], io);
  return { out: io.stdout(), err: io.stderr(), code };
}

function real(args: string[]): Out {
  // HOME points nowhere so that no ~/.pmaprc is read (or written).
  const r = spawnSync(PMAP, args, { argv0: 'pmap', encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', HOME: '/nonexistent' } });
  return { out: r.stdout, err: r.stderr, code: r.status ?? -1 };
}

/**
 * Exact, line by line — except, in -X/-XX, the columns that depend on how
 * many processes map a page (Pss*, SwapPss, Shared_*, Private_*): the readers
 * themselves (pmap, node, python) map libc, ld.so, liblzma and the locale
 * files, so a page is "shared" or not, and its proportional share, depending
 * on who is running at that instant. Those numbers may differ by up to the
 * row's Rss (each lies in [0, Rss]); their column widths may differ with
 * them, so -X rows are compared token by token. Rss, Size, Referenced,
 * Anonymous, Swap and the -x Dirty column (Shared_Dirty + Private_Dirty) are
 * exact.
 */
function diffPmap(want: string, got: string, quietHeader: string[] = []): string[] {
  const a = want.split('\n');
  const b = got.split('\n');
  const out: string[] = [];
  if (a.length !== b.length) out.push(`line count ${a.length} (procps) vs ${b.length} (ptools)`);
  let header: string[] = quietHeader;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const tx = x.trim().split(/\s+/);
    const ty = y.trim().split(/\s+/);
    if (tx[0] === 'Address' && tx.includes('Inode')) header = tx;
    if (x === y) continue;
    let ok = header.length > 0 && tx.length === ty.length;
    if (ok) {
      // Data rows line up with the header; '=' and total rows start at the first field column (after Inode).
      const shift = /^[= ]+$/.test(x) || x.endsWith('KB ') ? header.indexOf('Inode') + 1 : 0;
      const rssCol = header.indexOf('Rss') - shift;
      for (let k = 0; k < tx.length && ok; k++) {
        const name = header[k + shift] ?? '';
        if (tx[k] === ty[k]) continue;
        if (!/Pss|^Shared_|^Private_/.test(name)) ok = false;
        else if (/^=+$/.test(tx[k]!)) continue;
        else ok = Math.abs(Number(tx[k]) - Number(ty[k])) <= Number(tx[rssCol] ?? 0);
      }
    }
    if (!ok) out.push(`line ${i + 1}:\n  procps: ${JSON.stringify(x)}\n  ptools: ${JSON.stringify(y)}`);
  }
  return out;
}

/** -X -q prints no header: the column names come from the same command without -q. */
function quietHeader(args: string[]): string[] {
  if (!args.includes('-q') || !args.some((a) => a.startsWith('-X'))) return [];
  const line = real(args.filter((a) => a !== '-q')).out.split('\n').find((l) => /^\s*Address .*Inode/.test(l));
  return line ? line.trim().split(/\s+/) : [];
}

// ------------------------------------------------------------------ pure parts

describe('pmap pieces', () => {
  it('PID arguments are read as strtoul(.., 0) reads them', () => {
    expect(parsePidArg('123')).toBe(123);
    expect(parsePidArg('0x10')).toBe(16);
    expect(parsePidArg('010')).toBe(8);
    expect(parsePidArg('08')).toBeNaN();
    expect(parsePidArg('0')).toBeNaN();
    expect(parsePidArg('2147483648')).toBeNaN();
    expect(parsePidArg('12a')).toBeNaN();
  });
  it('-A bounds are read as strtoul(.., 16) reads them', () => {
    expect(strtoulHex('7f00')).toEqual({ value: 0x7f00n, rest: '' });
    expect(strtoulHex('0x7f00')).toEqual({ value: 0x7f00n, rest: '' });
    expect(strtoulHex('  ff')).toEqual({ value: 0xffn, rest: '' });
    expect(strtoulHex('0x')).toEqual({ value: 0n, rest: 'x' });
    expect(strtoulHex('zz')).toEqual({ value: 0n, rest: 'zz' });
    expect(strtoulHex('-1').value).toBe((1n << 64n) - 1n);
    expect(strtoulHex('1'.repeat(30)).value).toBe((1n << 64n) - 1n);
  });
  it('mode and mapping names as procps writes them', () => {
    expect(pmapMode('r-xp')).toBe('r-x--');
    expect(pmapMode('rw-s')).toBe('rw-s-');
    const m = parseMaps(
      '7f2c10000000-7f2c10021000 rw-s 00000000 00:01 65568 /SYSV0000162e (deleted)\n' +
        '7f2c30000000-7f2c30001000 r--p 00000000 08:02 99 /tmp/a dir/with spaces.txt\n' +
        '7f2c50000000-7f2c50001000 r--p 00000000 08:02 100 /tmp/caf\u00e9/x\u0001y\n' +
        '7f2c60000000-7f2c60001000 rw-p 00000000 00:00 0 [heap]\n' +
        '7f2c70000000-7f2c70021000 rw-p 00000000 00:00 0 [stack]\n',
    );
    expect(mappingName(m[0]!, 0n, false)).toBe('  [ shmid=0x10020 ]');
    expect(mappingName(m[1]!, 0n, false)).toBe('with spaces.txt');
    expect(mappingName(m[1]!, 0n, true)).toBe('/tmp/a dir/with spaces.txt');
    expect(mappingName(m[2]!, 0n, true)).toBe('/tmp/caf??/x?y');
    expect(mappingName(m[3]!, 0n, false)).toBe('  [ anon ]');
    expect(mappingName(m[4]!, 0x7f2c70000010n, false)).toBe('  [ stack ]');
  });
  it('command lines as procps escapes them (C and UTF-8 locales), kernel threads, zombies', () => {
    const p = (cmdline: string, comm = 'x', state = 'S') => ({ cmdline, comm, state });
    expect(procpsCmdline(p('sleep\u0000600\u0000'), false)).toBe('sleep 600');
    expect(procpsCmdline(p('a\u0000\u0000b\u0000'), false)).toBe('a  b');
    expect(procpsCmdline(p('a\nb\tc\u0000'), false)).toBe('a b.c');
    expect(procpsCmdline(p('caf\u00e9\u0000'), false)).toBe('caf??');
    expect(procpsCmdline(p('caf\u00e9\tx\u0000'), true)).toBe('caf\u00e9?x');
    expect(procpsCmdline(p('no-nul-end '), false)).toBe('no-nul-end');
    expect(procpsCmdline(p('', 'kthreadd'), false)).toBe('[kthreadd]');
    expect(procpsCmdline(p('', 'dead', 'Z'), false)).toBe('[dead] <defunct>');
  });
});

// ------------------------------------------------------------------ stopped children

let sleeper: ChildProcess;
let sleeper2: ChildProcess;
let odd: ChildProcess | undefined;
let oddDir: string | undefined;
let oddReason: string | null = null;

const ODD = String.raw`
import ctypes, mmap, os, signal, tempfile
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
keep = []
shmid = libc.shmget(0, 65536, 0o1600)
if shmid >= 0:
    libc.shmat(shmid, None, 0)
    libc.shmctl(shmid, 0, None)
d = tempfile.mkdtemp(prefix='pt pmap ')
def mapfile(name, deleted=False):
    p = os.path.join(d, name)
    with open(p, 'wb') as f:
        f.write(b'x' * 8192)
    f = open(p, 'r+b')
    keep.append((f, mmap.mmap(f.fileno(), 8192)))
    if deleted:
        os.unlink(p)
mapfile('with spaces.txt')
mapfile('caf\u00e9.bin')
mapfile('gone.bin', True)
fd = os.memfd_create('ptools-test')
os.ftruncate(fd, 8192)
keep.append(mmap.mmap(fd, 8192))
print(d, flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
`;

async function stoppedSleep(): Promise<ChildProcess> {
  const c = spawn('sleep', ['600'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 150));
  process.kill(c.pid!, 'SIGSTOP');
  return c;
}

beforeAll(async () => {
  sleeper = await stoppedSleep();
  sleeper2 = await stoppedSleep();
  if (!existsSync(PYTHON)) {
    oddReason = `${PYTHON} is missing`;
    return;
  }
  odd = spawn(PYTHON, ['-c', ODD], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise<string | null>((resolve) => {
    const rl = createInterface({ input: odd!.stdout! });
    rl.once('line', (l) => resolve(l));
    odd!.once('exit', () => resolve(null));
    setTimeout(() => resolve(null), 10_000);
  });
  if (line === null) oddReason = 'the Python helper did not start';
  else oddDir = line;
  // Wait until it has stopped itself.
  for (let i = 0; i < 100 && odd.pid; i++) {
    const st = spawnSync('ps', ['-o', 'stat=', '-p', String(odd.pid)], { encoding: 'utf8' }).stdout.trim();
    if (st.startsWith('T')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(() => {
  sleeper.kill('SIGKILL');
  sleeper2.kill('SIGKILL');
  odd?.kill('SIGKILL');
  if (oddDir) rmSync(oddDir, { recursive: true, force: true });
});

describeCommand(PMAP, 'pmap vs procps-ng pmap on stopped children', () => {
  const sets = (p: string, q: string): string[][] => [
    [p], ['-x', p], ['-X', p], ['-XX', p], ['-d', p], ['-q', p], ['-x', '-q', p], ['-d', '-q', p], ['-X', '-q', p],
    ['-XX', '-q', p], ['-p', p], ['-x', '-p', p], ['-d', '-p', p], ['-X', '-p', p], ['--extended', p], ['--device', '--quiet', p],
    ['-A', '7f0000000000,7fffffffffff', p], ['-x', '-A', '7f0000000000,7fffffffffff', p], ['-d', '-A', '7f', p],
    ['-A', ',7f0000000000', p], ['-x', `--range=${'0'}`, p], ['-A', 'ffffffffff600000', p],
    [p, q], ['-x', p, q], ['-X', p, q], ['-XX', '-q', q, p], [p, '999999999', q], ['-x', '999999999'], [p, '-x'],
    ['2'], ['-x', '2'], ['-X', '2', p], ['-X', p, '2'], ['-d', '2'], ['1', p], [`/proc/${p}`], ['-r', p], ['--', p],
  ];
  it('runs 38 argument sets, each identical line by line (Pss columns within the row Rss)', async () => {
    const p = String(sleeper.pid);
    const q = String(sleeper2.pid);
    for (const args of sets(p, q)) {
      const want = real(args);
      const got = await ptools(args);
      expect(diffPmap(want.out, got.out, quietHeader(args)), `pmap ${args.join(' ')}`).toEqual([]);
      expect(got.err, `pmap ${args.join(' ')} (stderr)`).toBe(want.err);
      expect(got.code, `pmap ${args.join(' ')} (status)`).toBe(want.code);
    }
  });

  it('odd mappings (SysV shm, memfd, deleted, spaces, UTF-8 names): default, -x, -d, -p, -X, -XX', async (ctx) => {
    if (oddReason) return ctx.skip(oddReason);
    const p = String(odd!.pid);
    const text = (await ptools([p])).out;
    expect(text).toMatch(/ {2}\[ shmid=0x[0-9a-f]+ \]/);
    expect(text).toContain('with spaces.txt');
    expect(text).toContain('caf??.bin');
    expect(text).toContain('gone.bin (deleted)');
    expect(text).toContain('memfd:ptools-test (deleted)');
    for (const args of [[p], ['-x', p], ['-d', p], ['-p', p], ['-x', '-p', p], ['-X', p], ['-XX', '-p', p]]) {
      const want = real(args);
      const got = await ptools(args);
      expect(diffPmap(want.out, got.out), `pmap ${args.join(' ')}`).toEqual([]);
      expect(got.code).toBe(want.code);
    }
  });

  it('bad input: procps\' messages and statuses, nothing on stdout', async () => {
    const p = String(sleeper.pid);
    const cases: string[][] = [
      [], ['abc'], ['0'], ['-1'], ['12x'], ['-z', p], ['--bogus', p], ['--read', p], ['--extended=1', p], ['-A'], ['--range'],
      ['-A', 'zz', p], ['-A', '1,zz', p], ['-x', '-d', p], ['-X', '-x', p], ['-d', '-X', p], ['-x'], ['/proc/abc'], ['/proc/'],
      ['-n', '-q'], ['-N', 'f', '-p'], ['-n', p],
    ];
    for (const args of cases) {
      const want = real(args);
      const got = await ptools(args);
      expect([got.out, got.err, got.code], `pmap ${args.join(' ')}`).toEqual([want.out, want.err, want.code]);
    }
  });

  it('refuses -c, -C, -n and -N with one clear line, reading and writing nothing', async () => {
    const p = String(sleeper.pid);
    for (const args of [['-c', p], ['-C', '/etc/hostname', p], ['-n'], ['-N', '/tmp/ptools-pmaprc-never']]) {
      const got = await ptools(args);
      expect(got.code).toBe(1);
      expect(got.out).toBe('');
      expect(got.err).toMatch(/^pmap: -c, -C, -n and -N \(rc files\) are not supported by ptools' pmap; nothing was read or written\n$/);
    }
    expect(existsSync('/tmp/ptools-pmaprc-never')).toBe(false);
  });

  it('--help, --version', async () => {
    const h = await ptools(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain(' -A, --range=<low>[,<high>]  limit results to the given range\n');
    expect(h.out).toContain('--json');
    const v = await ptools(['-V']);
    expect(v.out).toMatch(/^pmap from ptools \d+\.\d+\.\d+\n$/);
  });

  it('--json: one object per process found, agreeing with -x and -d', async () => {
    const p = String(sleeper.pid);
    const j = await ptools(['--json', p, '999999999', String(sleeper2.pid)]);
    expect(j.code).toBe(42);
    const procs = JSON.parse(j.out) as PmapJsonProcess[];
    expect(procs.map((x) => x.pid)).toEqual([sleeper.pid, sleeper2.pid]);
    const x = (await ptools(['-x', p])).out.split('\n');
    const d = (await ptools(['-d', p])).out.split('\n');
    const first = procs[0]!;
    expect(first.cmdline).toBe('sleep 600');
    expect(x[0]).toBe(`${p}:   sleep 600`);
    const rows = x.slice(2, 2 + first.mappings!.length);
    first.mappings!.forEach((m, i) => {
      expect(Object.keys(m).sort()).toEqual(
        ['address', 'device', 'dirty', 'end', 'inode', 'mapping', 'mode', 'offset', 'path', 'perms', 'pss', 'rss', 'size', 'smaps', 'swap', 'vmFlags'].sort(),
      );
      expect(typeof m.size).toBe('number');
      expect(typeof m.address).toBe('string');
      const [addr, kb, rss, dirty, mode] = rows[i]!.trim().split(/\s+/);
      expect(addr).toBe(m.address.padStart(16, '0'));
      expect(Number(kb) * 1024).toBe(m.size);
      expect(Number(rss) * 1024).toBe(m.rss);
      expect(Number(dirty) * 1024).toBe(m.dirty);
      expect(mode).toBe(m.mode);
      expect(rows[i]!.endsWith(` ${m.mapping}`)).toBe(true);
      expect(m.smaps.Rss).toBe(m.rss);
      expect(d[2 + i]).toContain(` ${m.offset.padStart(16, '0')} `);
    });
    const total = x[x.length - 2]!.trim().split(/\s+/);
    expect(Number(total[2]) * 1024).toBe(first.total!.size);
    expect(Number(total[3]) * 1024).toBe(first.total!.rss);
    expect(d[d.length - 2]).toBe(`mapped: ${first.total!.size / 1024}K    writeable/private: ${first.total!.writeablePrivate / 1024}K    shared: ${first.total!.shared / 1024}K`);
    const ranged = JSON.parse((await ptools(['--json', '-A', '7f0000000000,7fffffffffff', p])).out) as PmapJsonProcess[];
    expect(ranged[0]!.mappings!.every((m) => BigInt(`0x${m.address}`) >= 0x7f0000000000n && BigInt(`0x${m.address}`) <= 0x7fffffffffffn)).toBe(true);
    const kthread = JSON.parse((await ptools(['--json', '2'])).out) as PmapJsonProcess[];
    expect(kthread[0]).toMatchObject({ pid: 2, cmdline: '[kthreadd]', mappings: [] });
  });

  it('the launcher (bin/ptools pmap -x) prints what the in-process run prints', async () => {
    if (!existsSync(join(ROOT, 'dist', 'commands', 'pmap.js'))) return;
    const p = String(sleeper.pid);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ptools'), 'pmap', '-x', p], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    expect(r.stdout).toBe((await ptools(['-x', p])).out);
    expect(r.status).toBe(0);
  });
});
