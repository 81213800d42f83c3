/**
 * The single binary (make binary → dist/bin/ptools-linux-x64), run as a user
 * would: copied alone into an empty directory, PATH without node, a fresh
 * per-user cache. Its output is compared with the npm package's launchers
 * (node bin/...) on the same machine, and its addon cache is raced and
 * tampered with.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync, chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand } from '../helpers/oracle.js';
import { cleanup, ensureBinary, freezeProc, ok, onPath, parsePsAux, prebuild, root, run, tempDir } from './helpers.js';

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const isRoot = process.geteuid?.() === 0;

let home: string; // the empty directory the binary is copied into
let bin: string;
let pps: string;
let seq = 0;

/** An environment with nothing but the binary's directory on PATH and a private cache. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: home, HOME: join(home, 'home'), XDG_CACHE_HOME: join(home, `cache-${seq++}`), LC_ALL: 'C', TZ: 'UTC', ...extra };
}
/** The same for the node launchers (they need node on PATH). */
const nodeEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: 'C', TZ: 'UTC' });

beforeAll(() => {
  const built = ensureBinary();
  home = tempDir('sea');
  bin = join(home, 'ptools-linux-x64');
  pps = join(home, 'pps');
  copyFileSync(built, bin);
  copyFileSync(built, pps);
  chmodSync(bin, 0o755);
  chmodSync(pps, 0o755);
  mkdirSync(join(home, 'home'));
});
afterAll(() => cleanup(home));

describe('the single binary on a machine without node', () => {
  it('is one executable file in an otherwise empty directory, and PATH has no node', () => {
    expect(readdirSync(home).sort()).toEqual(['home', 'pps', 'ptools-linux-x64']);
    expect(statSync(bin).mode & 0o111).toBeTruthy();
    expect(onPath('node', home)).toBe(false);
    expect(onPath('ptools-linux-x64', home)).toBe(true);
  });

  it('--version prints the package version, as node bin/ptools does', () => {
    const out = ok('ptools-linux-x64', ['--version'], { env: env(), cwd: home });
    expect(out).toBe(`ptools ${version}\n`);
    expect(ok(process.execPath, [join(root, 'bin', 'ptools'), '--version'], { env: nodeEnv() })).toBe(out);
  });

  describe('on a still copy of /proc (PTOOLS_PROCFS_PATH), output is byte for byte that of node bin/...', () => {
    let frozen: string;
    beforeAll(() => {
      frozen = freezeProc(join(tempDir('frozen-proc'), 'proc'));
    });
    afterAll(() => cleanup(join(frozen, '..')));
    const still = () => ({ PTOOLS_PROCFS_PATH: frozen });
    const cases: [string, string, string[], string[]][] = [
      ['ptools-linux-x64 ps aux', 'ptools-linux-x64', ['ps', 'aux'], ['pps', 'aux']],
      ['pps aux', 'pps', ['aux'], ['pps', 'aux']],
      ['pps aux --json', 'pps', ['aux', '--json'], ['pps', 'aux', '--json']],
      ['ptools-linux-x64 free -b --json', 'ptools-linux-x64', ['free', '-b', '--json'], ['ptools', 'free', '-b', '--json']],
      ['ptools-linux-x64 free -h', 'ptools-linux-x64', ['free', '-h'], ['ptools', 'free', '-h']],
    ];
    for (const [name, exe, args, [launcher, ...nodeArgs]] of cases) {
      it(name, () => {
        const a = ok(exe, args, { env: env(still()), cwd: home });
        const b = ok(process.execPath, [join(root, 'bin', launcher!), ...nodeArgs], { env: { ...nodeEnv(), ...still() } });
        expect(a.length).toBeGreaterThan(100);
        expect(a).toBe(b);
      });
    }
  });

  it('free -b --json agrees with node bin/ptools free -b --json on the live system', () => {
    type Free = Record<string, Record<string, number>>;
    const a = JSON.parse(ok('ptools-linux-x64', ['free', '-b', '--json'], { env: env(), cwd: home })) as Free;
    const b = JSON.parse(ok(process.execPath, [join(root, 'bin', 'ptools'), 'free', '-b', '--json'], { env: nodeEnv() })) as Free;
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const k of Object.keys(a)) expect(Object.keys(a[k]!), k).toEqual(Object.keys(b[k]!));
    // Sizes of things that do not move are equal.
    for (const [k, f] of [['mem', 'total'], ['swap', 'total'], ['low', 'total'], ['high', 'total'], ['total', 'total'], ['comm', 'total']] as const) {
      if (a[k]?.[f] !== undefined) expect(a[k]![f], `${k}.${f}`).toBe(b[k]![f]);
    }
    // Usage moves between the two runs (~100 ms apart) while other test
    // suites allocate on this machine: within 1% of RAM.
    const tol = a.mem!.total! / 100;
    for (const k of Object.keys(a)) {
      for (const f of Object.keys(a[k]!)) expect(Math.abs(a[k]![f]! - b[k]![f]!), `${k}.${f}`).toBeLessThanOrEqual(tol);
    }
  });

  /**
   * Live `ps aux` from the binary (A), node bin/pps (B), the binary again (A2).
   * Masked, because they move on a live system between runs: %CPU, %MEM,
   * VSZ, RSS, STAT, TIME; the workqueue a kernel worker names after its
   * last or current work item (`[kworker/u8:0-writeback]`,
   * `[kworker/1:0+events]`); and any field that
   * changed between A and A2 by itself (a process exec'ing). Processes that
   * started or ended between the runs (the ps runs themselves, other test
   * suites) are not in all three. Every other field must be equal.
   */
  function comparePsAux(a: string, b: string, a2: string): void {
    const [A, B, A2] = [parsePsAux(a), parsePsAux(b), parsePsAux(a2)];
    expect(A.header).toMatch(/^USER +PID %CPU %MEM +VSZ +RSS TTY +STAT START +TIME COMMAND$/);
    expect(B.header).toBe(A.header);
    const common = [...A.rows.keys()].filter((p) => B.rows.has(p) && A2.rows.has(p));
    expect(common.length).toBeGreaterThan(0.8 * A.rows.size);
    // The kernel appends '-<last workqueue>' or '+<workqueue running now>'.
    const kworker = (c: string) => c.replace(/^\[(kworker\/[^\]+-]+)[-+][^\]]*\]$/, '[$1]');
    let compared = 0;
    for (const pid of common) {
      const [ra, rb, ra2] = [A.rows.get(pid)!, B.rows.get(pid)!, A2.rows.get(pid)!];
      for (const f of ['user', 'pid', 'tty', 'start', 'command'] as const) {
        const [va, vb, va2] = f === 'command' ? [kworker(ra[f]), kworker(rb[f]), kworker(ra2[f])] : [ra[f], rb[f], ra2[f]];
        if (va !== va2) continue;
        expect(vb, `pid ${pid} ${f}`).toBe(va);
        compared++;
      }
    }
    // Not a vacuous comparison: nearly every process's identity was compared.
    expect(compared).toBeGreaterThan(common.length * 5 * 0.95);
  }

  it('ptools-linux-x64 ps aux agrees with node bin/pps aux on the live system', () => {
    const a = ok('ptools-linux-x64', ['ps', 'aux'], { env: env(), cwd: home });
    const b = ok(process.execPath, [join(root, 'bin', 'pps'), 'aux'], { env: nodeEnv() });
    const a2 = ok('ptools-linux-x64', ['ps', 'aux'], { env: env(), cwd: home });
    comparePsAux(a, b, a2);
  });

  it('the same file named pps runs ps: pps aux agrees with node bin/pps aux on the live system', () => {
    const a = ok('pps', ['aux'], { env: env(), cwd: home });
    const b = ok(process.execPath, [join(root, 'bin', 'pps'), 'aux'], { env: nodeEnv() });
    const a2 = ok('pps', ['aux'], { env: env(), cwd: home });
    comparePsAux(a, b, a2);
  });

  it('pps names itself pps in its messages, with the status node bin/pps gives', () => {
    const bad = run('pps', ['--no-such-option'], { env: env(), cwd: home });
    const badNode = run(process.execPath, [join(root, 'bin', 'pps'), '--no-such-option'], { env: nodeEnv() });
    expect(bad.status).not.toBe(0);
    expect(bad.status).toBe(badNode.status);
    expect(bad.stderr).toBe(badNode.stderr);
    expect(bad.stdout).toBe('');
  });

  it('a symbolic link named pps runs ps too (the name run, not the file, picks the command)', () => {
    const dir = join(home, 'links');
    mkdirSync(dir);
    symlinkSync(bin, join(dir, 'pps'));
    try {
      const out = ok(join(dir, 'pps'), ['-p', '1', '-o', 'pid='], { env: env() });
      expect(out.trim()).toBe('1');
    } finally {
      cleanup(dir);
    }
  });
});

/** The cache directory the binary uses under `cache`, and its contents. */
function cacheDirOf(cache: string): string {
  const top = join(cache, 'ptools');
  const dirs = readdirSync(top);
  expect(dirs).toHaveLength(1);
  expect(dirs[0]).toMatch(new RegExp(`^${version.replace(/\./g, '\\.')}-[0-9a-f]{16}$`));
  return join(top, dirs[0]!);
}

/**
 * Runs the binary with `args` (by default `free -b --json`, which needs the
 * addon); resolves with status, signal, stdout, stderr. A run that takes
 * longer than `timeoutMs` is killed (SIGKILL) and resolves with status null:
 * a hang fails the test instead of blocking it.
 */
function start(e: NodeJS.ProcessEnv, args: string[] = ['free', '-b', '--json'], timeoutMs = 120_000): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: e, cwd: home, timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

describe('the addon cache', () => {
  const addon = readFileSync(prebuild);
  const pkg = readFileSync(join(root, 'package.json'));

  it('is created at first use with 0700 directories and 0600 files holding the embedded bytes', async () => {
    const e = env();
    const r = await start(e);
    expect(r.status, r.stderr).toBe(0);
    const dir = cacheDirOf(e.XDG_CACHE_HOME!);
    expect(statSync(join(e.XDG_CACHE_HOME!, 'ptools')).mode & 0o777).toBe(0o700);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual(['package.json', 'ptools.node']);
    for (const f of ['package.json', 'ptools.node']) {
      const st = lstatSync(join(dir, f));
      expect(st.isFile()).toBe(true);
      expect(st.mode & 0o777).toBe(0o600);
      expect(st.uid).toBe(process.geteuid!());
    }
    expect(readFileSync(join(dir, 'ptools.node')).equals(addon)).toBe(true);
    expect(readFileSync(join(dir, 'package.json')).equals(pkg)).toBe(true);
  });

  it('falls back to ~/.cache without XDG_CACHE_HOME, and to a private temp dir (removed at exit) without either', async () => {
    const h = join(home, `h-${seq++}`);
    mkdirSync(h);
    const e1 = { ...env(), HOME: h, XDG_CACHE_HOME: undefined };
    const r1 = await start(e1);
    expect(r1.status, r1.stderr).toBe(0);
    expect(readFileSync(join(cacheDirOf(join(h, '.cache')), 'ptools.node')).equals(addon)).toBe(true);

    const tmp = join(home, `tmp-${seq++}`);
    mkdirSync(tmp);
    // HOME unwritable (a file, not a directory) and no XDG_CACHE_HOME.
    const notDir = join(home, `file-${seq++}`);
    writeFileSync(notDir, '');
    const e2 = { ...env(), HOME: notDir, XDG_CACHE_HOME: undefined, TMPDIR: tmp, PTOOLS_SEA_DEBUG: '1' };
    const r2 = await start(e2);
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stderr).toMatch(/using private temp directory /);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('two (and four) copies started at the same moment on an empty cache all succeed', async () => {
    let raced = 0;
    // Until two copies really wrote at once (the scheduler decides when that happens; at most 20 rounds).
    for (let round = 0; round < 20 && raced === 0; round++) {
      const e = env({ PTOOLS_SEA_DEBUG: '1' });
      const n = round === 0 ? 2 : 4;
      const rs = await Promise.all(Array.from({ length: n }, () => start(e)));
      for (const r of rs) {
        expect(r.status, r.stderr).toBe(0);
        expect((JSON.parse(r.stdout) as { mem: { total: number } }).mem.total).toBeGreaterThan(0);
      }
      const dir = cacheDirOf(e.XDG_CACHE_HOME!);
      // Complete files only, no temp files left behind.
      expect(readdirSync(dir).sort()).toEqual(['package.json', 'ptools.node']);
      expect(readFileSync(join(dir, 'ptools.node')).equals(addon)).toBe(true);
      // How many of them found the cache empty and wrote the addon themselves.
      const writers = rs.filter((r) => /wrote .*ptools\.node/.test(r.stderr)).length;
      if (writers >= 2) raced++;
    }
    // The race was really run: in some round at least two copies wrote at once.
    expect(raced).toBeGreaterThan(0);
  });

  // A cache on a noexec mount (a hardened /home): dlopen fails there, so the
  // addon is loaded from a private temp dir. Needs root to mount a tmpfs.
  const canMount = isRoot && run('/bin/sh', ['-c', 'd=$(mktemp -d) && mount -t tmpfs -o noexec,size=1m tmpfs "$d" && umount "$d"; r=$?; rmdir "$d"; exit $r']).status === 0;
  (canMount ? it : it.skip)(`a cache on a noexec file system: the addon is loaded from a private temp dir${canMount ? '' : ' [SKIPPED: cannot mount a tmpfs here]'}`, async () => {
    const mnt = join(home, `noexec-${seq++}`);
    mkdirSync(mnt);
    ok('mount', ['-t', 'tmpfs', '-o', 'noexec,size=4m', 'tmpfs', mnt]);
    try {
      const tmp = join(home, `tmp-${seq++}`);
      mkdirSync(tmp);
      const r = await start({ ...env({ PTOOLS_SEA_DEBUG: '1' }), XDG_CACHE_HOME: mnt, TMPDIR: tmp });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/could not load .*ptools\.node: .*failed to map segment/);
      expect(r.stderr).toMatch(new RegExp(`loaded ${tmp}/ptools-\\w+/ptools\\.node`));
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      run('umount', [mnt]);
    }
  });

  describe('a cache that was tampered with is detected and rewritten, never loaded', () => {
    let marker: string; // a shared object that creates `loaded` when anything dlopens it
    let loaded: string;
    beforeAll(() => {
      loaded = join(home, 'TAMPERED-OBJECT-WAS-LOADED');
      const src = join(home, 'marker.c');
      marker = join(home, 'marker.so');
      writeFileSync(src, `#include <fcntl.h>\n#include <unistd.h>\n__attribute__((constructor)) static void tampered(void) { int fd = open(${JSON.stringify(loaded)}, O_CREAT | O_WRONLY, 0644); if (fd >= 0) close(fd); }\n`);
      if (!hasCommand('cc')) throw new Error('cc is needed to build the tampered object (make test builds the addon with it too)');
      ok('cc', ['-shared', '-fPIC', '-o', marker, src]);
      cleanup(src);
    });

    /** A cache populated by one run; returns its env and directory. */
    async function populated(): Promise<{ e: NodeJS.ProcessEnv; dir: string }> {
      const e = env({ PTOOLS_SEA_DEBUG: '1' });
      const r = await start(e);
      expect(r.status, r.stderr).toBe(0);
      return { e, dir: cacheDirOf(e.XDG_CACHE_HOME!) };
    }

    it('the marker object does run its code when loaded (the check below can fail)', () => {
      const r = run(process.execPath, ['-e', `try { process.dlopen({ exports: {} }, ${JSON.stringify(marker)}) } catch {}`]);
      expect(r.status).toBe(0);
      expect(existsSync(loaded)).toBe(true);
      cleanup(loaded);
    });

    it('other content in ptools.node', async () => {
      const { e, dir } = await populated();
      copyFileSync(marker, join(dir, 'ptools.node'));
      chmodSync(join(dir, 'ptools.node'), 0o600);
      const r = await start(e);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/rewriting .*ptools\.node: .* (differs from the embedded copy|has \d+ bytes, not the embedded)/);
      expect(existsSync(loaded)).toBe(false);
      expect(readFileSync(join(dir, 'ptools.node')).equals(addon)).toBe(true);
    });

    it('the same size, one byte changed', async () => {
      const { e, dir } = await populated();
      const bad = Buffer.from(addon);
      bad[bad.length >> 1] ^= 0xff;
      writeFileSync(join(dir, 'ptools.node'), bad, { mode: 0o600 });
      const r = await start(e);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/rewriting .*ptools\.node: .*differs from the embedded copy/);
      expect(readFileSync(join(dir, 'ptools.node')).equals(addon)).toBe(true);
    });

    it('a symbolic link in place of ptools.node is not followed', async () => {
      const { e, dir } = await populated();
      const f = join(dir, 'ptools.node');
      cleanup(f);
      symlinkSync(marker, f);
      const r = await start(e);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/rewriting .*ptools\.node: .* is a symbolic link, not a regular file/);
      expect(existsSync(loaded)).toBe(false);
      expect(lstatSync(f).isSymbolicLink()).toBe(false);
      expect(readFileSync(f).equals(addon)).toBe(true);
    });

    // A FIFO's open for reading waits for a writer: opened as before (without
    // O_NONBLOCK) it hung every start. Now refused unopened, and replaced.
    // Each run is bounded (the spawn timeout kills a hung binary).
    it('a FIFO in place of ptools.node: ps and free run at once, and the FIFO is replaced by the addon', async () => {
      const { e, dir } = await populated();
      const f = join(dir, 'ptools.node');
      cleanup(f);
      ok('mkfifo', ['-m', '600', f]);
      const t0 = performance.now();
      const r = await start(e, ['free', '-b', '--json'], 30_000);
      expect(r.signal, `killed after ${Math.round(performance.now() - t0)} ms: the binary hung on the FIFO`).toBe(null);
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { mem: { total: number } }).mem.total).toBeGreaterThan(0);
      expect(r.stderr).toMatch(/rewriting .*ptools\.node: .* is a FIFO, not a regular file/);
      expect(lstatSync(f).isFile()).toBe(true);
      expect(readFileSync(f).equals(addon)).toBe(true);
      // ps too, from a FIFO planted again.
      cleanup(f);
      ok('mkfifo', ['-m', '600', f]);
      const p = await start(e, ['ps', '-o', 'pid=', '-p', String(process.pid)], 30_000);
      expect(p.signal, 'the binary hung on the FIFO').toBe(null);
      expect(p.status, p.stderr).toBe(0);
      expect(p.stdout.trim()).toBe(String(process.pid));
      expect(lstatSync(f).isFile()).toBe(true);
      expect(readFileSync(f).equals(addon)).toBe(true);
    });

    it('a socket in place of ptools.node is replaced by the addon', async () => {
      const { e, dir } = await populated();
      const f = join(dir, 'ptools.node');
      cleanup(f);
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(f, resolve);
      });
      try {
        const r = await start(e, ['free', '-b', '--json'], 30_000);
        expect(r.signal, 'the binary hung on the socket').toBe(null);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toMatch(/rewriting .*ptools\.node: .* is a socket, not a regular file/);
        expect(lstatSync(f).isFile()).toBe(true);
        expect(readFileSync(f).equals(addon)).toBe(true);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('the right bytes, but writable by others', async () => {
      const { e, dir } = await populated();
      chmodSync(join(dir, 'ptools.node'), 0o666);
      const r = await start(e);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/rewriting .*ptools\.node: .*writable by others \(mode 666\)/);
      expect(statSync(join(dir, 'ptools.node')).mode & 0o777).toBe(0o600);
    });

    it('a tampered package.json is rewritten too (--version stays right)', async () => {
      const { e, dir } = await populated();
      writeFileSync(join(dir, 'package.json'), '{"version":"6.6.6"}', { mode: 0o600 });
      const out = ok(bin, ['--version'], { env: e });
      expect(out).toBe(`ptools ${version}\n`);
      expect(readFileSync(join(dir, 'package.json')).equals(pkg)).toBe(true);
    });

    it('a cache directory writable by others is not used (private temp dir instead)', async () => {
      const { e, dir } = await populated();
      copyFileSync(marker, join(dir, 'ptools.node'));
      chmodSync(dir, 0o777);
      const tmp = join(home, `tmp-${seq++}`);
      mkdirSync(tmp);
      const r = await start({ ...e, HOME: join(home, 'no-such-home'), TMPDIR: tmp });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/not using .*writable by others \(mode 777\)/);
      expect(r.stderr).toMatch(/using private temp directory /);
      expect(existsSync(join(home, 'no-such-home'))).toBe(false); // a missing home is never created
      expect(existsSync(loaded)).toBe(false);
      // The untrusted directory is left alone; the temp dir is gone at exit.
      expect(readFileSync(join(dir, 'ptools.node')).equals(readFileSync(marker))).toBe(true);
      expect(readdirSync(tmp)).toEqual([]);
    });

    (isRoot ? it : it.skip)(`a cache directory owned by someone else is not used${isRoot ? '' : ' [SKIPPED: needs root to chown]'}`, async () => {
      const { e, dir } = await populated();
      copyFileSync(marker, join(dir, 'ptools.node'));
      chownSync(join(dir, 'ptools.node'), 65534, 65534);
      chownSync(dir, 65534, 65534);
      const tmp = join(home, `tmp-${seq++}`);
      mkdirSync(tmp);
      const r = await start({ ...e, HOME: join(home, 'no-such-home'), TMPDIR: tmp });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/not using .*owned by uid 65534/);
      expect(r.stderr).toMatch(/using private temp directory /);
      expect(existsSync(join(home, 'no-such-home'))).toBe(false); // a missing home is never created
      expect(existsSync(loaded)).toBe(false);
      expect(readdirSync(tmp)).toEqual([]);
    });

    (isRoot ? it : it.skip)(`a file owned by someone else in our directory is replaced, not loaded${isRoot ? '' : ' [SKIPPED: needs root to chown]'}`, async () => {
      const { e, dir } = await populated();
      copyFileSync(marker, join(dir, 'ptools.node'));
      chownSync(join(dir, 'ptools.node'), 65534, 65534);
      const r = await start(e);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/rewriting .*ptools\.node: .*owned by uid 65534/);
      expect(existsSync(loaded)).toBe(false);
      expect(lstatSync(join(dir, 'ptools.node')).uid).toBe(0);
    });
  });
});

describe('write errors in the single binary: the namesake\'s one line and status, no stack trace', () => {
  /** `argv` under sh with stdout redirected by `redir`. */
  const sh = (redir: string, argv: string[], e: NodeJS.ProcessEnv) => run('/bin/sh', ['-c', `"$@" ${redir}`, 'sh', ...argv], { env: e });
  const forms: string[][] = [['ps', 'aux'], ['free'], ['df'], ['uptime'], ['nice'], ['pmap', '1'], ['netstat', '-tan'], ['kill', '-l'], ['top', '-b', '-n1', '-p', '1']];
  for (const form of forms) {
    // procps top with a closed stdout writes its frame to stderr (its stderr dup lands on fd 1); ours stays quiet (write-errors.test.ts).
    for (const redir of form[0] === 'top' ? ['>/dev/full'] : ['>/dev/full', '>&-']) {
      it(`ptools-linux-x64 ${form.join(' ')} ${redir} = /usr/bin/env ${form[0]}`, () => {
        const want = sh(redir, ['/usr/bin/env', ...form], { PATH: '/usr/bin:/usr/sbin:/bin:/sbin', LC_ALL: 'C' });
        const got = sh(redir, [bin, ...form], env());
        // gnulib's close_stream drops the errno text when nothing was left in stdio's buffer at exit
        // (the output's last write ended on a buffer boundary, or was one large write): that depends
        // on how the C tool's writes fell this time, so its errno-less form also admits ours.
        const plain = /^(\S+): write error\n$/.exec(want.stderr);
        if (plain && got.stderr.startsWith(`${plain[1]}: write error: `)) expect(got.stderr).toMatch(/^\S+: write error: [A-Z][a-z ]+\n$/);
        else expect(got.stderr).toBe(want.stderr);
        expect(got.status).toBe(want.status);
      });
    }
  }
  it('pps (the binary under that name) names itself', () => {
    expect(sh('>/dev/full', [pps, 'aux'], env())).toMatchObject({ stderr: 'pps: write error: No space left on device\n', status: 1 });
  });
});
