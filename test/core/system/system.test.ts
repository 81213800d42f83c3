import { fixturePath } from '../../helpers/fixtures.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PtoolsError } from '../../../src/core/base/errors.js';
import { getUtmpPath, setUtmpPath } from '../../../src/core/base/paths.js';
import {
  bootTime,
  buildUtmpRecord,
  formatUtmpAddr,
  parseUtmp,
  users,
  usersFromUtmp,
  UT_TYPES,
  UTMP_RECORD_SIZE,
  type UtmpRecord,
} from '../../../src/core/system/system.js';
import { describeCommand, describePsutil, psutil, PYTHON, sh } from '../../helpers/oracle.js';

const FIX = fixturePath('system');
const fixture = (name: string): Buffer => readFileSync(join(FIX, name));
const fixtureJson = <T>(name: string): T => JSON.parse(readFileSync(join(FIX, name), 'utf8')) as T;

// ---------------------------------------------------------------- boot time

describePsutil('bootTime on this machine', () => {
  it('equals psutil.boot_time()', () => {
    // Both read the same whole-second btime: exact.
    expect(bootTime()).toBe(psutil<number>('psutil.boot_time()'));
  });
});

describeCommand('uptime', 'bootTime vs uptime -s', () => {
  it('agrees with `uptime -s` to the second', () => {
    // uptime -s prints time(NULL) - /proc/uptime (centiseconds) as local time;
    // with TZ=UTC that is UTC. btime is the kernel's whole-second boot time,
    // so the two differ by their roundings: at most 1 s.
    const out = sh('uptime', ['-s'], { TZ: 'UTC' }).trim();
    const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(out);
    expect(m, out).not.toBeNull();
    const [, y, mo, d, h, mi, s] = m!.map(Number);
    const up = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) / 1000;
    expect(Math.abs(bootTime() - up)).toBeLessThanOrEqual(1);
  });
});

// ---------------------------------------------------------------- utmp parsing

describe('parseUtmp', () => {
  const main = fixture('utmp');
  const edge = fixture('utmp-edge');

  it('reads every record and field of a utmp file', () => {
    const recs = parseUtmp(main);
    expect(recs).toEqual(fixtureJson<UtmpRecord[]>('utmp.json'));
    expect(recs.map((r) => r.type)).toEqual([
      UT_TYPES.BOOT_TIME, UT_TYPES.RUN_LVL, UT_TYPES.LOGIN_PROCESS, UT_TYPES.USER_PROCESS,
      UT_TYPES.USER_PROCESS, UT_TYPES.DEAD_PROCESS, UT_TYPES.USER_PROCESS, UT_TYPES.USER_PROCESS,
    ]);
    expect(recs[3]).toEqual({
      type: 7, pid: 1234, line: 'pts/0', id: 'ts/0', user: 'alice', host: '192.168.1.20',
      exitTermination: 0, exitStatus: 0, session: 1234, tvSec: 1700000100, tvUsec: 250000, addrV6: '192.168.1.20',
    });
  });

  it('handles full-width fields without NUL, every record type, and ignores a trailing partial record', () => {
    expect(edge.length % UTMP_RECORD_SIZE).toBe(100);
    const recs = parseUtmp(edge);
    expect(recs).toEqual(fixtureJson<UtmpRecord[]>('utmp-edge.json'));
    expect(recs).toHaveLength(9);
    expect(recs.some((r) => r.user === 'partial')).toBe(false);
    const wide = recs[2]!;
    expect(wide.user).toBe('u'.repeat(32));
    expect(wide.line).toBe('l'.repeat(32));
    expect(wide.id).toBe('abcd');
    expect(wide.host).toBe('h'.repeat(256));
    expect(wide.addrV6).toBe('::ffff:10.0.0.1');
    expect(recs[0]).toMatchObject({ type: UT_TYPES.EMPTY, user: '', tvSec: 0, addrV6: null });
    expect(recs[7]).toMatchObject({ type: UT_TYPES.DEAD_PROCESS, exitTermination: 15, exitStatus: -1 });
    // written as "1::": its last 12 bytes are zero, which utmp readers (who, last) take as IPv4
    expect(recs[8]).toMatchObject({ user: 'zoë', tvSec: -5, session: -1, addrV6: '0.1.0.0' });
  });

  it('returns [] for an empty or short buffer', () => {
    expect(parseUtmp(Buffer.alloc(0))).toEqual([]);
    expect(parseUtmp(Buffer.alloc(UTMP_RECORD_SIZE - 1, 0x41))).toEqual([]);
    expect(parseUtmp(new Uint8Array(UTMP_RECORD_SIZE))).toHaveLength(1);
  });

  it('reads a Uint8Array view at an offset the same as a Buffer', () => {
    const big = new Uint8Array(main.length + 7);
    big.set(main, 7);
    expect(parseUtmp(big.subarray(7))).toEqual(parseUtmp(main));
  });

  it('buildUtmpRecord writes the committed fixtures byte for byte', () => {
    const recs = fixtureJson<UtmpRecord[]>('utmp.json');
    expect(Buffer.concat(recs.map(buildUtmpRecord)).equals(main)).toBe(true);
    const edgeRecs = fixtureJson<UtmpRecord[]>('utmp-edge.json');
    expect(Buffer.concat(edgeRecs.map(buildUtmpRecord)).equals(edge.subarray(0, 9 * UTMP_RECORD_SIZE))).toBe(true);
  });

  it('buildUtmpRecord cuts long strings at the field size and zero-fills the rest', () => {
    const b = buildUtmpRecord({ type: 7, user: 'x'.repeat(40), line: 'y'.repeat(33) });
    expect(b.length).toBe(UTMP_RECORD_SIZE);
    const [r] = parseUtmp(b);
    expect(r!.user).toBe('x'.repeat(32));
    expect(r!.line).toBe('y'.repeat(32));
    expect(r!.host).toBe('');
    expect(buildUtmpRecord({}).equals(Buffer.alloc(UTMP_RECORD_SIZE))).toBe(true);
  });

  it('round-trips random records (build then parse)', () => {
    const str = (max: number) => fc.string({ unit: 'grapheme-ascii', maxLength: max }).filter((s) => !s.includes('\0'));
    const i32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    const i16 = fc.integer({ min: -(2 ** 15), max: 2 ** 15 - 1 });
    const addr = fc.oneof(
      fc.constant(null),
      fc.ipV4().filter((a) => a !== '0.0.0.0'),
      fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatUtmpAddr(b)),
    );
    fc.assert(
      fc.property(
        fc.record({
          type: i16, pid: i32, line: str(32), id: str(4), user: str(32), host: str(256),
          exitTermination: i16, exitStatus: i16, session: i32, tvSec: i32, tvUsec: i32, addrV6: addr,
        }),
        (rec) => {
          expect(parseUtmp(buildUtmpRecord(rec))).toEqual([rec]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws anything but PtoolsError on random bytes or mutated fixtures', () => {
    const mutate = (seed: Buffer) =>
      fc.tuple(fc.nat(seed.length), fc.uint8Array({ maxLength: 64 }), fc.nat(seed.length)).map(([at, bytes, cut]) => {
        const b = Buffer.from(seed);
        Buffer.from(bytes).copy(b, Math.min(at, b.length));
        return b.subarray(0, cut);
      });
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 3 * UTMP_RECORD_SIZE + 50 }),
      fc.integer({ min: 1, max: 3 }).chain((n) => fc.uint8Array({ minLength: n * UTMP_RECORD_SIZE, maxLength: n * UTMP_RECORD_SIZE })),
      mutate(main),
      mutate(edge),
    );
    fc.assert(
      fc.property(arb, (bytes) => {
        try {
          const recs = parseUtmp(bytes);
          expect(recs).toHaveLength(Math.floor(bytes.length / UTMP_RECORD_SIZE));
          usersFromUtmp(recs);
        } catch (e) {
          if (!(e instanceof PtoolsError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatUtmpAddr', () => {
  const b = (...xs: number[]) => {
    const out = new Uint8Array(16);
    out.set(xs);
    return out;
  };
  it('formats as glibc inet_ntop does, IPv4 when only the first word is set', () => {
    expect(formatUtmpAddr(new Uint8Array(16))).toBeNull();
    expect(formatUtmpAddr(b(10, 1, 2, 3))).toBe('10.1.2.3');
    expect(formatUtmpAddr(b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))).toBe('::1');
    expect(formatUtmpAddr(b(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7))).toBe('2001:db8::7');
    expect(formatUtmpAddr(b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4))).toBe('::ffff:1.2.3.4');
    expect(formatUtmpAddr(b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4))).toBe('::1.2.3.4');
    expect(formatUtmpAddr(b(0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).toBe('1:0:1::');
    // a single zero word is not compressed; the first of equal runs is
    expect(formatUtmpAddr(b(0, 1, 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7))).toBe('1:0:2:3:4:5:6:7');
    expect(formatUtmpAddr(b(0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4))).toBe('1::2:0:0:3:4');
  });
  it('agrees with Python socket.inet_ntop on random addresses', () => {
    const samples = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        // mostly-zero addresses exercise the "::" rules
        fc.array(fc.constantFrom(0, 0, 0, 1, 0xff), { minLength: 16, maxLength: 16 }).map((a) => Uint8Array.from(a)),
      ),
      400,
    ).filter((a) => !a.subarray(4).every((x) => x === 0)); // IPv4 form is utmp's own rule, not inet_ntop's
    const hex = samples.map((a) => Buffer.from(a).toString('hex'));
    const out = execFileSync(PYTHON, ['-c', 'import sys,socket\nfor h in sys.stdin.read().split(): print(socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h)))'], {
      input: hex.join('\n'),
      encoding: 'utf8',
    }).trim().split('\n');
    expect(samples.map((a) => formatUtmpAddr(a))).toEqual(out);
  });
});

// ---------------------------------------------------------------- users()

describe('users (fixture utmp)', () => {
  const saved = getUtmpPath();
  afterEach(() => setUtmpPath(saved));

  it('lists USER_PROCESS records only, psutil style', () => {
    setUtmpPath(join(FIX, 'utmp'));
    expect(users()).toEqual([
      { name: 'alice', terminal: 'pts/0', host: '192.168.1.20', started: 1700000100, pid: 1234 },
      { name: 'bob', terminal: 'tty2', host: '', started: 1700000200, pid: 1301 },
      { name: 'carol', terminal: 'pts/2', host: '2001:db8::7', started: 1700000400, pid: 1500 },
      // psutil names the local X display "localhost"
      { name: 'dave', terminal: ':0', host: 'localhost', started: 1700000500, pid: 1600 },
    ]);
  });

  it('gives a null terminal for an empty ut_line and maps ":0.0" too', () => {
    setUtmpPath(join(FIX, 'utmp-edge'));
    const u = users();
    expect(u.map((x) => x.pid)).toEqual([2001, 2002, 2004]);
    expect(u[1]).toEqual({ name: 'nolines', terminal: null, host: 'localhost', started: 1700001200, pid: 2002 });
    expect(u[0]!.name).toBe('u'.repeat(32));
  });

  it('is [] when the utmp file is missing or unreadable (as getutent)', () => {
    setUtmpPath(join(FIX, 'no-such-utmp'));
    expect(users()).toEqual([]);
    setUtmpPath(FIX); // a directory: EISDIR
    expect(users()).toEqual([]);
  });
});

/** who's default listing: NAME [LINE] YYYY-MM-DD HH:MM [(HOST)] (LC_ALL=C.utf8 gives ISO dates; an empty line is blanks). */
function whoUsers(file: string): { name: string; line: string | null; time: string; host: string | null }[] {
  const out = sh('who', [file], { LC_ALL: 'C.utf8', TZ: 'UTC' });
  return out.split('\n').filter(Boolean).map((l) => {
    const m = /^(\S+)\s+(?:(\S+)\s+)?(\d{4}-\d\d-\d\d \d\d:\d\d)(?:\s+\((.*)\))?\s*$/.exec(l);
    if (!m) throw new Error(`unexpected who line: ${l}`);
    return { name: m[1]!, line: m[2] ?? null, time: m[3]!, host: m[4] ?? null };
  });
}
const utcMinute = (secs: number) => new Date(secs * 1000).toISOString().slice(0, 16).replace('T', ' ');

describeCommand('who', 'users and parseUtmp vs coreutils who FILE', () => {
  const saved = getUtmpPath();
  afterEach(() => setUtmpPath(saved));

  it('users() matches `who FILE` record by record', () => {
    for (const f of ['utmp', 'utmp-edge']) {
      setUtmpPath(join(FIX, f));
      const ours = users();
      const rawHosts = parseUtmp(fixture(f)).filter((r) => r.type === UT_TYPES.USER_PROCESS).map((r) => r.host);
      const who = whoUsers(join(FIX, f));
      expect(who.map((w) => w.name)).toEqual(ours.map((u) => u.name));
      ours.forEach((u, i) => {
        const w = who[i]!;
        expect(w.line).toBe(u.terminal);
        // who prints minutes, in TZ=UTC
        expect(w.time).toBe(utcMinute(u.started));
        // who prints the raw ut_host; psutil (and ptools) rename the X display ":0"/":0.0"
        const raw = rawHosts[i]!;
        expect(w.host).toBe(raw === '' ? null : raw);
        expect(u.host).toBe(raw === ':0' || raw === ':0.0' ? 'localhost' : raw);
      });
    }
  });

  it('the other record types match who -b / -r / -l / -d', () => {
    const file = join(FIX, 'utmp');
    const recs = parseUtmp(fixture('utmp'));
    const env = { LC_ALL: 'C.utf8', TZ: 'UTC' };
    const boot = recs.find((r) => r.type === UT_TYPES.BOOT_TIME)!;
    expect(sh('who', ['-b', file], env).trim()).toBe(`system boot  ${utcMinute(boot.tvSec)}`);
    const rl = recs.find((r) => r.type === UT_TYPES.RUN_LVL)!;
    // the run level is the low byte of ut_pid ('5' is 53)
    expect(sh('who', ['-r', file], env).trim()).toMatch(new RegExp(`^run-level ${String.fromCharCode(rl.pid % 256)}\\s+${utcMinute(rl.tvSec)}`));
    const login = recs.find((r) => r.type === UT_TYPES.LOGIN_PROCESS)!;
    expect(sh('who', ['-l', file], env).trim().split(/\s+/)).toEqual([login.user, login.line, ...utcMinute(login.tvSec).split(' '), String(login.pid), `id=${login.id}`]);
    const dead = recs.find((r) => r.type === UT_TYPES.DEAD_PROCESS)!;
    expect(sh('who', ['-d', file], env).trim().split(/\s+/)).toEqual([
      dead.line, ...utcMinute(dead.tvSec).split(' '), String(dead.pid), `id=${dead.id}`, `term=${dead.exitTermination}`, `exit=${dead.exitStatus}`,
    ]);
  });
});

// psutil 5.9.4 reads utmp with getutent() from the compiled-in /var/run/utmp
// and honours no other path. This machine has no utmp, so to give psutil the
// fixture we run it in a private mount namespace with a tmpfs over /run and
// the fixture copied to /run/utmp: the real /run is never touched (better
// than creating and deleting /var/run/utmp). Needs root and unshare(1).
function canUnshareRun(): boolean {
  const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs none /run && test ! -e /run/utmp'], { encoding: 'utf8' });
  return r.status === 0;
}
function psutilUsersOn(file: string): { name: string; terminal: string | null; host: string; started: number; pid: number }[] {
  const py = 'import json,psutil\nprint(json.dumps([u._asdict() for u in psutil.users()]))';
  const out = execFileSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs none /run && cp "$1" /run/utmp && exec "$2" -c "$3"`, 'sh', file, PYTHON, py], { encoding: 'utf8' });
  return JSON.parse(out);
}

describePsutil('users vs psutil.users()', () => {
  const saved = getUtmpPath();
  afterEach(() => setUtmpPath(saved));

  it('on this machine (no utmp here: both empty)', () => {
    setUtmpPath(saved);
    const p = psutil<{ started: number }[]>('psutil.users()');
    const ours = users();
    // psutil 5.9.4 passes tv_sec through a C float: see below.
    expect(ours.map((u) => ({ ...u, started: Math.fround(u.started) }))).toEqual(p);
  });

  const ns = canUnshareRun();
  (ns ? it : it.skip)(`on the fixture utmp, psutil reading it as /run/utmp in a private mount namespace${ns ? '' : ' [SKIPPED: unshare -m + mount not permitted]'}`, () => {
    setUtmpPath(join(FIX, 'utmp'));
    const ours = users();
    const p = psutilUsersOn(join(FIX, 'utmp'));
    expect(p).toHaveLength(4);
    // psutil 5.9.4 builds `started` with Py_BuildValue("f", (float)tv_sec):
    // rounded to single precision (1700000100 → 1700000128, steps of 128 s
    // today). ptools keeps tv_sec exact; the exact relation is fround.
    expect(ours.map((u) => ({ ...u, started: Math.fround(u.started) }))).toEqual(p);
    expect(p[0]!.started).toBe(1700000128);
  });

  (ns ? it : it.skip)('on the edge fixture: equal except where psutil reads past a full-width field', () => {
    setUtmpPath(join(FIX, 'utmp-edge'));
    const ours = users();
    const p = psutilUsersOn(join(FIX, 'utmp-edge'));
    expect(p.map((u) => u.pid)).toEqual(ours.map((u) => u.pid));
    // A 32-byte ut_user has no NUL; psutil's strlen runs on into ut_host.
    // ptools stops at the field end, as who(1) does.
    expect(p[0]!.name).toBe('u'.repeat(32) + 'h'.repeat(256));
    expect(ours[0]!.name).toBe('u'.repeat(32));
    expect(ours[0]!.host).toBe(p[0]!.host);
    expect(ours.slice(1).map((u) => ({ ...u, started: Math.fround(u.started) }))).toEqual(p.slice(1));
  });
});
