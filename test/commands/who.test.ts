/**
 * ptools who vs coreutils 9.1's who (Debian's, with --ips), on utmp files
 * built here with buildUtmpRecord: this machine has no /var/run/utmp.
 *
 * Every option set runs on every scenario, under TZ=UTC and TZ=Asia/Kolkata
 * (LC_ALL=C: "%b %e %H:%M" times) and some under C.UTF-8 ("%Y-%m-%d"), and
 * the outputs are compared line for line. The only moving value is the IDLE
 * column (now − the terminal's atime, in minutes): the real who runs before
 * and after ptools and ptools must equal one of the two (a minute may tick
 * over between them), the terminals' atimes are set well inside each
 * interval so that practically never happens.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { getUtmpPath, setUtmpPath } from '../../src/core/base/paths.js';
import { buildUtmpRecord, UT_TYPES, utmpAddrBytes, type UtmpRecord } from '../../src/core/system/system.js';
import { whoIpText } from '../../src/commands/who/ips.js';
import { idleText, type WhoJsonRow } from '../../src/commands/who/index.js';
import { describeCommand, hasCommand } from '../helpers/oracle.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FIX = join(root, 'test', 'fixtures', 'who');
const T0 = 1700000000; // 2023-11-14 22:13:20 UTC

interface Out {
  status: number;
  stdout: string;
  stderr: string;
}

function real(args: string[], env: Record<string, string>): Out {
  const r = spawnSync('who', args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function ours(args: string[], env: Record<string, string>): Promise<Out> {
  const io = bufferIO({ env });
  const status = await run(['who', ...args], io);
  return { status, stdout: io.stdout(), stderr: io.stderr().replace(/^ptools who:/gm, 'who:') };
}

const rec = (f: Partial<UtmpRecord>): Buffer => buildUtmpRecord(f);
const runlevelPid = (prev: string, curr: string): number => prev.charCodeAt(0) * 256 + curr.charCodeAt(0);

/** Login records of every kind, with hosts, displays, addresses, long and odd names. */
function sessionRecords(): Buffer[] {
  return [
    rec({ type: UT_TYPES.USER_PROCESS, user: 'early', line: 'pts/8', host: 'before.boot', pid: 999, tvSec: T0 - 500 }),
    rec({ type: UT_TYPES.BOOT_TIME, line: '~', user: 'reboot', tvSec: T0, pid: 0 }),
    rec({ type: UT_TYPES.RUN_LVL, line: '~', user: 'runlevel', tvSec: T0 + 10, pid: runlevelPid('N', '5') }),
    rec({ type: UT_TYPES.OLD_TIME, line: '|', tvSec: T0 + 19 }),
    rec({ type: UT_TYPES.NEW_TIME, line: '{', tvSec: T0 + 20 }),
    rec({ type: UT_TYPES.INIT_PROCESS, pid: 412, id: 'si', tvSec: T0 + 30 }),
    rec({ type: UT_TYPES.INIT_PROCESS, pid: 413, id: '2', line: 'tty2', tvSec: T0 + 31 }),
    rec({ type: UT_TYPES.LOGIN_PROCESS, pid: 500, line: 'tty1', id: 'tty1', user: 'LOGIN', tvSec: T0 + 40 }),
    rec({ type: UT_TYPES.DEAD_PROCESS, pid: 600, line: 'pts/3', id: 'ts/3', exitStatus: 1, tvSec: T0 + 50 }),
    rec({ type: UT_TYPES.DEAD_PROCESS, pid: 601, line: 'pts/4', id: 'ts/4', user: 'gone', exitTermination: 15, tvSec: T0 + 51 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'alice', line: 'pts/0', id: 'ts/0', host: 'example.com', addrV6: '10.1.2.3', pid: 1001, tvSec: T0 + 3600 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'bob', line: ':0', id: ':0', host: ':0', pid: 1002, tvSec: T0 + 86400 * 40 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'carol', line: 'pts/1', host: 'box.lan:10.0', addrV6: '2001:db8::7', pid: 1003, tvSec: T0 + 86400 * 200 + 7 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'u'.repeat(32), line: `pts/${'9'.repeat(28)}`, host: 'h'.repeat(256), pid: 2147483647, tvSec: T0 + 5 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: '', line: 'pts/5', pid: 3, tvSec: T0 + 6 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'trail  ', line: 'pts/6', pid: -5, tvSec: T0 + 7 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'josé', line: 'tty7', host: 'café.example', pid: 1007, tvSec: T0 + 8 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'dave', line: 'null', host: 'LOCALHOST:0.0', addrV6: '127.0.0.1', pid: 1008, tvSec: T0 + 9 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'erin', line: 'tty', host: '127.0.0.1:3', addrV6: '::ffff:192.0.2.9', pid: 1009, tvSec: T0 + 11 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'frank', line: 'console', host: 'fe80::1', addrV6: 'fe80::1', pid: 1010, tvSec: T0 + 12 }),
    rec({ type: UT_TYPES.ACCOUNTING, user: 'acct', line: 'acct', tvSec: T0 + 13 }),
    rec({ type: UT_TYPES.EMPTY }),
    rec({ type: UT_TYPES.BOOT_TIME, line: '~', user: 'reboot', tvSec: T0 + 86400 * 365, pid: 0 }),
    rec({ type: UT_TYPES.RUN_LVL, line: '~', user: 'runlevel', tvSec: T0 + 86400 * 365 + 5, pid: runlevelPid('5', '3') }),
    rec({ type: UT_TYPES.RUN_LVL, line: '~', tvSec: T0 + 86400 * 365 + 6, pid: '3'.charCodeAt(0) }),
    rec({ type: UT_TYPES.RUN_LVL, line: '~', tvSec: T0 + 86400 * 365 + 7, pid: 0 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'neg', line: 'pts/7', pid: 1011, tvSec: -86400 * 3 }),
  ];
}

/**
 * Hosts for --lookup: names /etc/hosts answers (in any case), numeric hosts
 * (their own canonical name), and one name no resolver knows. Only the last
 * goes to DNS (this machine has no network: it fails, sometimes after the
 * resolver's 5 s timeout), so the scenario is kept small.
 */
function lookupRecords(): Buffer[] {
  const u = (user: string, line: string, host: string, addrV6?: string): Buffer =>
    rec({ type: UT_TYPES.USER_PROCESS, user, line, host, addrV6, pid: 1, tvSec: T0 });
  return [
    u('a', 'pts/1', 'LOCALHOST:0.0', '127.0.0.1'),
    u('b', 'pts/2', 'localhost'),
    u('c', 'pts/3', '127.0.0.1:3'),
    u('d', 'pts/4', '::1'),
    u('e', 'pts/5', 'nonexistent.invalid', '192.0.2.1'),
    u('f', 'pts/6', 'ip6-nonexistent.invalid:1', '2001:db8::9'),
    u('g', 'pts/7', '', '127.0.0.1'),
  ];
}

let dir = '';
let nowAtBuild = 0;

/** Users on terminals (regular files standing in for them) whose atime and mode give each IDLE and mesg case. */
function ttyRecords(): Buffer[] {
  const now = Math.floor(Date.now() / 1000);
  nowAtBuild = now;
  const tty = (name: string, atime: number | null, mode: number): string => {
    const p = join(dir, name);
    if (atime !== null) {
      writeFileSync(p, '');
      chmodSync(p, mode);
      utimesSync(p, atime, atime);
    }
    return p;
  };
  return [
    rec({ type: UT_TYPES.USER_PROCESS, user: 'first', line: tty('z', now - 600, 0o620), pid: 1, tvSec: now - 7200 }),
    rec({ type: UT_TYPES.BOOT_TIME, line: '~', user: 'reboot', tvSec: now - 3 * 3600 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'recent', line: tty('a', now - 10, 0o620), pid: 2, tvSec: now - 100 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'minutes', line: tty('b', now - 330, 0o600), pid: 3, tvSec: now - 1000 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'hours', line: tty('c', now - 2 * 3600 - 1800, 0o660), pid: 4, tvSec: now - 9000 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'days', line: tty('d', now - 2 * 86400, 0o620), pid: 5, tvSec: now - 3 * 86400 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'preboot', line: tty('e', now - 4 * 3600, 0o620), pid: 6, tvSec: now - 5 * 3600 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'future', line: tty('f', now + 3600, 0o620), pid: 7, tvSec: now }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'nottyfile', line: tty('g', null, 0), pid: 8, tvSec: now - 50 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'epoch', line: tty('h', 0, 0o644), pid: 9, tvSec: now - 60 }),
    rec({ type: UT_TYPES.USER_PROCESS, user: 'devnull', line: 'null', pid: 10, tvSec: now - 70 }),
  ];
}

const files: Record<string, string> = {};

beforeAll(() => {
  // Short: a utmp line holds 32 bytes and the terminals' paths go there.
  dir = mkdtempSync('/tmp/w');
  const sessions = Buffer.concat(sessionRecords());
  files.sessions = join(dir, 'sessions');
  writeFileSync(files.sessions, sessions);
  files.ttys = join(dir, 'ttys');
  writeFileSync(files.ttys, Buffer.concat(ttyRecords()));
  files.lookup = join(dir, 'lookup');
  writeFileSync(files.lookup, Buffer.concat(lookupRecords()));
  files.empty = join(dir, 'empty');
  writeFileSync(files.empty, '');
  // A trailing partial record is ignored by getutent() and by ptools.
  files.partial = join(dir, 'partial');
  writeFileSync(files.partial, Buffer.concat([sessions.subarray(0, 384 * 12), Buffer.alloc(100, 0x41)]));
  files.missing = join(dir, 'does-not-exist');
  files.directory = dir;
  // The fixture (a copy kept in the repository, built by the same records with fixed times).
  files.fixture = join(FIX, 'sessions.utmp');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const OPTION_SETS: string[][] = [
  [],
  ['-a'],
  ['-b'],
  ['-d'],
  ['-H'],
  ['-l'],
  ['-p'],
  ['-q'],
  ['-r'],
  ['-s'],
  ['-t'],
  ['-T'],
  ['-u'],
  ['-w'],
  ['-aH'],
  ['-Hu'],
  ['-uT'],
  ['-Hd'],
  ['--count'],
  ['--ips'],
  ['--ips', '-u'],
  ['-m'],
  ['-b', '-r', '-t'],
  ['-lp'],
  ['--heading', '--users', '--mesg'],
  ['-s', '-d'],
  ['--all', '--ips'],
  ['--writable', '--dead', '--login'],
];

const ENVS: Record<string, string>[] = [
  { LC_ALL: 'C', TZ: 'UTC' },
  { LC_ALL: 'C', TZ: 'Asia/Kolkata' },
];

/** Real, ours, real: ours must equal one of the two real runs (the IDLE minute may tick between them). */
async function compare(args: string[], env: Record<string, string>): Promise<void> {
  const before = real(args, env);
  const mine = await ours(args, env);
  if (mine.stdout === before.stdout && mine.stderr === before.stderr && mine.status === before.status) return;
  const after = real(args, env);
  expect({ args, env, ...mine }).toEqual({ args, env, ...after });
}

describeCommand('who', 'who vs coreutils who, line by line', () => {
  it('the repository fixture is the sessions scenario with its fixed times', () => {
    // test/fixtures/who/sessions.utmp is these records (fixed times), kept for
    // reading by hand (`who -a test/fixtures/who/sessions.utmp`) and by other tests.
    // PTOOLS_WRITE_FIXTURES=1 rewrites it after a deliberate change to the records.
    if (process.env.PTOOLS_WRITE_FIXTURES) writeFileSync(files.fixture!, readFileSync(files.sessions!));
    expect(readFileSync(files.fixture!).equals(readFileSync(files.sessions!))).toBe(true);
  });

  for (const scenario of ['sessions', 'ttys']) {
    for (const env of ENVS) {
      it(`${scenario}, TZ=${env.TZ}: ${OPTION_SETS.length} option sets`, async () => {
        for (const opts of OPTION_SETS) await compare([...opts, files[scenario]!], env);
      });
    }
  }

  it('the ttys scenario does show every IDLE and mesg case (so the comparisons above cover them)', async () => {
    const out = (await ours(['-uT', files.ttys!], { LC_ALL: 'C', TZ: 'UTC' })).stdout;
    const T = '\\w{3} [ \\d]\\d \\d\\d:\\d\\d';
    const row = (user: string, mesg: string, idle: string, pid: number): RegExp =>
      new RegExp(`^${user} +\\${mesg} \\S+ ${T} ${idle.replace(/[.?]/g, '\\$&')} +${pid}$`, 'm');
    expect(out).toMatch(row('first', '+', '00:10', 1)); // before any boot record
    expect(out).toMatch(row('recent', '+', '  . ', 2));
    expect(out).toMatch(row('minutes', '-', '00:05', 3));
    expect(out).toMatch(row('hours', '+', '02:30', 4));
    expect(out).toMatch(row('days', '+', ' old', 5));
    expect(out).toMatch(row('preboot', '+', ' old', 6));
    expect(out).toMatch(row('future', '+', ' old', 7));
    expect(out).toMatch(row('nottyfile', '?', '  ?', 8));
    expect(out).toMatch(row('epoch', '-', '  ?', 9)); // atime 0 reads as "never"
  });

  it('C.UTF-8 (times as %Y-%m-%d %H:%M) on both scenarios', async () => {
    const env = { LC_ALL: 'C.UTF-8', TZ: 'Asia/Kolkata' };
    for (const opts of [[], ['-a'], ['-aH'], ['-q'], ['--ips', '-u'], ['-bt']]) {
      await compare([...opts, files.sessions!], env);
      await compare([...opts, files.ttys!], env);
    }
  });

  it('LANG/LC_TIME pick the time format as setlocale does (an unknown locale anywhere means C)', async () => {
    const envs: Record<string, string>[] = [
      { LANG: 'C.UTF-8', TZ: 'UTC' },
      { LANG: 'C.UTF-8', LC_TIME: 'C', TZ: 'UTC' },
      { LC_TIME: 'C.utf8', TZ: 'UTC' },
      { LANG: 'xx_YY.UTF-8', TZ: 'UTC' },
      { LANG: 'C.UTF-8', LC_NUMERIC: 'xx_YY', TZ: 'UTC' },
      { LC_ALL: 'POSIX', TZ: 'UTC' },
    ];
    for (const env of envs) {
      await compare(['-a', files.sessions!], env);
    }
  });

  it('other TZ spellings: empty, POSIX strings, a leading colon, an unknown zone', async () => {
    for (const TZ of ['', 'UTC0', 'IST-5:30', ':Europe/Paris', 'America/New_York', 'Nowhere/Special', 'EST5EDT']) {
      await compare(['-a', files.sessions!], { LC_ALL: 'C', TZ });
    }
  });

  it('--lookup (hosts file, numeric hosts, an unresolvable name) and --ips --lookup (reverse)', async () => {
    const env = { LC_ALL: 'C', TZ: 'UTC' };
    for (const opts of [['--lookup'], ['--lookup', '-a'], ['--lookup', '--ips'], ['--ips'], ['--lookup', '--ips', '-uH']]) {
      await compare([...opts, files.lookup!], env);
    }
    // The hosts file did answer: the case-folded name became the entry's official name.
    expect((await ours(['--lookup', files.lookup!], env)).stdout).toMatch(/^a +pts\/1 .*\(localhost:0\.0\)$/m);
  });

  it('empty, missing, partial and directory files', async () => {
    for (const f of ['empty', 'missing', 'partial', 'directory']) {
      for (const opts of [[], ['-a'], ['-q'], ['-H']]) await compare([...opts, files[f]!], { LC_ALL: 'C', TZ: 'UTC' });
    }
  });

  it('the system utmp (absent here) and `who am i` with stdin not a terminal: nothing, like who', async () => {
    for (const args of [[], ['-a'], ['-q'], ['am', 'i'], ['-m'], ['-mH'], ['mom', 'likes']]) await compare(args, { LC_ALL: 'C', TZ: 'UTC' });
  });

  it('bad usage: the same message and status, nothing on stdout', async () => {
    const cases = [['-z'], ['--h'], ['--he'], ['--heading=x'], ['--bogus'], ['--bogus=1'], ['a', 'b', 'c'], ['a', 'b', "it's"], ['a', 'b', 'x\ty'], ['a', 'b', 'é'], ['-q', 'x', 'y', 'z', 'w']];
    for (const args of cases) {
      // The last: a locale that does not exist makes setlocale fail, so quotes stay ASCII.
      const envs: Record<string, string>[] = [{ LC_ALL: 'C' }, { LC_ALL: 'C.UTF-8' }, { LANG: 'C.UTF-8' }, { LANG: 'C.UTF-8', LC_MESSAGES: 'xx_YY' }];
      for (const env of envs) {
        const r = real(args, env);
        const m = await ours(args, env);
        expect(r.status).toBe(1);
        expect(r.stdout).toBe('');
        expect(m).toEqual(r);
      }
    }
  });

  it('prefixes of long options resolve as getopt_long does (--m is --message, --lo is ambiguous)', async () => {
    for (const args of [['--m'], ['--me'], ['--lo'], ['--log'], ['--loo'], ['--al'], ['--i'], ['--w']]) {
      await compare([...args, files.ttys!], { LC_ALL: 'C', TZ: 'UTC' });
    }
  });

  it('--help is who --help plus the --json line (the tail names ptools instead of GNU)', async () => {
    const env = { LC_ALL: 'C' };
    const r = real(['--help'], env);
    const m = await ours(['--help'], env);
    expect(m.status).toBe(0);
    const body = (s: string): string => s.slice(0, s.indexOf('\nGNU coreutils online help') >= 0 ? s.indexOf('\nGNU coreutils online help') : s.indexOf('\nSee who(1)'));
    const mine = body(m.stdout).split('\n').filter((l) => !l.includes('--json'));
    // who prints its help with program_name = argv[0]; ours with io.prog, both "who" here.
    expect(mine).toEqual(body(r.stdout).split('\n'));
    expect(m.stdout).toMatch(/^ {6}--json {8}print the records as a JSON array/m);
    const v = await ours(['--version'], env);
    expect(v.stdout).toMatch(/^who \(ptools\) \d+\.\d+\.\d+\n$/);
  });

  it('--ips: the address rule matches who on 300 random addresses', async () => {
    const addrs: Uint8Array[] = [];
    const firsts = [0x20, 0x2a, 0x3f, 0xfc, 0xfd, 0xfe, 0xff, 0x00, 0x40, 0x1f, 0xe0, 0x80, 0xfb];
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 300; i++) {
      const a = new Uint8Array(16);
      a[0] = rnd() < 0.8 ? firsts[i % firsts.length]! : Math.floor(rnd() * 256);
      a[1] = rnd() < 0.5 ? Math.floor(rnd() * 256) : i % 3 === 0 ? 0xc0 : 0;
      for (let k = 2; k < 16; k++) if (rnd() < 0.2) a[k] = Math.floor(rnd() * 256);
      if (i % 17 === 0) a.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 0);
      addrs.push(a);
    }
    const buf = Buffer.concat(
      addrs.map((a, i) => {
        const b = rec({ type: UT_TYPES.USER_PROCESS, user: 'u', line: `p${i}`, host: 'h', pid: 1, tvSec: T0 });
        Buffer.from(a).copy(b, 348);
        return b;
      }),
    );
    const f = join(dir, 'ips');
    writeFileSync(f, buf);
    await compare(['--ips', f], { LC_ALL: 'C', TZ: 'UTC' });
    await compare(['--ips', '-a', f], { LC_ALL: 'C', TZ: 'UTC' });
    // And the rule itself, on known cases.
    expect(whoIpText(utmpAddrBytes('2001:db8::1'))).toBe('2001:db8::1');
    expect(whoIpText(utmpAddrBytes('2001:db8::'))).toBe('32.1.13.184');
    expect(whoIpText(utmpAddrBytes('fe80::1'))).toBe('254.128.0.0');
    expect(whoIpText(utmpAddrBytes('fec0::1'))).toBe('fec0::1');
    expect(whoIpText(utmpAddrBytes('::ffff:1.2.3.4'))).toBe('1.2.3.4');
    expect(whoIpText(utmpAddrBytes('::1'))).toBe('0.0.0.0');
    expect(whoIpText(new Uint8Array(16))).toBeNull();
  });

  it('the launcher: bin/ptools who FILE prints what who prints', () => {
    if (!existsSync(join(root, 'dist', 'commands', 'who', 'index.js'))) throw new Error('dist/ is missing: run `npm run compile` (make test does)');
    const env = { PATH: process.env.PATH ?? '', LC_ALL: 'C', TZ: 'Asia/Kolkata' };
    for (const args of [['-a', files.sessions!], ['-q', files.sessions!], ['-z']]) {
      // The fixture's pts/0 is a real device name: a terminal opened or closed elsewhere on the machine
      // between the two runs changes its mesg and idle columns, so a differing pair is run again (twice at most).
      for (let attempt = 0; attempt < 3; attempt++) {
        const a = spawnSync('who', args, { encoding: 'utf8', env });
        const b = spawnSync(process.execPath, [join(root, 'bin', 'ptools'), 'who', ...args], { encoding: 'utf8', env });
        const c = spawnSync('who', args, { encoding: 'utf8', env });
        if (a.stdout !== c.stdout && attempt < 2) continue;
        expect([b.status, b.stdout, b.stderr]).toEqual([a.status, a.stdout, a.stderr]);
        break;
      }
    }
  });
});

// ---------------------------------------------------------------- who -m on a terminal

/**
 * Runs commands with a pseudo-terminal on stdin (python's pty module keeps
 * it open); the utmp file is written once the terminal's name is known.
 */
async function onPty(makeFile: (line: string) => string, commands: string[][]): Promise<Out[]> {
  const py = `
import json, os, pty, subprocess, sys
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
sys.stdin.readline()
cmds = json.loads(sys.argv[1])
outs = []
for c in cmds:
    r = subprocess.run(c, stdin=s, capture_output=True, text=True)
    outs.append({"status": r.returncode, "stdout": r.stdout, "stderr": r.stderr})
print(json.dumps(outs), flush=True)
`;
  const child = spawn('/usr/bin/python3', ['-c', py, JSON.stringify(commands)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
      wake?.();
    }
  });
  const next = async (): Promise<string> => {
    while (lines.length === 0) await new Promise<void>((r) => (wake = r));
    return lines.shift()!;
  };
  const tty = await next();
  makeFile(tty.replace(/^\/dev\//, ''));
  child.stdin.write('go\n');
  const result = JSON.parse(await next()) as Out[];
  child.stdin.end();
  return result;
}

const ptyOk = hasCommand('who') && existsSync('/usr/bin/python3') && existsSync(join(root, 'dist', 'commands', 'who', 'index.js'));
describe('who -m / who am i with a terminal on stdin', () => {
  (ptyOk ? it : it.skip)(`prints the record of stdin's terminal, as who does${ptyOk ? '' : ' [SKIPPED: needs who, python3 and a compiled dist/]'}`, async () => {
    const f = join(dir, 'mine');
    const env = { LC_ALL: 'C', TZ: 'UTC' };
    const ptools = [process.execPath, join(root, 'bin', 'ptools'), 'who'];
    const sets = [['-m', f], ['-mH', f], ['-m', '-a', f], ['-mq', f]];
    const cmds: string[][] = [];
    for (const s of sets) cmds.push(['env', `LC_ALL=${env.LC_ALL}`, `TZ=${env.TZ}`, 'who', ...s], ['env', `LC_ALL=${env.LC_ALL}`, `TZ=${env.TZ}`, ...ptools, ...s]);
    let line = '';
    const outs = await onPty((l) => {
      line = l;
      writeFileSync(
        f,
        Buffer.concat([
          rec({ type: UT_TYPES.USER_PROCESS, user: 'other', line: 'pts/999', pid: 1, tvSec: T0 }),
          rec({ type: UT_TYPES.USER_PROCESS, user: 'me', line: l, host: 'here', pid: 2, tvSec: T0 + 60 }),
          rec({ type: UT_TYPES.DEAD_PROCESS, line: l, id: 'x', pid: 3, tvSec: T0 + 120 }),
        ]),
      );
      return f;
    }, cmds);
    expect(line).toMatch(/^pts\/\d+$/);
    for (let i = 0; i < outs.length; i += 2) {
      expect(outs[i + 1]).toEqual(outs[i]);
    }
    // The terminal's own record is there; the other one is not.
    expect(outs[0]!.stdout).toMatch(new RegExp(`^me +${line.replace('/', '\\/')} `));
    expect(outs[0]!.stdout).not.toMatch(/other/);
  });
});

// ---------------------------------------------------------------- the system utmp, in a private mount namespace

function canUnshareRun(): boolean {
  return spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs none /run && test ! -e /run/utmp'], { encoding: 'utf8' }).status === 0;
}

describeCommand('who', 'who without FILE reads the system utmp and drops records of dead processes', () => {
  const ns = canUnshareRun() && existsSync(join(root, 'dist', 'commands', 'who', 'index.js'));
  (ns ? it : it.skip)(`who and ptools who with a utmp bind at /run/utmp in a private namespace${ns ? '' : ' [SKIPPED: needs unshare -m and a compiled dist/]'}`, () => {
    const dead = spawnSync('true').pid!; // exited: its pid is free (unless reused at once, then both keep it)
    const f = join(dir, 'system');
    writeFileSync(
      f,
      Buffer.concat([
        rec({ type: UT_TYPES.BOOT_TIME, line: '~', user: 'reboot', tvSec: T0 }),
        rec({ type: UT_TYPES.USER_PROCESS, user: 'alive', line: 'pts/0', pid: process.pid, tvSec: T0 + 1 }),
        rec({ type: UT_TYPES.USER_PROCESS, user: 'dead', line: 'pts/1', pid: dead, tvSec: T0 + 2 }),
        rec({ type: UT_TYPES.USER_PROCESS, user: 'nopid', line: 'pts/2', pid: 0, tvSec: T0 + 3 }),
        rec({ type: UT_TYPES.LOGIN_PROCESS, user: 'LOGIN', line: 'tty1', pid: dead, tvSec: T0 + 4 }),
      ]),
    );
    const script = `mount -t tmpfs none /run && cp "$1" /run/utmp && for a in "" -a -q -u; do echo "== $a"; who $a; echo "rc=$?"; echo "== $a"; "$2" "$3" who $a; echo "rc=$?"; done`;
    const out = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', f, process.execPath, join(root, 'bin', 'ptools')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', LC_ALL: 'C', TZ: 'UTC' },
    });
    expect(out.status).toBe(0);
    const blocks = out.stdout.split(/^== .*\n/m).slice(1);
    expect(blocks).toHaveLength(8);
    for (let i = 0; i < blocks.length; i += 2) expect(blocks[i + 1]).toBe(blocks[i]);
    expect(blocks[0]).toMatch(/^alive /m);
    expect(blocks[0]).not.toMatch(/^dead /m);
    expect(blocks[0]).toMatch(/^nopid /m);
  });

  it('in-process: setUtmpPath stands in for the system utmp (check-pids applied, FILE is not)', async () => {
    const saved = getUtmpPath();
    const f = join(dir, 'system2');
    const dead = spawnSync('true').pid!;
    writeFileSync(
      f,
      Buffer.concat([
        rec({ type: UT_TYPES.USER_PROCESS, user: 'alive', line: 'pts/0', pid: process.pid, tvSec: T0 + 1 }),
        rec({ type: UT_TYPES.USER_PROCESS, user: 'dead', line: 'pts/1', pid: dead, tvSec: T0 + 2 }),
      ]),
    );
    try {
      setUtmpPath(f);
      const sys = await ours(['-q'], { LC_ALL: 'C' });
      expect(sys.stdout).toBe('alive\n# users=1\n');
      const file = await ours(['-q', f], { LC_ALL: 'C' });
      expect(file.stdout).toBe('alive dead\n# users=2\n');
    } finally {
      setUtmpPath(saved);
    }
  });
});

// ---------------------------------------------------------------- --json

describeCommand('who', 'who --json', () => {
  it('parses, has the documented keys and types, and agrees with the text form', async () => {
    const env = { LC_ALL: 'C', TZ: 'UTC' };
    for (const scenario of ['sessions', 'ttys']) {
      const text = await ours(['-a', files[scenario]!], env);
      const j = await ours(['-a', '--json', files[scenario]!], env);
      expect(j.status).toBe(0);
      const rows = JSON.parse(j.stdout) as WhoJsonRow[];
      const lines = text.stdout.trimEnd().split('\n');
      expect(rows).toHaveLength(lines.length);
      const keys = ['type', 'user', 'line', 'time', 'host', 'addr', 'pid', 'id', 'idle', 'mesg', 'exit', 'runlevel', 'comment'];
      rows.forEach((r, i) => {
        expect(Object.keys(r).sort()).toEqual([...keys].sort());
        expect(['user', 'boot', 'runlevel', 'clock', 'init', 'login', 'dead']).toContain(r.type);
        expect(typeof r.user).toBe('string');
        expect(typeof r.line).toBe('string');
        expect(typeof r.pid).toBe('number');
        expect(r.time).toMatch(/^-?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        const line = lines[i]!;
        // The time column is the JSON time in UTC, to the minute ("%b %e %H:%M").
        const d = new Date(r.time);
        const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
        const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
        expect(line).toContain(`${mon} ${String(d.getUTCDate()).padStart(2)} ${hhmm}`);
        if (r.comment) expect(line).toContain(r.comment);
        if (r.type === 'user') {
          expect(line.startsWith(r.user)).toBe(true);
          expect(['+', '-', '?']).toContain(r.mesg);
          // The state column follows the name padded to 8 bytes and a blank.
          const at = Math.max(8, Buffer.byteLength(r.user)) + 1;
          expect(Buffer.from(line).subarray(at, at + 1).toString()).toBe(r.mesg);
          expect(line).toMatch(new RegExp(` ${r.pid}( |$)`));
          if (r.mesg === '?') expect(r.idle).toBeNull();
          else expect(typeof r.idle).toBe('number');
        } else {
          expect(r.mesg).toBeNull();
          expect(r.idle).toBeNull();
        }
        if (r.type === 'dead') expect(line).toMatch(new RegExp(`term=${r.exit!.termination} exit=${r.exit!.status}$`));
        else expect(r.exit).toBeNull();
        if (r.type === 'runlevel') expect(line).toContain(`run-level ${r.runlevel!.current}`);
      });
    }
  });

  it('idle is seconds since the terminal was last used (its atime)', async () => {
    const j = await ours(['-u', '--json', files.ttys!], { LC_ALL: 'C', TZ: 'UTC' });
    const rows = JSON.parse(j.stdout) as WhoJsonRow[];
    const byUser = Object.fromEntries(rows.map((r) => [r.user, r]));
    const now = Math.floor(Date.now() / 1000);
    // Tolerance: the seconds elapsed since the files were made (the test's own run time).
    const slack = now - nowAtBuild + 1;
    const near = (v: number | null, want: number): void => {
      expect(v).not.toBeNull();
      expect(Math.abs(v! - want)).toBeLessThanOrEqual(slack);
    };
    near(byUser.recent!.idle, 10);
    near(byUser.minutes!.idle, 330);
    near(byUser.hours!.idle, 2 * 3600 + 1800);
    near(byUser.future!.idle, -3600);
    expect(byUser.nottyfile!.idle).toBeNull();
    expect(byUser.nottyfile!.mesg).toBe('?');
    expect(byUser.minutes!.mesg).toBe('-');
    expect(byUser.recent!.mesg).toBe('+');
    expect(statSync(byUser.recent!.line).atimeMs / 1000).toBeCloseTo(nowAtBuild - 10, 0);
  });

  it('-q --json: the names and their count, as -q counts them', async () => {
    const env = { LC_ALL: 'C', TZ: 'UTC' };
    const j = JSON.parse((await ours(['-q', '--json', files.sessions!], env)).stdout) as { users: string[]; count: number };
    const text = real(['-q', files.sessions!], env).stdout.split('\n');
    expect(j.users.join(' ')).toBe(text[0]);
    expect(`# users=${j.count}`).toBe(text[1]);
    expect(j.count).toBe(j.users.length);
  });
});

// ---------------------------------------------------------------- pure pieces

describe('who: pure pieces', () => {
  it("idleText follows coreutils' idle_string", () => {
    const now = 1_000_000;
    expect(idleText(now - 59, -Infinity, now)).toBe('  .  ');
    expect(idleText(now - 60, -Infinity, now)).toBe('00:01');
    expect(idleText(now - 86399, -Infinity, now)).toBe('23:59');
    expect(idleText(now - 86400, -Infinity, now)).toBe(' old ');
    expect(idleText(now + 1, -Infinity, now)).toBe(' old ');
    expect(idleText(now - 100, now - 100, now)).toBe(' old '); // not after boot
    expect(idleText(now - 100, now - 101, now)).toBe('00:01');
  });

});

describe('man/who.1', () => {
  it('renders with man -l and documents every JSON key and option', () => {
    const page = spawnSync('man', ['-l', join(root, 'man', 'who.1')], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', MANWIDTH: '80' } });
    if (page.error) return expect.fail(`man is not installed: ${page.error.message}`);
    expect(page.status).toBe(0);
    const json = page.stdout.slice(page.stdout.indexOf('\nJSON'), page.stdout.indexOf('\nEXIT STATUS'));
    for (const k of ['type', 'user', 'line', 'host', 'id', 'addr', 'time', 'pid', 'idle', 'mesg', 'exit', 'runlevel', 'comment', 'count']) expect(json).toContain(k);
    for (const o of ['--all', '--boot', '--dead', '--heading', '--ips', '--login', '--lookup', '-m', '--process', '--count', '--runlevel', '--short', '--time', '--mesg', '--users', '--json']) {
      expect(page.stdout).toContain(o);
    }
  });
});
