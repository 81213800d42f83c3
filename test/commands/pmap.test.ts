/**
 * pmap vs procps-ng's pmap 4.0.2, back to back, line by line, on stopped
 * children (SIGSTOP: their mappings and RSS hold still): a plain sleep, and a
 * Python process holding odd mappings (SysV shm, memfd, a deleted file,
 * spaces and UTF-8 in names); and processes with hostile command lines
 * (control characters, C1, invalid and cut UTF-8, 1.1 MB), a zombie with a
 * hostile comm, compared as bytes in the C and a UTF-8 locale.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { mappingName, parsePidArg, pmapMode, procpsCmdline, strtoulHex, type PmapJsonProcess } from '../../src/commands/pmap/index.js';
import { parseMaps } from '../../src/core/procfs/pid-maps.js';
import { encodeSurrogateEscape } from '../../src/core/base/text-bytes.js';
import { PYTHON, describeCommand } from '../helpers/oracle.js';
import { procState, sleepingIn, waitUntil } from '../helpers/wait.js';

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
    // The result is a byte string (one char per byte): pmap prints the bytes.
    const bytes = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
    const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
    expect(procpsCmdline(p('sleep\u0000600\u0000'), false)).toBe('sleep 600');
    expect(procpsCmdline(p('a\u0000\u0000b\u0000'), false)).toBe('a  b');
    expect(procpsCmdline(p('a\nb\tc\u0000'), false)).toBe('a b.c');
    expect(procpsCmdline(p('caf\u00e9\u0000'), false)).toBe('caf??');
    expect(bytes(procpsCmdline(p('caf\u00e9\tx\u0000'), true))).toBe(utf8('caf\u00e9?x'));
    // Surrogate-escaped bytes (core's form) are the bytes themselves: a cut character passes in UTF-8 with what follows.
    expect(bytes(procpsCmdline(p('cut\udce2\udc82\u0000x\u0000'), true))).toBe('637574e28220' + '78');
    expect(procpsCmdline(p('cut\udce2\udc82\u0000x\u0000'), false)).toBe('cut?? x');
    expect(procpsCmdline(p('esc\u001b[2J.del\u007f c1\u0085\udc80\udcff\u0000'), false)).toBe('esc.[2J.del. c1????');
    expect(bytes(procpsCmdline(p('esc\u001b[2J.del\u007f c1\u0085\udc80\udcff\u0000'), true))).toBe(utf8('esc?[2J.del? c1\u0085??'));
    expect(procpsCmdline(p('no-nul-end '), false)).toBe('no-nul-end');
    expect(procpsCmdline(p('\u0000\u0000'), false)).toBe('?');
    expect(procpsCmdline(p('x'.repeat(200_000)), false)).toBe('x'.repeat(131_071));
    expect(procpsCmdline(p('', 'kthreadd'), false)).toBe('[kthreadd]');
    expect(procpsCmdline(p('', 'dead', 'Z'), false)).toBe('[dead] <defunct>');
    expect(procpsCmdline(p('', 'z\u001b\udcff', 'Z'), false)).toBe('[z.?] <defunct>');
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
  // Exec'd and asleep (its loader done), then stopped: nothing about it moves.
  await waitUntil(() => sleepingIn(c.pid!), `sleep ${c.pid} to start`);
  process.kill(c.pid!, 'SIGSTOP');
  await waitUntil(() => procState(c.pid!) === 'T', `sleep ${c.pid} to stop`);
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
  if (line !== null) await waitUntil(() => procState(odd!.pid!) === 'T', 'the Python helper to stop itself');
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
    if (!existsSync(join(ROOT, 'dist', 'commands', 'pmap', 'index.js'))) return;
    const p = String(sleeper.pid);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'ptools'), 'pmap', '-x', p], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    expect(r.stdout).toBe((await ptools(['-x', p])).out);
    expect(r.status).toBe(0);
  });
});

// ------------------------------------------------------------------ hostile command lines

/**
 * The children exec'd with argv given as bytes: a launcher reads one hex
 * argument per line on stdin (the executable first), so neither Node's
 * strings nor the 128 KiB limit on one argument of the launcher gets in
 * the way. The exec'd Python maps two files with hostile names, optionally
 * leaves a zombie child with a hostile comm, prints its directory and the
 * zombie's pid, and stops itself.
 */
const LAUNCH = 'import os, sys\na = [bytes.fromhex(l.strip()) for l in sys.stdin if l.strip()]\nos.execv(a[0], a[1:])\n';
const HOSTILE = String.raw`
import ctypes, mmap, os, signal, tempfile
d = tempfile.mkdtemp(prefix='pt pmap hostile ').encode()
keep = []
def mapfile(name):
    p = os.path.join(d, name)
    with open(p, 'wb') as f:
        f.write(b'x' * 4096)
    f = open(p, 'r+b')
    keep.append((f, mmap.mmap(f.fileno(), 4096)))
mapfile(b'm\xff\xfe\x1b[2J\xc3(\xe2\x82\x7f\xc2\x85.bin')
mapfile('\u00e9'.encode() * 80)
zombie = 0
if os.environ.get('PT_ZOMBIE'):
    zombie = os.fork()
    if zombie == 0:
        ctypes.CDLL(None).prctl(15, b'z\x1b[2J\xff\xc3\xa9\x85\x7f', 0, 0, 0)
        os._exit(0)
print(d.decode(), zombie, flush=True)
os.kill(os.getpid(), signal.SIGSTOP)
`;

interface Hostile {
  child: ChildProcess;
  pid: number;
  dir: string;
  zombie: number;
}

const hostiles: Hostile[] = [];
let hostileReason: string | null = null;

async function waitState(pid: number, want: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    let st = '';
    try {
      const t = readFileSync(`/proc/${pid}/stat`, 'latin1');
      st = t.slice(t.lastIndexOf(')') + 2, t.lastIndexOf(')') + 3);
    } catch {
      return false;
    }
    if (st === want) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

async function startHostile(argv: Buffer[], zombie = false): Promise<Hostile | null> {
  const child = spawn(PYTHON, ['-c', LAUNCH], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...(zombie ? { PT_ZOMBIE: '1' } : {}) } });
  child.stdin!.end([Buffer.from(PYTHON), ...argv].map((a) => `${a.toString('hex')}\n`).join(''));
  const line = await new Promise<string | null>((resolve) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => resolve(l));
    child.once('exit', () => resolve(null));
    setTimeout(() => resolve(null), 20_000);
  });
  if (line === null || !child.pid) {
    if (child.pid && child.exitCode === null) child.kill('SIGKILL');
    return null;
  }
  const m = /^(.*) (\d+)$/.exec(line)!;
  const h: Hostile = { child, pid: child.pid, dir: m[1]!, zombie: Number(m[2]) };
  hostiles.push(h);
  if (!(await waitState(h.pid, 'T'))) return null;
  if (h.zombie && !(await waitState(h.zombie, 'Z'))) return null;
  return h;
}

/** The -c program with '#' padding to `len` bytes. */
const codeOf = (len: number): Buffer => {
  const c = Buffer.from(HOSTILE);
  return len > c.length ? Buffer.concat([c, Buffer.from(`#${'.'.repeat(len - c.length - 1)}`)]) : c;
};

let controls: Hostile | null = null;
let hugeAscii: Hostile | null = null;
let hugeUtf8: Hostile | null = null;

const CONTROL_ARGV = [
  Buffer.from('/usr/bin/py\tth\u00e9on\x1b', 'utf8'), Buffer.from('-c'), codeOf(0),
  // Before the first impossible lead byte: in UTF-8 these pass or become '?' one by one.
  Buffer.from('nl\nx'), Buffer.from('tab\tx'), Buffer.from('esc\x1b[2J.del\x7f', 'latin1'), Buffer.from('c1\u0085\u009b', 'utf8'),
  Buffer.from('cut\xe2\x82', 'latin1'), Buffer.from('bad\xc3(', 'latin1'), Buffer.from('ok\u00e9\u20ac\u{1d11e}', 'utf8'),
  Buffer.from('overlong\xc1\xbf', 'latin1'),
  // From here on the rest is in the C-locale form in UTF-8 too.
  Buffer.from('c1raw\x80\x85\x9f', 'latin1'), Buffer.from('inv\xff\xfe', 'latin1'), Buffer.from('tail\u00e9', 'utf8'),
];

beforeAll(async () => {
  if (!existsSync(PYTHON)) {
    hostileReason = `${PYTHON} is missing`;
    return;
  }
  controls = await startHostile(CONTROL_ARGV, true);
  // 1.1 MB: ten arguments of 110,000 bytes (one argument may not exceed 128 KiB).
  hugeAscii = await startHostile([Buffer.from(PYTHON), Buffer.from('-c'), codeOf(0), ...Array.from({ length: 10 }, (_, i) => Buffer.from(String(i).repeat(110_000)))]);
  // 'é' (2 bytes) throughout, the program padded so that procps' cut at 131071 bytes falls inside one:
  // byte 131070 (the last kept) lies in the second argument, which starts after the first one's NUL.
  const head = Buffer.byteLength(PYTHON) + 1 + 3;
  let code = codeOf(0).length + 1;
  if ((131_070 - (head + code + 110_001)) % 2 !== 0) code++;
  hugeUtf8 = await startHostile([Buffer.from(PYTHON), Buffer.from('-c'), codeOf(code - 1), ...Array.from({ length: 10 }, () => Buffer.from('\u00e9'.repeat(55_000)))]);
  if (!controls || !hugeAscii || !hugeUtf8) hostileReason = 'a Python helper with a hostile command line did not start';
}, 60_000);

afterAll(() => {
  // Only the children this file started, by pid (the zombie goes with its parent).
  for (const h of hostiles) {
    if (h.child.exitCode === null) h.child.kill('SIGKILL');
    if (h.dir && h.dir.includes('pt pmap hostile ')) rmSync(h.dir, { recursive: true, force: true });
  }
});

const LOCALES: Array<[string, NodeJS.ProcessEnv]> = [
  ['LC_ALL=C', { LC_ALL: 'C' }],
  ['LC_ALL=C.UTF-8', { LC_ALL: 'C.UTF-8' }],
  ['LANG=C.UTF-8', { LANG: 'C.UTF-8' }],
  // Not installed here: setlocale fails and pmap stays in the C locale.
  ['LANG=en_US.UTF-8', { LANG: 'en_US.UTF-8' }],
];

function realBytes(args: string[], env: NodeJS.ProcessEnv): { out: Buffer; err: string; code: number } {
  const e: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/nonexistent', ...env };
  const r = spawnSync(PMAP, args, { argv0: 'pmap', env: e, maxBuffer: 64 << 20 });
  return { out: r.stdout, err: r.stderr.toString('utf8'), code: r.status ?? -1 };
}

async function ptoolsBytes(args: string[], env: NodeJS.ProcessEnv): Promise<{ out: Buffer; err: string; code: number }> {
  const io = bufferIO({ env: { HOME: '/nonexistent', ...env } });
  const code = await run(['pmap', ...args], io);
  return { out: io.stdoutBytes(), err: io.stderr(), code };
}

/** Byte for byte; in -X/-XX the header line byte for byte and the rest as diffPmap allows (Pss moves with who maps a page). */
async function compareBytes(args: string[], env: NodeJS.ProcessEnv, label: string): Promise<void> {
  const want = realBytes(args, env);
  const got = await ptoolsBytes(args, env);
  const nl = (b: Buffer): number => (b.indexOf(0x0a) < 0 ? b.length : b.indexOf(0x0a) + 1);
  expect(got.out.subarray(0, nl(got.out)).toString('hex'), `${label}: header line`).toBe(want.out.subarray(0, nl(want.out)).toString('hex'));
  if (args.some((a) => a.startsWith('-X'))) {
    expect(diffPmap(want.out.toString('latin1'), got.out.toString('latin1'), quietHeader(args)), label).toEqual([]);
  } else {
    expect(got.out.equals(want.out), `${label}: whole output\nprocps: ${JSON.stringify(want.out.toString('latin1').slice(0, 3000))}\nptools: ${JSON.stringify(got.out.toString('latin1').slice(0, 3000))}`).toBe(true);
  }
  expect(got.err, `${label} (stderr)`).toBe(want.err);
  expect(got.code, `${label} (status)`).toBe(want.code);
}

describeCommand(PMAP, 'pmap vs procps-ng pmap: hostile command lines, compared as bytes', () => {
  it('control characters, C1, invalid and cut UTF-8, hostile file names: every mode, C and UTF-8 locales', async (ctx) => {
    if (hostileReason || !controls) return ctx.skip(hostileReason ?? 'no helper');
    const p = String(controls.pid);
    const sets = [[p], ['-x', p], ['-X', p], ['-XX', p], ['-d', p], ['-q', p], ['-x', '-q', p], ['-d', '-q', p], ['-X', '-q', p],
      ['-p', p], ['-x', '-p', p], ['-d', '-p', p], ['-X', '-p', p], ['-XX', '-p', p], ['-A', '0,7fffffffffff', p], ['-x', '-A', '7f', p], [p, p]];
    for (const [name, env] of LOCALES) {
      for (const args of sets) await compareBytes(args, env, `${name} pmap ${args.join(' ')}`);
    }
    // What procps prints, for the record (C and UTF-8): escape_str's two forms.
    const c = (await ptoolsBytes([p], { LC_ALL: 'C' })).out.toString('latin1').split('\n')[0]!;
    expect(c).toContain(' nl x tab.x esc.[2J.del. c1???? cut?? bad?( ok????????? overlong?? c1raw??? inv?? tail??');
    const u = (await ptoolsBytes([p], { LC_ALL: 'C.UTF-8' })).out.toString('latin1').split('\n')[0]!;
    const wantU = Buffer.concat([
      Buffer.from(' nl x tab?x esc?[2J.del? c1'), Buffer.from('\u0085\u009b', 'utf8'), Buffer.from(' cut\xe2\x82 bad\xc3(', 'latin1'),
      Buffer.from(' ok\u00e9\u20ac\u{1d11e}', 'utf8'), Buffer.from(' overlong?? c1raw??? inv?? tail??'),
    ]);
    expect(Buffer.from(u, 'latin1').toString('hex')).toContain(wantU.toString('hex'));
    expect(c.startsWith(`${p}:   /usr/bin/py.th??on. -c `)).toBe(true);
  });

  it('a zombie with a hostile comm: "[comm] <defunct>" in every mode and locale', async (ctx) => {
    if (hostileReason || !controls?.zombie) return ctx.skip(hostileReason ?? 'no zombie');
    const z = String(controls.zombie);
    for (const [name, env] of LOCALES) {
      for (const args of [[z], ['-x', z], ['-X', z], ['-d', z], ['-q', z]]) await compareBytes(args, env, `${name} pmap ${args.join(' ')}`);
    }
    expect((await ptoolsBytes([z], { LC_ALL: 'C' })).out.toString('latin1').split('\n')[0]).toBe(`${z}:   [z.[2J????.] <defunct>`);
  });

  it('a 1.1 MB command line: cut at 131071 bytes as procps cuts it (ASCII, and UTF-8 cut inside a character)', async (ctx) => {
    if (hostileReason || !hugeAscii || !hugeUtf8) return ctx.skip(hostileReason ?? 'no helper');
    for (const h of [hugeAscii, hugeUtf8]) {
      const p = String(h.pid);
      expect(readFileSync(`/proc/${p}/cmdline`).length).toBeGreaterThan(1_100_000);
      for (const [name, env] of LOCALES) {
        for (const args of [[p], ['-x', '-q', p], ['-X', p], ['-d', p]]) await compareBytes(args, env, `${name} pmap ${args.join(' ')}`);
      }
      const header = (await ptoolsBytes(['-q', p], { LC_ALL: 'C' })).out.toString('latin1').split('\n')[0]!;
      expect(header.length).toBe(`${p}:   `.length + 131_071);
    }
    // In UTF-8 the character cut by the limit turns into '?' (a sequence cut by the end); the others pass.
    const u = (await ptoolsBytes(['-q', String(hugeUtf8.pid)], { LC_ALL: 'C.UTF-8' })).out;
    const line = u.subarray(0, u.indexOf(0x0a));
    expect(line.subarray(-5).toString('hex')).toBe('c3a9c3a93f');
  });

  it('--json is lossless: argv, cmdline, comm and mapping paths give back the exact bytes, nothing cut', async (ctx) => {
    if (hostileReason || !controls || !hugeAscii || !hugeUtf8) return ctx.skip(hostileReason ?? 'no helper');
    const enc = encodeSurrogateEscape;
    for (const h of [controls, hugeAscii, hugeUtf8]) {
      const p = String(h.pid);
      const r = await ptoolsBytes(['--json', p], { LC_ALL: 'C' });
      expect(r.code).toBe(0);
      // The JSON text is ASCII-safe where bytes are not UTF-8: lone surrogates leave as \\udcXX escapes.
      expect(r.out.toString('utf8').includes('\ufffd')).toBe(false);
      const j = (JSON.parse(r.out.toString('utf8')) as PmapJsonProcess[])[0]!;
      const raw = readFileSync(`/proc/${p}/cmdline`);
      expect(Buffer.concat(j.argv.map((a) => Buffer.concat([enc(a), Buffer.of(0)]))).equals(raw)).toBe(true);
      const joined = Buffer.from(raw.subarray(0, raw.length - 1)).map((c) => (c === 0 ? 0x20 : c));
      expect(enc(j.cmdline).equals(Buffer.from(joined))).toBe(true);
      const comm = readFileSync(`/proc/${p}/comm`);
      expect(enc(j.comm).equals(comm.subarray(0, comm.length - 1))).toBe(true);
      const names = readdirSync(Buffer.from(h.dir), { encoding: 'buffer' });
      for (const n of names) {
        const path = Buffer.concat([Buffer.from(`${h.dir}/`), n]);
        const m = j.mappings!.find((x) => x.path !== null && enc(x.path).equals(path));
        expect(m, `a mapping of ${JSON.stringify(path.toString('latin1'))}`).toBeDefined();
        expect(enc(m!.mapping).equals(n)).toBe(true);
      }
    }
    expect(JSON.parse((await ptoolsBytes(['--json', String(controls.pid)], {})).out.toString())[0].argv[3]).toBe('nl\nx');
    // The zombie: no arguments, its comm exact.
    const z = (JSON.parse((await ptoolsBytes(['--json', String(controls.zombie)], {})).out.toString()) as PmapJsonProcess[])[0]!;
    expect(z.argv).toEqual([]);
    expect(enc(z.comm).equals(Buffer.from('z\x1b[2J\xff\xc3\xa9\x85\x7f', 'latin1'))).toBe(true);
    expect(z.cmdline).toBe(`[${z.comm}] <defunct>`);
  });
});
