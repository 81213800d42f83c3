/**
 * ptools uptime vs procps-ng 4.0.2's uptime.
 *
 * The current time (HH:MM:SS), the uptime and the load averages move, so
 * the real uptime runs before and after ptools and ptools' line must equal
 * one of the two exactly: the clock's second, the uptime's minute or the
 * kernel's 5-second load update may tick over between runs, but not back.
 * (Retried twice when both neighbours ticked, before it counts.) Nothing is
 * masked.
 *
 * To reach every rule (days, hours, minutes, "user"/"users", the pretty
 * form's units), the real uptime also reads fixture /proc/uptime and
 * /proc/loadavg files bind-mounted in a private mount namespace, and a
 * fixture utmp at /run/utmp on a tmpfs there; ptools reads the same files
 * through setProcfsPath/setUtmpPath.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { getProcfsPath, getUtmpPath, setProcfsPath, setUtmpPath } from '../../src/core/base/paths.js';
import { buildUtmpRecord, UT_TYPES } from '../../src/core/system/system.js';
import { renderPretty, type UptimeJson } from '../../src/commands/uptime/index.js';
import { describeCommand } from '../helpers/oracle.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Out {
  status: number;
  stdout: string;
  stderr: string;
}

const PATH = process.env.PATH ?? '/usr/bin:/bin';

function real(args: string[], env: Record<string, string>): Out {
  const r = spawnSync('uptime', args, { encoding: 'utf8', env: { PATH, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function ours(args: string[], env: Record<string, string>): Promise<Out> {
  const io = bufferIO({ env });
  const status = await run(['uptime', ...args], io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

const withoutJson = (s: string): string => s.replace(/^ {5}--json .*\n/m, '');

/** Real, ours, real: ours must equal one of them; up to three tries. */
async function sandwich(runReal: () => Out, runOurs: () => Promise<Out>, label: string): Promise<void> {
  let last: [Out, Out, Out] | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = runReal();
    const mine = await runOurs();
    const after = runReal();
    const same = (o: Out): boolean => o.status === mine.status && o.stdout === withoutJson(mine.stdout) && o.stderr === withoutJson(mine.stderr);
    if (same(before) || same(after)) return;
    last = [before, mine, after];
  }
  expect({ label, ours: last![1] }).toEqual({ label, ours: last![0] });
}

const SETS: string[][] = [
  [],
  ['-p'],
  ['--pretty'],
  ['-s'],
  ['--since'],
  ['-ps'],
  ['-sp'],
  ['-p', '-s'],
  ['--p'],
  ['--s'],
  ['--pre', '--sin'],
  ['-s', 'extra'],
  ['-s', '-z'],
];

describeCommand('uptime', 'uptime on this machine, line by line', () => {
  for (const TZ of ['UTC', 'Asia/Kolkata', 'America/New_York', '', 'IST-5:30']) {
    it(`TZ=${JSON.stringify(TZ)}: ${SETS.length} option sets`, async () => {
      const env = { LC_ALL: 'C', TZ };
      for (const args of SETS) await sandwich(() => real(args, env), () => ours(args, env), `uptime ${args.join(' ')}`);
    });
  }

  const compiled = existsSync(join(root, 'dist', 'commands', 'uptime', 'index.js'));
  (compiled ? it : it.skip)(`the launcher: bin/ptools uptime and -p print what uptime prints${compiled ? '' : ' [SKIPPED: needs a compiled dist/]'}`, async () => {
    const env = { LC_ALL: 'C', TZ: 'Asia/Kolkata' };
    for (const args of [[], ['-p'], ['-s']]) {
      await sandwich(
        () => real(args, env),
        async () => {
          const r = spawnSync(process.execPath, [join(root, 'bin', 'ptools'), 'uptime', ...args], { encoding: 'utf8', env: { PATH, ...env } });
          return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
        },
        `bin/ptools uptime ${args.join(' ')}`,
      );
    }
  });
});

// ---------------------------------------------------------------- fixtures in a private namespace

function canUnshare(): boolean {
  return spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind /proc/uptime /proc/uptime && mount -t tmpfs none /run']).status === 0;
}

const dir = mkdtempSync('/tmp/ptools-uptime-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A utmp with `n` counted users, plus records uptime must not count. */
function utmpWith(n: number): string {
  const f = join(dir, `utmp-${n}`);
  const recs = [
    buildUtmpRecord({ type: UT_TYPES.BOOT_TIME, line: '~', user: 'reboot', tvSec: 1700000000 }),
    buildUtmpRecord({ type: UT_TYPES.USER_PROCESS, user: '', line: 'pts/9', pid: 1 }), // no name: not counted
    buildUtmpRecord({ type: UT_TYPES.DEAD_PROCESS, user: 'gone', line: 'pts/8', pid: 2 }),
    buildUtmpRecord({ type: UT_TYPES.LOGIN_PROCESS, user: 'LOGIN', line: 'tty1', pid: 3 }),
  ];
  // Counted even when their process is gone: uptime does not check pids.
  for (let i = 0; i < n; i++) recs.push(buildUtmpRecord({ type: UT_TYPES.USER_PROCESS, user: `u${i}`, line: `pts/${i}`, pid: 999999 - i }));
  writeFileSync(f, Buffer.concat(recs));
  return f;
}

/** The real uptime with these /proc/uptime and /proc/loadavg texts and utmp, for each option set. */
function realWith(uptimeText: string, loadavgText: string, utmp: string, sets: string[][], env: Record<string, string>): Out[] {
  const u = join(dir, 'uptime');
  const l = join(dir, 'loadavg');
  writeFileSync(u, uptimeText);
  writeFileSync(l, loadavgText);
  const script = `mount --bind "$1" /proc/uptime && mount --bind "$2" /proc/loadavg && mount -t tmpfs none /run && cp "$3" /run/utmp || exit 99; shift 3; for s in "$@"; do printf '\\036\\n'; eval "uptime $s" 2>&1; echo "rc=$?"; done`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', u, l, utmp, ...sets.map((s) => s.join(' '))], { encoding: 'utf8', env: { PATH, ...env } });
  expect(r.status).toBe(0);
  return r.stdout
    .split('\x1e\n')
    .slice(1)
    .map((block) => {
      const m = /rc=(\d+)\n$/.exec(block)!;
      return { status: Number(m[1]), stdout: block.slice(0, m.index), stderr: '' };
    });
}

const UPTIMES = [
  '0.00',
  '59.99',
  '60.00', // the pretty form prints "up " alone here (procps 4.0.2)
  '60.01',
  '119.99',
  '120.00',
  '3599.99',
  '3600.00',
  '3600.50',
  '3660.00',
  '7322.42',
  '86399.99',
  '86400.00',
  '86460.00',
  '90000.00',
  '172800.00',
  '604800.00',
  '604860.00',
  '691200.00',
  '31536000.00',
  '31536060.00',
  '315360000.00',
  '315360061.00',
  '946080000.00',
  '1000000000.00',
];

describeCommand('uptime', 'uptime on fixture /proc/uptime, /proc/loadavg and utmp (private namespace)', () => {
  const ns = canUnshare();
  const savedProc = getProcfsPath();
  const savedUtmp = getUtmpPath();
  afterEach(() => {
    setProcfsPath(savedProc);
    setUtmpPath(savedUtmp);
  });

  (ns ? it : it.skip)(`${UPTIMES.length} uptimes × users 0/1/2/12 × loads, default and -p and -s${ns ? '' : ' [SKIPPED: unshare -m / mounts not permitted]'}`, async () => {
    const sets = [[], ['-p'], ['-s']];
    const loads = ['0.00 0.01 0.05 1/100 42\n', '12.34 5.67 100.00 3/300 4242\n', '0.005 1.999 7.125 1/1 1\n'];
    const users = [0, 1, 2, 12];
    let k = 0;
    for (const up of UPTIMES) {
      const load = loads[k % loads.length]!;
      const n = users[k % users.length]!;
      k++;
      const utmp = utmpWith(n);
      const env = { LC_ALL: 'C', TZ: k % 2 ? 'UTC' : 'Asia/Kolkata' };
      const procDir = join(dir, 'proc');
      rmSync(procDir, { recursive: true, force: true });
      spawnSync('mkdir', ['-p', procDir]);
      writeFileSync(join(procDir, 'uptime'), `${up} 1.00\n`);
      writeFileSync(join(procDir, 'loadavg'), load);
      setProcfsPath(procDir);
      setUtmpPath(utmp);
      for (let attempt = 0; ; attempt++) {
        const before = realWith(`${up} 1.00\n`, load, utmp, sets, env);
        const mine = await Promise.all(sets.map((s) => ours(s, env)));
        const after = realWith(`${up} 1.00\n`, load, utmp, sets, env);
        const ok = mine.every((m, i) => m.stdout === before[i]!.stdout || m.stdout === after[i]!.stdout);
        if (ok) break;
        if (attempt === 2) expect({ up, n, load, mine: mine.map((m) => m.stdout) }).toEqual({ up, n, load, mine: before.map((b) => b.stdout) });
      }
    }
  });

  (ns ? it : it.skip)('no /proc/uptime: the same message and status as uptime (procfs hidden under a tmpfs)', async () => {
    const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs none /proc && for a in "" -s -p; do uptime $a 2>&1; echo "rc=$?"; done'], { encoding: 'utf8', env: { PATH, LC_ALL: 'C' } });
    const empty = join(dir, 'noproc');
    spawnSync('mkdir', ['-p', empty]);
    setProcfsPath(empty);
    let mine = '';
    for (const a of [[], ['-s'], ['-p']]) {
      const m = await ours(a, { LC_ALL: 'C' });
      expect(m.stdout).toBe('');
      mine += `${m.stderr}rc=${m.status}\n`;
    }
    expect(mine).toBe(r.stdout);
  });

  (ns ? it : it.skip)('the default line reaches days, H:MM, "min", user and users', async () => {
    setUtmpPath(utmpWith(1));
    const procDir = join(dir, 'proc2');
    spawnSync('mkdir', ['-p', procDir]);
    writeFileSync(join(procDir, 'loadavg'), '0.00 0.00 0.00 1/1 1\n');
    setProcfsPath(procDir);
    const line = async (up: string): Promise<string> => {
      writeFileSync(join(procDir, 'uptime'), `${up} 0\n`);
      return (await ours([], { LC_ALL: 'C', TZ: 'UTC' })).stdout;
    };
    expect(await line('90000')).toMatch(/^ \d\d:\d\d:\d\d up 1 day,  1:00,  1 user,  load average: 0\.00, 0\.00, 0\.00\n$/);
    expect(await line('172800')).toMatch(/ up 2 days, 0 min,  1 user,/);
    expect(await line('3599')).toMatch(/ up 59 min,  1 user,/);
    setUtmpPath(utmpWith(12));
    expect(await line('36000')).toMatch(/ up 10:00, 12 users,/);
  });
});

// ---------------------------------------------------------------- errors, help, --json

describeCommand('uptime', 'uptime: bad usage, --help, --version, --json', () => {
  it("bad options and operands: uptime's message and usage, status 1, nothing on stdout", async () => {
    for (const args of [['-z'], ['--foo'], ['--pretty=x'], ['extra'], ['-p', 'extra'], ['-z', '-s'], ['--since=1'], ['-pz']]) {
      const r = real(args, { LC_ALL: 'C' });
      const m = await ours(args, { LC_ALL: 'C' });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect({ args, ...m, stderr: withoutJson(m.stderr) }).toEqual({ args, ...r });
    }
  });

  it('--help and -h are uptime --help plus the --json line; -V names ptools', async () => {
    for (const a of ['--help', '-h', '--he']) {
      const r = real([a], { LC_ALL: 'C' });
      const m = await ours([a], { LC_ALL: 'C' });
      expect(m.status).toBe(0);
      expect(withoutJson(m.stdout)).toBe(r.stdout);
      expect(m.stdout).toMatch(/^ {5}--json {5}print /m);
    }
    expect((await ours(['-V'], {})).stdout).toMatch(/^uptime from ptools \d+\.\d+\.\d+\n$/);
    expect(real(['-V'], {}).stdout).toMatch(/^uptime from procps-ng /);
  });

  it('--json parses, has the documented keys and types, and agrees with the text forms', async () => {
    const env = { LC_ALL: 'C', TZ: 'UTC' };
    for (let attempt = 0; ; attempt++) {
      const since = real(['-s'], env).stdout.trim();
      const line = real([], env).stdout;
      const t0 = Date.now();
      const j = await ours(['--json'], env);
      const t1 = Date.now();
      const doc = JSON.parse(j.stdout) as UptimeJson;
      expect(Object.keys(doc)).toEqual(['time', 'uptime', 'users', 'loadavg', 'since']);
      expect(doc.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(doc.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(typeof doc.uptime).toBe('number');
      expect(Number.isInteger(doc.users)).toBe(true);
      expect(doc.loadavg).toHaveLength(3);
      // The time of the run: between the clock read just before and just after it.
      expect(Date.parse(doc.time)).toBeGreaterThanOrEqual(t0);
      expect(Date.parse(doc.time)).toBeLessThanOrEqual(t1);
      // -s's second, in UTC (±1 s: the two reads may round to neighbouring seconds).
      expect(Math.abs(Date.parse(doc.since) - Date.parse(`${since.replace(' ', 'T')}Z`))).toBeLessThanOrEqual(1000);
      expect(Math.abs(Date.parse(doc.time) / 1000 - doc.uptime - Date.parse(doc.since) / 1000)).toBeLessThanOrEqual(1);
      const m = /up .*, +(\d+) users?, +load average: ([\d.]+), ([\d.]+), ([\d.]+)/.exec(line)!;
      expect(doc.users).toBe(Number(m[1]));
      // The load averages change every 5 s; retry if that happened between the reads.
      const same = doc.loadavg.every((v, i) => v.toFixed(2) === m[i + 2]);
      if (same) break;
      if (attempt === 2) expect(doc.loadavg.map((v) => v.toFixed(2))).toEqual(m.slice(2, 5));
    }
    // With -p or -s, --json still prints the whole document.
    expect(Object.keys(JSON.parse((await ours(['-s', '--json'], env)).stdout))).toHaveLength(5);
    expect(Object.keys(JSON.parse((await ours(['--json', '-p'], env)).stdout))).toHaveLength(5);
  });
});

describe('renderPretty (procps 4.0.2 quirks included)', () => {
  it('units, plurals and the exactly-one-minute gap', () => {
    expect(renderPretty(0)).toBe('up 0 minutes');
    expect(renderPretty(59.99)).toBe('up 0 minutes');
    expect(renderPretty(60)).toBe('up ');
    expect(renderPretty(61)).toBe('up 1 minute');
    expect(renderPretty(3600)).toBe('up 60 minutes');
    expect(renderPretty(3600.5)).toBe('up 1 hour, 0 minutes'); // under a minute left: "0 minutes"
    expect(renderPretty(7322.42)).toBe('up 2 hours, 2 minutes');
    expect(renderPretty(604860)).toBe('up 1 week'); // 60 s left: not more than a minute
    expect(renderPretty(315360061)).toBe('up 1 decade, 1 minute');
    expect(readFileSync('/proc/uptime', 'utf8')).toMatch(/^\d+\.\d\d \d+\.\d\d\n$/);
  });
});

describe('man/uptime.1', () => {
  it('renders with man -l and documents every JSON key and option', () => {
    const page = spawnSync('man', ['-l', join(root, 'man', 'uptime.1')], { encoding: 'utf8', env: { PATH, MANWIDTH: '80' } });
    if (page.error) return expect.fail(`man is not installed: ${page.error.message}`);
    expect(page.status).toBe(0);
    const json = page.stdout.slice(page.stdout.indexOf('\nJSON'), page.stdout.indexOf('\nEXIT STATUS'));
    for (const k of ['time', 'uptime', 'users', 'loadavg', 'since']) expect(json).toContain(k);
    for (const o of ['--pretty', '--since', '--json', '--help', '--version']) expect(page.stdout).toContain(o);
  });
});
