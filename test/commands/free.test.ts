/**
 * ptools free vs procps-ng 4.0.2's free.
 *
 * 1. On fixed meminfo files (this machine's, a 32-bit HIGHMEM box that is
 *    overcommitted, a 5 PiB machine with values on the float-rounding ties):
 *    the real free reads the fixture bind-mounted over /proc/meminfo in a
 *    private mount namespace, ptools reads it through setProcfsPath; nothing
 *    moves, so the outputs must be identical, byte for byte.
 * 2. On this machine: memory moves between any two runs, so the real free
 *    runs before and after ptools and every moving figure of ptools must lie
 *    between the two, widened by 32 MiB (other processes allocating or
 *    exiting in the few milliseconds between runs; other test suites run on
 *    this machine at the same time) plus one display step of the unit
 *    shown (1 KiB for the default, 0.1 Gi for "1.4Gi", 1 Gi for -g...).
 *    Totals, limits and zero rows are static and compared as text. A failed
 *    comparison is retried (twice) before it counts, for the same reason.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { getProcfsPath, setProcfsPath } from '../../src/core/base/paths.js';
import { parseCount, parseSeconds, scaleSize, type FreeReport } from '../../src/commands/free/index.js';
import { describeCommand, PYTHON } from '../helpers/oracle.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FIX = join(root, 'test', 'fixtures', 'meminfo-extra');

interface Out {
  status: number;
  stdout: string;
  stderr: string;
}

const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };

function real(args: string[]): Out {
  const r = spawnSync('free', args, { encoding: 'utf8', env: ENV });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function ours(args: string[]): Promise<Out> {
  const io = bufferIO({ env: { LC_ALL: 'C' } });
  const status = await run(['free', ...args], io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

/** ptools' usage text has one more line (--json); without it, it is free's. */
const withoutJson = (s: string): string => s.replace(/^ {5}--json .*\n/m, '');

const SETS: string[][] = [
  [],
  ['-b'],
  ['-k'],
  ['-m'],
  ['-g'],
  ['--tebi'],
  ['--pebi'],
  ['--kilo'],
  ['--mega'],
  ['--giga'],
  ['--tera'],
  ['--peta'],
  ['-h'],
  ['--si'],
  ['-h', '--si'],
  ['-w'],
  ['-l'],
  ['-t'],
  ['-v'],
  ['-wltv'],
  ['-h', '-w'],
  ['-b', '-l'],
  ['--si', '-t'],
  ['-k', '--si'],
  ['-m', '-h'],
  ['-hlvtw'],
  ['--bytes', '--lohi', '--total', '--committed', '--wide'],
  ['--human', '--si', '-t', '-v'],
  ['--kibi', '-v'],
  ['--mebi', '-l'],
  ['--gibi', '-t'],
  ['--hu', '--lo', '--to'],
  ['-c', '1'],
  ['--count=1', '-w'],
  ['-g', '--si'],
  ['--si', '-hl'],
];

// ---------------------------------------------------------------- 1. fixtures, exact

function canUnshare(): boolean {
  return spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind ${join(FIX, 'machine', 'meminfo')} /proc/meminfo && grep -q MemTotal /proc/meminfo`]).status === 0;
}

/** The real free on a fixture meminfo, for every option set (one namespace, one mount). */
function realOnFixture(name: string, sets: string[][]): Out[] {
  const script = `mount --bind "$1" /proc/meminfo || exit 99; shift; for s in "$@"; do printf '\\036\\n'; eval "free $s" 2>&1; echo "rc=$?"; done`;
  const quoted = sets.map((s) => s.map((a) => `'${a}'`).join(' '));
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', join(FIX, name, 'meminfo'), ...quoted], { encoding: 'utf8', env: ENV });
  expect(r.status).toBe(0);
  return r.stdout
    .split('\x1e\n')
    .slice(1)
    .map((block) => {
      const m = /rc=(\d+)\n$/.exec(block)!;
      return { status: Number(m[1]), stdout: block.slice(0, m.index), stderr: '' };
    });
}

describeCommand('free', 'free on fixture meminfo files: identical output', () => {
  const saved = getProcfsPath();
  afterEach(() => setProcfsPath(saved));
  const ns = canUnshare();
  for (const name of ['machine', 'highmem', 'huge']) {
    (ns ? it : it.skip)(`${name}: ${SETS.length} option sets${ns ? '' : ' [SKIPPED: unshare -m / bind mounts not permitted]'}`, async () => {
      const theirs = realOnFixture(name, SETS);
      expect(theirs).toHaveLength(SETS.length);
      setProcfsPath(join(FIX, name));
      for (let i = 0; i < SETS.length; i++) {
        const m = await ours(SETS[i]!);
        expect({ args: SETS[i], out: m.stdout + m.stderr, status: m.status }).toEqual({ args: SETS[i], out: theirs[i]!.stdout, status: theirs[i]!.status });
      }
    });
  }

  (ns ? it : it.skip)('no /proc/meminfo: the same message and status as free (procfs hidden under a tmpfs)', async () => {
    const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs none /proc && free -h'], { encoding: 'utf8', env: ENV });
    setProcfsPath('/proc/nonexistent-dir');
    const m = await ours(['-h']);
    expect(r.status).toBe(1);
    // Ours names the configured procfs root; here it is not /proc.
    expect({ ...m, stderr: m.stderr.replace('/proc/nonexistent-dir', '/proc') }).toEqual({ status: r.status, stdout: r.stdout, stderr: r.stderr });
  });

  (ns ? it : it.skip)('the fixtures do reach the interesting cases (ties, Pi, negative Comm free)', async () => {
    setProcfsPath(join(FIX, 'huge'));
    const h = (await ours(['-hlvtw'])).stdout;
    expect(h).toMatch(/^Mem: +5\.0Pi +1\.0Pi +1\.2Gi +3\.8Gi /m); // 1.25 → 1.2, 3.75 → 3.8: ties to even
    expect(h).toMatch(/^Comm: +999Ki +1\.0Mi +-24Ki$/m);
    setProcfsPath(join(FIX, 'highmem'));
    const l = (await ours(['-l', '-v'])).stdout;
    expect(l).toMatch(/^Low: +878948 +753340 +125608$/m);
    expect(l).toMatch(/^High: +2227208 +2204696 +22512$/m);
    expect(l).toMatch(/^Comm: +3650224 +5123456 +-1473232$/m);
  });
});

// ---------------------------------------------------------------- 2. this machine, within tolerance

const MOVE = 32 * 1024 * 1024;

/** Unit multipliers as free prints them for a set of options. */
function unitOf(args: string[]): { human: boolean; base: number; unit: number } {
  const a = args.join(' ');
  const si = /--si|--kilo|--mega|--giga|--tera|--peta/.test(a);
  const base = si ? 1000 : 1024;
  const human = /(^|\s)-\w*h|--hu/.test(a);
  let exp = 0;
  if (/(^|\s)-\w*b|--bytes/.test(a)) exp = 1;
  else if (/(^|\s)-\w*k\b|--kibi|--kilo/.test(a)) exp = 2;
  else if (/(^|\s)-\w*m\b|--mebi|--mega/.test(a)) exp = 3;
  else if (/(^|\s)-\w*g\b|--gibi|--giga/.test(a)) exp = 4;
  else if (/--tebi|--tera/.test(a)) exp = 5;
  else if (/--pebi|--peta/.test(a)) exp = 6;
  const unit = exp === 0 ? base : exp === 1 ? 1 : base ** (exp - 1);
  return { human, base, unit };
}

/** A printed figure → [bytes, display step in bytes]. */
function value(s: string, u: { human: boolean; base: number; unit: number }): [number, number] {
  if (!u.human) return [Number(s) * u.unit, u.unit];
  const m = /^(-?\d+(?:\.\d)?)([BKMGTP])(i?)$/.exec(s);
  if (!m) throw new Error(`not a human figure: ${s}`);
  const mult = (m[3] ? 1024 : 1000) ** 'BKMGTP'.indexOf(m[2]!);
  return [Number(m[1]) * mult, (m[1]!.includes('.') ? 0.1 : 1) * mult];
}

/** Figures that do not move: [row label, column]. */
const STATIC = new Set(['Mem:0', 'Swap:0', 'Low:0', 'High:0', 'High:1', 'High:2', 'Comm:0', 'Total:0']);

/** Checks `mine` against free's output before and after; returns the first problem, or null. */
function within(args: string[], before: string, mine: string, after: string): string | null {
  const u = unitOf(args);
  const [b, m, a] = [before, mine, after].map((t) => t.split('\n'));
  if (m.length !== b!.length) return `line count ${m.length} vs ${b!.length}`;
  for (let i = 0; i < m.length; i++) {
    const lb = b![i]!;
    const lm = m[i]!;
    const la = a![i] ?? lb;
    if (i === 0 || lb === '' || !/^\w+:/.test(lb)) {
      if (lm !== lb) return `line ${i}: ${JSON.stringify(lm)} vs ${JSON.stringify(lb)}`;
      continue;
    }
    // The layout: label padded to 9, then each figure right-aligned in 11 (12 with its blank).
    if (lm.slice(0, 9) !== lb.slice(0, 9)) return `label ${lm.slice(0, 9)} vs ${lb.slice(0, 9)}`;
    const fb = lb.slice(9).trim().split(/\s+/);
    const fm = lm.slice(9).trim().split(/\s+/);
    const fa = la.slice(9).trim().split(/\s+/);
    if (fm.length !== fb.length) return `fields on ${lb.slice(0, 9)}`;
    const label = lb.slice(0, 9).trim();
    for (let k = 0; k < fm.length; k++) {
      if (STATIC.has(`${label}${k}`) || (label === 'Swap:' && fb[0] === '0' && fa[0] === '0') || (label === 'Swap:' && /^0B?$/.test(fb[0]!))) {
        if (fm[k] !== fb[k] && fm[k] !== fa[k]) return `${label} column ${k}: ${fm[k]} vs ${fb[k]}/${fa[k]}`;
        continue;
      }
      const [vb] = value(fb[k]!, u);
      const [va] = value(fa[k]!, u);
      const [vm, step] = value(fm[k]!, u);
      const lo = Math.min(vb, va) - MOVE - step;
      const hi = Math.max(vb, va) + MOVE + step;
      if (vm < lo || vm > hi) return `${label} column ${k}: ${fm[k]} not within [${fb[k]}, ${fa[k]}] ± 32 MiB + a step`;
    }
    // Right alignment: each figure ends where free's would for figures of the same width.
    const ends = (l: string): number[] => [...l.slice(9).matchAll(/\S+/g)].map((x) => 9 + x.index! + x[0].length);
    const eb = ends(lb);
    const em = ends(lm);
    for (let k = 0; k < em.length; k++) {
      if (fm[k]!.length <= 11 && fb[k]!.length <= 11 && em[k] !== eb[k] && !fm.some((x) => x.length > 11) && !fb.some((x) => x.length > 11)) {
        return `${label} column ${k} ends at ${em[k]} vs ${eb[k]}`;
      }
    }
  }
  return null;
}

async function compareMachine(args: string[]): Promise<void> {
  let problem: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = real(args);
    const mine = await ours(args);
    const after = real(args);
    expect(mine.status).toBe(before.status);
    expect(mine.stderr).toBe(before.stderr);
    problem = within(args, before.stdout, mine.stdout, after.stdout);
    if (problem === null) return;
  }
  expect(problem, `free ${args.join(' ')}`).toBeNull();
}

describeCommand('free', 'free on this machine: line by line, moving figures within tolerance', () => {
  it('the comparison itself catches a wrong figure, a static change and a misalignment', () => {
    const t = real(['-h', '-l']).stdout;
    expect(within(['-h', '-l'], t, t, t)).toBeNull();
    const lines = t.split('\n');
    // A used figure 1 GiB off.
    const used = lines[1]!.slice(9).trim().split(/\s+/)[1]!;
    const [v] = value(used, unitOf(['-h']));
    const wrong = lines.map((l, i) => (i === 1 ? l.replace(used.padStart(12), `${((v + 2 ** 30) / 2 ** 30).toFixed(1)}Gi`.padStart(12)) : l)).join('\n');
    expect(within(['-h', '-l'], t, wrong, t)).toMatch(/Mem: column 1/);
    // A total that changed.
    expect(within(['-h', '-l'], t, t.replace(/^(Mem: +)(\S+)/m, '$1999Ti'), t)).toMatch(/Mem: column 0/);
    // A figure shifted one column left.
    expect(within(['-h', '-l'], t, t.replace(/^(Swap:) /m, '$1'), t)).not.toBeNull();
  });

  it(`${SETS.length} option sets`, async () => {
    for (const s of SETS) await compareMachine(s);
  });

  it('-c N -s T: N reports, a blank line between them, none after, T seconds apart', async () => {
    const args = ['-c', '3', '-s', '0.1'];
    const reports = (s: string): string[] => s.split('\n\n');
    const nl = (i: number): string => (i < 2 ? '\n' : '');
    // Ours runs between two runs of the real free, so each of its reports is bracketed by the real
    // reports taken before and after it (memory moves while other processes allocate); the machine
    // is shared, so a bracket that other processes' allocations broke is tried again, twice at most.
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = real(args);
      const t0 = performance.now();
      const mine = await ours(args);
      const elapsed = performance.now() - t0;
      const after = real(args);
      expect(mine.status).toBe(0);
      expect(reports(mine.stdout)).toHaveLength(3);
      expect(reports(before.stdout)).toHaveLength(3);
      expect(mine.stdout.endsWith('\n\n')).toBe(false);
      // Two sleeps of 0.1 s (timers may fire a little early by the clock's rounding).
      expect(elapsed).toBeGreaterThanOrEqual(195);
      const problems: string[] = [];
      for (let i = 0; i < 3; i++) {
        const p = within(['-c', '3'], reports(before.stdout)[i]! + nl(i), reports(mine.stdout)[i]! + nl(i), reports(after.stdout)[i]! + nl(i));
        if (p !== null) problems.push(`report ${i + 1}: ${p}`);
      }
      if (problems.length === 0) return;
      if (attempt === 2) expect(problems).toEqual([]);
    }
  });

  const compiled = existsSync(join(root, 'dist', 'commands', 'free', 'index.js'));
  (compiled ? it : it.skip)(`-s alone repeats until stopped, like free (the launcher, killed after its third report)${compiled ? '' : ' [SKIPPED: needs a compiled dist/]'}`, async () => {
    const count = (s: string): number => s.split('\n\n').filter((r) => r.startsWith('  ')).length;
    // Each runs until it has printed three reports (a fourth begun or not), then is stopped by its pid:
    // no clock decides how many reports there are (20 s is only a cap on a hang).
    const collect = (cmd: string, args: string[]): Promise<string> =>
      new Promise((resolve) => {
        const c = spawn(cmd, args, { env: ENV });
        let text = '';
        const cap = setTimeout(() => c.kill('SIGTERM'), 20_000);
        c.stdout.on('data', (d) => {
          text += d;
          if (count(text) >= 3) c.kill('SIGTERM');
        });
        c.on('close', () => {
          clearTimeout(cap);
          resolve(text);
        });
      });
    const [a, b] = await Promise.all([collect('free', ['-s', '0.1', '-w']), collect(process.execPath, [join(root, 'bin', 'ptools'), 'free', '-s', '0.1', '-w'])]);
    expect(count(a)).toBeGreaterThanOrEqual(3);
    expect(count(b)).toBeGreaterThanOrEqual(3);
    const first = b.split('\n\n')[0]!;
    expect(within(['-w'], a.split('\n\n')[0]!, first, a.split('\n\n')[1]!)).toBeNull();
  });

  (compiled ? it : it.skip)(`the launcher: bin/ptools free -h -t prints what free prints${compiled ? '' : ' [SKIPPED: needs a compiled dist/]'}`, () => {
    const before = real(['-h', '-t']);
    const b = spawnSync(process.execPath, [join(root, 'bin', 'ptools'), 'free', '-h', '-t'], { encoding: 'utf8', env: ENV });
    const after = real(['-h', '-t']);
    expect(b.status).toBe(0);
    expect(within(['-h', '-t'], before.stdout, b.stdout, after.stdout)).toBeNull();
  });
});

// ---------------------------------------------------------------- errors, help, version

describeCommand('free', 'free: bad usage, --help, --version', () => {
  it("bad options and values: free's message and status, nothing on stdout", async () => {
    const cases = [
      ['-z'],
      ['--foo'],
      ['--foo=bar'],
      ['--help=x'],
      ['-b', '-k'],
      ['--kilo', '--mega'],
      ['-m', '--tebi'],
      ['-s', '0'],
      ['-s', '-1'],
      ['-s', 'x'],
      ['-s', ''],
      ['-s', '1e3'],
      ['-s', '1.5.2'],
      ['-s', '0.0000001'],
      ['-s', '-'],
      ['-c', '0'],
      ['-c', 'x'],
      ['-c', ''],
      ['-c', '2x'],
      ['-c', '-3'],
      ['-c', '99999999999999999999'],
      ['-c', '0x10'],
      ['--seconds'],
      ['-s'],
      ['-c'],
      ['extra'],
      ['-h', 'extra'],
      ['-w', '-z', '-b', '-k'],
      ['-b', '-k', '-z'],
    ];
    for (const args of cases) {
      const r = real(args);
      const m = await ours(args);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect({ args, ...m, stderr: withoutJson(m.stderr) }).toEqual({ args, ...r });
    }
  });

  it('values free accepts: blanks, a sign, a comma as the radix', async () => {
    for (const args of [['-c', ' 1'], ['-c', '+1'], ['-c', '4294967297', '-s', ',01'], ['-s', ' .01', '-c', '1'], ['-s', '5.', '-c', '1'], ['-s', '+0.01', '-c', '1']]) {
      const r = real(args);
      const m = await ours(args);
      expect([m.status, m.stderr]).toEqual([r.status, r.stderr]);
      expect(m.stdout.split('\n\n')).toHaveLength(r.stdout.split('\n\n').length);
    }
    expect(parseSeconds(',5')).toBe(0.5);
    expect(parseSeconds('x')).toEqual({ errno: ': Invalid argument' });
    expect(parseCount('4294967297')).toBe(1); // long → int, as free stores it
    expect(parseCount('99999999999999999999')).toEqual({ errno: ': Numerical result out of range' });
  });

  it('--help is free --help plus the --json line; -V names ptools', async () => {
    const r = real(['--help']);
    const m = await ours(['--help']);
    expect(m.status).toBe(0);
    expect(withoutJson(m.stdout)).toBe(r.stdout);
    expect(m.stdout).toMatch(/^ {5}--json {10}print each report as JSON \(bytes\)$/m);
    const v = await ours(['-V']);
    expect(v.stdout).toMatch(/^free from ptools \d+\.\d+\.\d+\n$/);
    expect(real(['-V']).stdout).toMatch(/^free from procps-ng /);
  });
});

// ---------------------------------------------------------------- --json

describeCommand('free', 'free --json', () => {
  it('parses, has the documented keys (bytes, integers) and agrees with free -b -w -l -t -v', async () => {
    for (let attempt = 0; ; attempt++) {
      const before = (await ours(['-b', '-w', '-l', '-t', '-v'])).stdout;
      const j = await ours(['--json']);
      const after = (await ours(['-b', '-w', '-l', '-t', '-v'])).stdout;
      expect(j.status).toBe(0);
      const doc = JSON.parse(j.stdout) as FreeReport;
      expect(Object.keys(doc)).toEqual(['mem', 'low', 'high', 'swap', 'total', 'comm']);
      expect(Object.keys(doc.mem)).toEqual(['total', 'used', 'free', 'shared', 'buffers', 'cache', 'buffCache', 'available']);
      for (const row of ['low', 'high', 'swap', 'total', 'comm'] as const) expect(Object.keys(doc[row])).toEqual(['total', 'used', 'free']);
      for (const row of Object.values(doc)) for (const v of Object.values(row as Record<string, number>)) expect(Number.isSafeInteger(v)).toBe(true);
      // Relations the text shows too.
      expect(doc.mem.buffCache).toBe(doc.mem.buffers + doc.mem.cache);
      expect(doc.total.total).toBe(doc.mem.total + doc.swap.total);
      expect(doc.total.used).toBe(doc.mem.used + doc.swap.used);
      expect(doc.comm.free).toBe(doc.comm.total - doc.comm.used);
      // The same figures as the text in bytes, read just before and after.
      const fromText = [
        ['mem', 'total', 'used', 'free', 'shared', 'buffers', 'cache', 'available'],
        ['low', 'total', 'used', 'free'],
        ['high', 'total', 'used', 'free'],
        ['swap', 'total', 'used', 'free'],
        ['total', 'total', 'used', 'free'],
        ['comm', 'total', 'used', 'free'],
      ];
      const rows = (t: string): number[][] => t.split('\n').slice(1, 7).map((l) => l.slice(9).trim().split(/\s+/).map(Number));
      const rb = rows(before);
      const ra = rows(after);
      let ok = true;
      fromText.forEach(([row, ...cols], i) =>
        cols.forEach((c, k) => {
          const v = (doc as unknown as Record<string, Record<string, number>>)[row!]![c]!;
          if (v < Math.min(rb[i]![k]!, ra[i]![k]!) - MOVE || v > Math.max(rb[i]![k]!, ra[i]![k]!) + MOVE) ok = false;
        }),
      );
      if (ok) break;
      if (attempt === 2) expect(ok, 'JSON figures within 32 MiB of the text read around them').toBe(true);
    }
  });

  it('-c 2 -s 0.05 --json: one JSON document per line, no blank line', async () => {
    const j = await ours(['-c', '2', '-s', '0.05', '--json']);
    const lines = j.stdout.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    for (const l of lines.slice(0, 2)) expect(JSON.parse(l).mem.total).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- scale_size

describe("scaleSize is procps' scale_size", () => {
  it('on 3000 values, every unit option and -h/--si, vs a Python model of the C (float32, %.1f)', () => {
    const values: number[] = [0, 1, 1023, 1024, 1025, 1536, 1310720 * 1024, 3932160 * 1024, 9999 * 1024, 10239 * 1024, 1048575 * 1024];
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    while (values.length < 3000) {
      const mag = Math.floor(rnd() * 52);
      let v = Math.floor(rnd() * 2 ** mag);
      if (rnd() < 0.5) v = Math.floor(v / 1024) * 1024;
      if (rnd() < 0.05) v = -v;
      values.push(v);
    }
    const flagsList = [
      { exponent: 0, si: false, human: true },
      { exponent: 0, si: true, human: true },
      { exponent: 0, si: false, human: false },
      { exponent: 0, si: true, human: false },
      { exponent: 1, si: false, human: false },
      { exponent: 3, si: false, human: false },
      { exponent: 4, si: true, human: false },
      { exponent: 6, si: false, human: false },
    ];
    const py = `
import json, struct, sys
vals, flags = json.loads(sys.stdin.read())
def f32(x): return struct.unpack('f', struct.pack('f', x))[0]
def trunc(x): return int(x)
def scale(b, e, si, human):
    base = 1000.0 if si else 1024.0
    if not human:
        if e == 0:
            q = abs(b) // int(base)
            return str(-q if b < 0 else q)
        if e == 1: return str(b)
        return str(trunc(b / base ** (e - 1)))
    s = '%dB' % b
    if len(s) <= 4: return s
    for i, u in enumerate('KMGTP', 1):
        q = b / base ** i
        if si:
            s = '%.1f%s' % (f32(q), u)
            if len(s) <= 4: return s
            s = '%d%s' % (trunc(q), u)
            if len(s) <= 4: return s
        else:
            s = '%.1f%si' % (f32(q), u)
            if len(s) <= 5: return s
            s = '%d%si' % (trunc(q), u)
            if len(s) <= 5: return s
    return s
print(json.dumps([[scale(v, f['exponent'], f['si'], f['human']) for v in vals] for f in flags]))
`;
    const r = spawnSync(PYTHON, ['-c', py], { input: JSON.stringify([values, flagsList]), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const want = JSON.parse(r.stdout) as string[][];
    flagsList.forEach((f, i) => {
      const got = values.map((v) => scaleSize(v, f));
      const bad = got.map((g, k) => [values[k], g, want[i]![k]]).filter(([, g, w]) => g !== w);
      expect({ flags: f, bad: bad.slice(0, 5) }).toEqual({ flags: f, bad: [] });
    });
  });
});

describe('man/free.1', () => {
  it('renders with man -l and documents every JSON key', () => {
    const page = spawnSync('man', ['-l', join(root, 'man', 'free.1')], { encoding: 'utf8', env: { ...ENV, MANWIDTH: '80' } });
    if (page.error) return expect.fail(`man is not installed: ${page.error.message}`);
    expect(page.status).toBe(0);
    const json = page.stdout.slice(page.stdout.indexOf('\nJSON'), page.stdout.indexOf('\nEXIT STATUS'));
    for (const k of ['mem', 'total', 'used', 'free', 'shared', 'buffers', 'cache', 'buffCache', 'available', 'low', 'high', 'swap', 'comm']) expect(json).toContain(k);
    for (const o of ['--bytes', '--kibi', '--mebi', '--gibi', '--tebi', '--pebi', '--kilo', '--mega', '--giga', '--tera', '--peta', '--human', '--si', '--lohi', '--total', '--committed', '--wide', '--seconds', '--count', '--json', '--help', '--version']) {
      expect(page.stdout).toContain(o);
    }
  });
});
