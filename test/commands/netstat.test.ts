/**
 * netstat vs net-tools 2.10's /usr/bin/netstat, line by line.
 *
 * 1. Fixture procfs trees (test/fixtures/netstat/{edge,netns,machine}): the
 *    real netstat runs in a private mount namespace with the tree
 *    bind-mounted over /proc; ptools runs in-process with the procfs root set
 *    to the tree. Nothing moves: stdout, stderr and status must be identical.
 * 2. A private network namespace (unshare -mn) with links, routes, a hosts
 *    file and the sockets of open_sockets.py: the real tool and the ptools
 *    launcher (compiled for this test) back to back. Only our processes live
 *    there, so everything must match except values that move between the two
 *    runs: timer countdowns (-o), packet counters (-i, -ie, -s), each
 *    compared within a stated tolerance.
 * 3. This machine's own namespace, ptools in-process between two runs of the
 *    real tool: other processes' sockets come and go, so a line must match
 *    when its socket is in both real runs; the test's own sockets always.
 * Plus --json (parses, documented keys and types, agrees with the text),
 * bad input (net-tools' messages and statuses), -c, -V and -h.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { getProcfsPath, setProcfsPath } from '../../src/core/base/paths.js';
import { encodeSurrogateEscape } from '../../src/core/base/text-bytes.js';
import { bindingPath } from '../../src/native/index.js';
import { startHelper, stopHelper } from '../fixtures/netstat/sockets.js';
import { PYTHON } from '../helpers/oracle.js';

const ROOT = join(__dirname, '..', '..');
const FX = join(ROOT, 'test', 'fixtures', 'netstat');
const NETSTAT = '/usr/bin/netstat';
const haveNetstat = existsSync(NETSTAT);
const isRoot = process.geteuid?.() === 0;
const canUnshare = isRoot && spawnSync('unshare', ['-mn', 'true']).status === 0;

interface Out {
  stdout: string;
  stderr: string;
  status: number | null;
}

async function ptools(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Out> {
  const io = bufferIO({ env });
  const status = await run(['netstat', ...args], io);
  return { stdout: io.stdout(), stderr: io.stderr(), status };
}

function real(args: string[]): Out {
  const r = spawnSync(NETSTAT, args, { argv0: 'netstat', encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 << 20 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function realOnTree(tree: string, args: string[]): Out {
  const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind "$0" /proc && exec /usr/bin/netstat "$@"', tree, ...args], {
    encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const split = (s: string): string[] => s.split(' ').filter((x) => x !== '');

// ------------------------------------------------------------------ 1. fixture trees

const FIXTURE_SETS = [
  '-tan', '-ta', '-tano', '-taeo', '-taW', '-tanW', '-uan', '-uaeo', '-wa', '-wan', '-wae', '-Ua', '-xa', '-xl', '-x', '-a', '-an',
  '-l', '-tap', '-xap', '-r', '-rn', '-re', '-ree', '-reee', '-r6', '-rn6', '-rC', '-r6C', '-rFC', '-g', '-gn', '-s', '-s6', '-st',
  '-su', '-sw', '-s6u', '-s6w', '-A inet6 -a', '-4 -a', '-6 -l', '--numeric-hosts -a', '--numeric-ports -a', '-ae --numeric-users',
  '-S', '-r -4 -6', '-ta -U -w',
];

const fixtureSuite = haveNetstat && canUnshare ? describe : describe.skip;
fixtureSuite(`fixture procfs trees: identical output${haveNetstat && canUnshare ? '' : ' [SKIPPED: needs /usr/bin/netstat and root for unshare -m]'}`, () => {
  const saved = getProcfsPath();
  afterAll(() => setProcfsPath(saved));
  for (const tree of ['edge', 'netns', 'machine']) {
    for (const set of FIXTURE_SETS) {
      it(`${tree}: netstat ${set}`, async () => {
        const dir = join(FX, tree);
        const want = realOnTree(dir, split(set));
        setProcfsPath(dir);
        let got: Out;
        try {
          got = await ptools(split(set));
        } finally {
          setProcfsPath(saved);
        }
        expect(got.stdout).toBe(want.stdout);
        expect(got.stderr).toBe(want.stderr);
        expect(got.status).toBe(want.status);
        expect(want.stdout.length + want.stderr.length).toBeGreaterThan(0);
      });
    }
  }
});

// ------------------------------------------------------------------ 2. private network namespace

interface NsResult {
  args: string[];
  as: string;
  real: Out & { signal: string | null; ms: number };
  ours: Out & { signal: string | null; ms: number };
}

const NOBODY = { uid: 65534, gid: 65534 };
const NS_SETS: Array<{ args: string[]; frames?: number; title?: string; as?: typeof NOBODY }> = [
  ...[
    '-tan', '-ta', '-tap', '-tanp', '-tln', '-tuln -4', '-tln -6', '-uan', '-ua', '-uap', '-xa', '-xap', '-xl', '-x', '-xp', '-a', '-an',
    '-ap', '-ae', '-aep', '-aeW', '-te', '-tanW', '-W -tan', '-tao', '-uao', '-l', '-lp', '-tapn --numeric-users -e', '--numeric-hosts -tap',
    '--numeric-ports -ta', '--numeric-users -tae', '-r', '-rn', '-re', '-ree', '-r6', '-rn6', '-g', '-gn', '-i', '-ia',
  ].map((a) => ({ args: split(a) })),
  { args: ['-tan', '-c'], frames: 2, title: 'Active Internet' },
  { args: ['-i', '-c'], frames: 2, title: 'Iface ' },
  { args: ['-tap'], as: NOBODY },
  { args: ['-xap'], as: NOBODY },
  // Statistics last: by then the namespace's own IPv6/IGMP chatter after link-up has settled.
  ...['-s', '-s6', '-st', '-su'].map((a) => ({ args: split(a) })),
];

/** The launcher, compiled into a temporary directory (the test does not depend on a current dist/). */
function compileLauncher(dir: string): string {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(ROOT, 'tsconfig.json'), '--outDir', join(dir, 'dist')], { stdio: 'ignore', cwd: ROOT });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(ROOT, 'bin', 'ptools'), join(dir, 'bin', 'ptools'));
  // A copy of the addon this test process loaded, readable by nobody too.
  copyFileSync(bindingPath(), join(dir, 'ptools.node'));
  return join(dir, 'bin', 'ptools');
}

function nobodyCanRead(paths: string[]): boolean {
  return paths.every((p) => spawnSync('sh', ['-c', `test -r "${p}"`], { uid: NOBODY.uid, gid: NOBODY.gid }).status === 0);
}

const TIMER = /(off|on\d?|keepalive|timewait|probe|unkn-\d+) \((\d+\.\d\d)\/(\d+)\/(\d+)\)$/;

/** Timers count down between the two runs: same kind and retransmits; expiry within 2 s (any for timers that restart), probes within 1 (a zero-window probe may go out meanwhile). */
function sameTimerLine(a: string, b: string): boolean {
  const ma = TIMER.exec(a);
  const mb = TIMER.exec(b);
  if (!ma || !mb) return a === b;
  if (a.slice(0, ma.index) !== b.slice(0, mb.index)) return false;
  // A zero-window probe or retransmit timer restarts (with a new backoff)
  // each time a probe or segment goes out, so between the two runs its expiry
  // may jump anywhere; the other timers only count down.
  const restarts = ma[1] === 'probe' || /^on\d?$/.test(ma[1]!);
  const expiryOk = restarts || Math.abs(Number(ma[2]) - Number(mb[2])) <= 2;
  return ma[1] === mb[1] && expiryOk && ma[3] === mb[3] && Math.abs(Number(ma[4]) - Number(mb[4])) <= 1;
}

/**
 * Counters move between the runs (the kernel's own IPv6/IGMP traffic, our
 * sockets' ACKs and zero-window probes): the text around the numbers must be
 * identical and every number within [real, real + tol] — 60 packets, or
 * 100000 for byte counters (*Octets); the human size "(1.2 KiB)" may change
 * with it.
 */
function sameCounters(a: string, b: string, tol: number): boolean {
  const norm = (s: string) => s.replace(/\([\d.]+ [KMGT]?i?B\)/g, '(SIZE)');
  const na = norm(a);
  const nb = norm(b);
  const ta = na.split(/(\d+)/);
  const tb = nb.split(/(\d+)/);
  if (ta.length !== tb.length) return false;
  for (let i = 0; i < ta.length; i++) {
    if (i % 2 === 0) {
      if (ta[i] !== tb[i]) return false;
    } else {
      const d = Number(tb[i]) - Number(ta[i]);
      if (d < 0 || d > tol) return false;
    }
  }
  return true;
}

/**
 * Whether netstat's options select a table of counters that move between two
 * runs: statistics (-s, --statistics) or the interface table (-i,
 * --interfaces), in any spelling — '-st', '-su -4', '-ie', '-s -t',
 * '--stat' (getopt_long takes an unambiguous prefix: 'st' and 'int' are the
 * shortest). -A takes an argument, so in '-Ainet' the letters after A are not
 * flags. Everything else (sockets, routes, groups) is compared exactly.
 */
function readsCounters(args: readonly string[]): boolean {
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--') break;
    if (a.startsWith('--')) {
      const name = a.slice(2).split('=')[0]!;
      if ((name.length >= 2 && 'statistics'.startsWith(name)) || (name.length >= 3 && 'interfaces'.startsWith(name))) return true;
      if (name === 'protocol' && !a.includes('=')) k++;
      continue;
    }
    if (!a.startsWith('-') || a === '-') continue;
    for (let i = 1; i < a.length; i++) {
      const c = a[i]!;
      if (c === 's' || c === 'i') return true;
      if (c === 'A') {
        if (i === a.length - 1) k++;
        break;
      }
    }
  }
  return false;
}

describe('readsCounters: which netstat runs show moving counters', () => {
  it('statistics and interface forms, alone or combined, are counters; sockets, routes, groups are not', () => {
    for (const a of ['-s', '-st', '-su', '-sw', '-s6', '-s6u', '-s -t', '-t -s', '-ts', '-i', '-ia', '-ie', '-i -c', '-ic', '--statistics', '--interfaces',
      '--stat -t', '--int', '-n --statistics', '-A inet -s', '-Ainet -i']) expect(readsCounters(split(a)), a).toBe(true);
    for (const a of ['-tan', '-tap', '-xa', '-uaeo', '-r', '-rn', '-g', '-gn', '-a', '-l', '-A inet', '-Ainet -t', '--inet -t', '--inet6', '--tcp', '-W -tan', '--ip -t'])
      expect(readsCounters(split(a)), a).toBe(false);
  });
});

const nsSuite = haveNetstat && canUnshare ? describe : describe.skip;
nsSuite(`private network namespace: real netstat and the ptools launcher back to back${haveNetstat && canUnshare ? '' : ' [SKIPPED: needs /usr/bin/netstat and root for unshare -mn]'}`, () => {
  let tmp = '';
  let data: { setup: Array<{ step: string; ok: boolean; error?: string }>; info: { pid: number; mcast?: string[] }; results: NsResult[]; error?: string };
  let nobodyOk = false;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ptools-netstat-ns-'));
    chmodSync(tmp, 0o755);
    const launcher = compileLauncher(tmp);
    nobodyOk = nobodyCanRead([launcher, join(tmp, 'ptools.node'), join(ROOT, 'node_modules', 'chalk', 'package.json'), join(FX, 'open_sockets.py')]);
    const hosts = join(tmp, 'hosts');
    writeFileSync(hosts, '127.0.0.1 localhost\n127.0.0.2 a-really-long-host-name-for-truncation.example.org\n::1 ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\n10.9.8.7 vethhost\n');
    const sets = NS_SETS.filter((s) => !s.as || nobodyOk);
    const cfg = { launcher, native: join(tmp, 'ptools.node'), out: join(tmp, 'out.json'), hosts, helper: join(FX, 'open_sockets.py'), sets };
    writeFileSync(join(tmp, 'cfg.json'), JSON.stringify(cfg));
    // Quiet the namespace's IPv6 link-up chatter so counters hold still: no router solicitations, no DAD.
    const script = 'sysctl -qw net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.accept_dad=0 >/dev/null 2>&1; exec "$0" "$@"';
    execFileSync('unshare', ['-mn', 'sh', '-c', script, process.execPath, join(FX, 'ns-driver.cjs'), join(tmp, 'cfg.json')], { stdio: 'inherit', timeout: 240_000 });
    data = JSON.parse(readFileSync(cfg.out, 'utf8'));
  }, 300_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('built the namespace and the helper\'s sockets', () => {
    expect(data.error).toBeUndefined();
    expect(data.setup.filter((s) => !s.ok)).toEqual([]);
    expect(data.info.mcast).toEqual(['239.1.2.3', 'ff05::1:3']);
  });

  for (const set of NS_SETS) {
    const label = `netstat ${set.args.join(' ')}${set.as ? ' (as nobody)' : ''}${set.frames ? ` (stopped after ${set.frames} frames)` : ''}`;
    it(label, (ctx) => {
      const r = data.results.find((x) => x.args.join(' ') === set.args.join(' ') && x.as === (set.as ? 'nobody' : 'root'));
      if (!r) {
        expect(set.as && !nobodyOk, 'only the nobody runs may be missing (the checkout is not readable by nobody)').toBe(true);
        ctx.skip();
        return;
      }
      const a = r.real.stdout.split('\n');
      const b = r.ours.stdout.split('\n');
      const counters = readsCounters(set.args);
      if (set.frames) {
        // -c: both print a frame a second until stopped (after two whole frames); the two are compared.
        expect(r.real.signal).toBe('SIGTERM');
        expect(r.ours.signal).toBe('SIGTERM');
        const frames = (s: string) => s.split('\n').filter((l) => l.startsWith(set.title!)).length;
        expect(frames(r.real.stdout)).toBe(set.frames);
        expect(frames(r.ours.stdout)).toBe(set.frames);
      }
      if (counters) {
        // A counter that was 0 at the first run can be 1 or 2 at the second: net-tools
        // prints some counters only when non-zero, so such a line may appear in ours only.
        let j = 0;
        for (let i = 0; i < a.length; i++, j++) {
          const tol = /Octets/.test(a[i]!) ? 100_000 : 60;
          while (j < b.length && a[i] !== b[j] && !sameCounters(a[i]!, b[j]!, tol) && /^ +(\S+: )?[1-9]\d? [^\n]*$|^ +\S+: [1-9]\d?$/.test(b[j]!) && /\b[12]\b/.test(b[j]!)) j++;
          expect(a[i] === b[j] || sameCounters(a[i]!, b[j] ?? '', tol), `line ${i}:\nnetstat: ${JSON.stringify(a[i])}\nptools:  ${JSON.stringify(b[j])}`).toBe(true);
        }
        expect(j, 'ptools printed lines beyond the counters that started counting').toBe(b.length);
      } else {
        expect(b.length, `${r.ours.stdout}\n---\n${r.real.stdout}`).toBe(a.length);
        a.forEach((line, i) => {
          const ok = line === b[i] || sameTimerLine(line, b[i]!);
          expect(ok, `line ${i}:\nnetstat: ${JSON.stringify(line)}\nptools:  ${JSON.stringify(b[i])}`).toBe(true);
        });
      }
      expect(r.ours.stderr).toBe(r.real.stderr);
      if (!set.frames) expect(r.ours.status).toBe(r.real.status);
      expect(r.real.stdout.length).toBeGreaterThan(0);
    });
  }

  it('the namespace runs cover what the issue asks: IPv6, unix stream/dgram, -p owners, truncated names, multicast', () => {
    const out = (args: string) => data.results.find((x) => x.args.join(' ') === args && x.as === 'root')!.ours.stdout;
    expect(out('-tap')).toMatch(/tcp6 .* ip6-localhost:\d+ .* LISTEN +\d+\/python3/);
    expect(out('-tap')).toMatch(/a-really-long-hos:\d+ +0\.0\.0\.0:\*/);
    expect(out('-tap')).toMatch(/localhost:http-alt/);
    expect(out('-xa')).toMatch(/DGRAM +CONNECTED/);
    expect(out('-xa')).toMatch(/SEQPACKET +LISTENING/);
    expect(out('-xa')).toMatch(/\[ ACC \] +STREAM +LISTENING +\d+ +@ptools-netstat-/);
    expect(out('-g')).toMatch(/veth0 +1 +239\.1\.2\.3/);
    expect(out('-r')).toMatch(/^10\.1\.0\.0 +- +255\.255\.0\.0 +! /m);
    expect(out('-ia')).toMatch(/veth0:1 .*no statistics available/);
  });
});

// ------------------------------------------------------------------ 3. this machine's namespace

/** A line's identity: the socket it shows (inode for unix, proto + addresses for inet). */
function lineKey(line: string): string | null {
  const t = line.trim().split(/\s+/);
  if (t[0] === 'unix') {
    const inode = t.find((x, i) => i > 3 && /^\d+$/.test(x) && x.length > 2);
    return inode ? `unix ${inode}` : null;
  }
  if (/^(tcp|udp|raw|udpl)6?$/.test(t[0] ?? '')) return `${t[0]} ${t[3]} ${t[4]}`;
  return null;
}

/**
 * real1 → ours → real2: headers identical; a socket present (with the same
 * line) in both real runs shows that line in ours; a line in ours for a
 * socket that both real runs show identically is that line; the helper's
 * sockets (`mine`) are always in all three, identically.
 */
function bracketCompare(r1: string, ours: string, r2: string, mine: (line: string) => boolean): void {
  const L1 = r1.split('\n');
  const L2 = new Set(r2.split('\n'));
  const O = ours.split('\n');
  const heads = (ls: string[]) => ls.filter((l) => /^(Active|Proto)/.test(l));
  expect(heads(O)).toEqual(heads(L1));
  const stable = L1.filter((l) => L2.has(l) && lineKey(l) !== null);
  const oursSet = new Set(O);
  for (const l of stable) expect(oursSet.has(l), `stable line missing from ptools: ${l}`).toBe(true);
  const stableByKey = new Map(stable.map((l) => [lineKey(l)!, l]));
  for (const l of O) {
    const k = lineKey(l);
    if (k && stableByKey.has(k)) expect(l).toBe(stableByKey.get(k));
  }
  const minesReal = L1.filter(mine);
  expect(minesReal.length).toBeGreaterThan(0);
  expect(O.filter(mine).sort()).toEqual(minesReal.sort());
}

const liveSuite = haveNetstat ? describe : describe.skip;
liveSuite(`this machine: real netstat, ptools in-process, real netstat again${haveNetstat ? '' : ' [SKIPPED: /usr/bin/netstat missing]'}`, () => {
  let helper: Awaited<ReturnType<typeof startHelper>> | undefined;
  beforeAll(async () => {
    helper = await startHelper({ NAMED_PORTS: '8080' });
  });
  afterAll(() => stopHelper(helper?.child));

  const mineOf = (args: string[]) => (line: string): boolean => {
    const i = helper!.info;
    const ports = [i.tcp.listen4, i.tcp.listen6, i.tcp.dual, i.tcp.backlog, i.tcp.full, ...i.tcp.clients, i.udp.v4, i.udp.v6, i.udp.connected];
    if (args.some((a) => a.includes('p'))) return line.includes(`${i.pid}/python3`);
    if (line.includes(i.dir) || line.includes(i.unix.abstract)) return true;
    return ports.some((p) => new RegExp(`:${p}\\s`).test(`${line} `)) && !/TIME_WAIT/.test(line);
  };

  for (const set of ['-tan', '-tanp', '-uan', '-tlnp', '-tuln -4', '-tln -6', '-an', '-xap', '-tanW', '-tnae']) {
    it(`netstat ${set}`, async () => {
      const args = split(set);
      const r1 = real(args);
      const ours = await ptools(args);
      const r2 = real(args);
      expect(ours.status).toBe(r1.status);
      bracketCompare(r1.stdout, ours.stdout, r2.stdout, mineOf(args));
    });
  }

  it('-p as root: every line of the helper names it, the addon walk and netstat\'s agree', async () => {
    const ours = await ptools(['-tanp']);
    const lines = ours.stdout.split('\n').filter((l) => l.includes(`${helper!.info.pid}/python3`));
    // Listeners (6 incl. 8080) + accepted and client ends; un-accepted connections have no owner ("-").
    expect(lines.length).toBeGreaterThanOrEqual(12);
  });
});

// ------------------------------------------------------------------ --json

const INET_KEYS = ['kind', 'proto', 'protocol', 'family', 'recvQ', 'sendQ', 'localAddress', 'localPort', 'foreignAddress', 'foreignPort', 'state', 'stateCode', 'uid', 'inode', 'pid', 'program', 'timer'].sort();
const UNIX_KEYS = ['kind', 'proto', 'refCnt', 'flags', 'type', 'typeCode', 'state', 'stateCode', 'inode', 'pid', 'program', 'path'].sort();

describe('--json', () => {
  let helper: Awaited<ReturnType<typeof startHelper>> | undefined;
  beforeAll(async () => {
    helper = await startHelper();
  });
  afterAll(() => stopHelper(helper?.child));

  it('sockets: documented keys and types, the owning pid, agreeing with the text form', async () => {
    const j = await ptools(['-tuanp', '--json']);
    expect(j.status).toBe(0);
    const rows = JSON.parse(j.stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(INET_KEYS);
      expect(r.kind).toBe('inet');
      for (const k of ['recvQ', 'sendQ', 'localPort', 'foreignPort', 'stateCode', 'uid', 'inode']) expect(typeof r[k]).toBe('number');
      expect(r.pid === null || typeof r.pid === 'number').toBe(true);
      expect(Object.keys(r.timer as object).sort()).toEqual(['expires', 'name', 'probes', 'retransmits']);
    }
    const text = (await ptools(['-tuanp'])).stdout.split('\n');
    const pid = helper!.info.pid;
    const mine = rows.filter((r) => r.pid === pid);
    expect(mine.length).toBeGreaterThanOrEqual(12);
    for (const r of mine) {
      const local = r.family === 'inet6' && !(r.localAddress as string).startsWith('::ffff:') ? `${r.localAddress}:${r.localPort}` : `${(r.localAddress as string).replace(/^::ffff:/, '')}:${r.localPort}`;
      const line = text.find((l) => l.split(/\s+/)[3] === local.replace(/:0$/, ':*') && l.split(/\s+/)[0] === r.proto && l.includes(`${pid}/python3`) && l.split(/\s+/)[4]!.endsWith(`:${r.foreignPort === 0 ? '*' : r.foreignPort}`));
      expect(line, JSON.stringify(r)).toBeDefined();
      const t = line!.trim().split(/\s+/);
      expect(Number(t[1])).toBe(r.recvQ);
      expect(Number(t[2])).toBe(r.sendQ);
      if (r.state !== '') expect(t[5]).toBe(r.state);
      expect(line).toContain(`${r.pid}/${r.program}`);
    }
    // The helper's listener with two queued connections, the unread data.
    expect(mine.find((r) => r.localPort === helper!.info.tcp.backlog && r.state === 'LISTEN')!.recvQ).toBe(2);
    expect(mine.find((r) => r.localPort === helper!.info.tcp.listen4 && r.state === 'ESTABLISHED')!.recvQ).toBe(1234);
  });

  it('unix sockets: keys, flags as names, the path whole', async () => {
    const rows = JSON.parse((await ptools(['-xa', '--json'])).stdout) as Array<Record<string, unknown>>;
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(UNIX_KEYS);
    const info = helper!.info;
    const listener = rows.find((r) => r.path === info.unix.stream && r.state === 'LISTENING')!;
    expect(listener).toMatchObject({ kind: 'unix', proto: 'unix', flags: ['ACC'], type: 'STREAM', typeCode: 1, pid: info.pid, program: 'python3' });
    expect(rows.find((r) => r.path === info.unix.seqpacket)!.type).toBe('SEQPACKET');
    expect(rows.some((r) => r.path === info.unix.dgram && r.type === 'DGRAM')).toBe(true);
  });

  it('routes, interfaces, groups, statistics agree with their text forms', async () => {
    const routes = JSON.parse((await ptools(['-rn', '--json'])).stdout) as Array<Record<string, unknown>>;
    const rtext = (await ptools(['-rn'])).stdout.trim().split('\n').slice(2);
    expect(routes.length).toBe(rtext.length);
    routes.forEach((r, i) => {
      const t = rtext[i]!.split(/\s+/);
      expect([r.kind, r.destination, r.gateway, r.genmask, r.flags, r.iface]).toEqual(['route', t[0], t[1], t[2], t[3], t[7]]);
      expect(typeof r.prefixLength).toBe('number');
    });
    // Packets keep arriving (any traffic on this machine): the text's count lies between two JSON samples.
    const ifs = JSON.parse((await ptools(['-i', '--json'])).stdout) as Array<Record<string, unknown>>;
    const itext = (await ptools(['-i'])).stdout.trim().split('\n').slice(2);
    const ifs2 = JSON.parse((await ptools(['-i', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(ifs.map((r) => r.iface)).toEqual(itext.map((l) => l.split(/\s+/)[0]));
    expect(ifs2.map((r) => r.iface)).toEqual(ifs.map((r) => r.iface));
    ifs.forEach((r, i) => {
      const t = itext[i]!.split(/\s+/);
      expect(r.mtu).toBe(Number(t[1]));
      expect(Number(t[2]), `${r.iface} RX-OK`).toBeGreaterThanOrEqual(r.rxOk as number);
      expect(Number(t[2]), `${r.iface} RX-OK`).toBeLessThanOrEqual(ifs2[i]!.rxOk as number);
      expect(r.flags).toBe(t[10]);
    });
    const groups = JSON.parse((await ptools(['-gn', '--json'])).stdout) as Array<Record<string, unknown>>;
    const gtext = (await ptools(['-gn'])).stdout.trim().split('\n').slice(3);
    expect(groups.map((g) => `${g.iface} ${g.refCnt} ${g.group}`)).toEqual(gtext.map((l) => l.split(/\s+/).join(' ')));
    // Connections keep opening on this machine: the text's count lies between two JSON samples.
    const activeOpens = async (): Promise<number> => {
      const stats = JSON.parse((await ptools(['-s', '--json'])).stdout) as Array<Record<string, unknown>>;
      expect(Object.keys(stats[0]!).sort()).toEqual(['file', 'kind', 'name', 'table', 'value']);
      return stats.find((s) => s.table === 'Tcp' && s.name === 'ActiveOpens')!.value as number;
    };
    const before = await activeOpens();
    const shown = Number(/(\d+) active connection openings/.exec((await ptools(['-st'])).stdout)![1]);
    const after = await activeOpens();
    expect(shown).toBeGreaterThanOrEqual(before);
    expect(shown).toBeLessThanOrEqual(after);
  });

  it('hostile program names and unix paths: --json gives back the exact bytes, never cut; the text is net-tools\' bytes', async (ctx) => {
    if (!existsSync(PYTHON)) return ctx.skip(`${PYTHON} is missing`);
    const dir = mkdtempSync(join(tmpdir(), 'pt-ns-'));
    const kids: ChildProcess[] = [];
    try {
      // Python exec'd with a byte argv (one hex argument per stdin line, the executable first, a blank line last); it binds
      // unix sockets at hostile byte paths (filesystem and abstract) and a TCP listener, prints the TCP port.
      const launch = 'import os, sys\na = []\nfor l in sys.stdin:\n    if not l.strip(): break\n    a.append(bytes.fromhex(l.strip()))\nos.execv(a[0], a[1:])\n';
      const code = [
        'import os, socket, sys',
        'd = sys.argv[1].encode()',
        'keep = []',
        'for name in (b"so\\xff\\xfe\\x1b[2J\\xc3(\\xe2\\x82 k", b"\\xe2\\x82\\xac\\xc3\\xa9"):',
        '    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(os.path.join(d, name + sys.argv[2].encode())); s.listen(1); keep.append(s)',
        's = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(b"\\0pt-hostile-\\xff\\x01\\x00x" + sys.argv[2].encode()); s.listen(1); keep.append(s)',
        't = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(1); keep.append(t)',
        'print(t.getsockname()[1], flush=True)',
        'sys.stdin.read()',
      ].join('\n');
      const start = async (argv0: Buffer): Promise<{ pid: number; port: number }> => {
        const child = spawn(PYTHON, ['-c', launch], { stdio: ['pipe', 'pipe', 'ignore'] });
        kids.push(child);
        child.stdin!.write([Buffer.from(PYTHON), argv0, Buffer.from('-c'), Buffer.from(code), Buffer.from(dir), Buffer.from(String(kids.length))].map((a) => `${a.toString('hex')}\n`).join('') + '\n');
        // stdin stays open: the exec'd Python waits on it until the test ends.
        const line = await new Promise<string | null>((resolve) => {
          createInterface({ input: child.stdout! }).once('line', resolve);
          child.once('exit', () => resolve(null));
          setTimeout(() => resolve(null), 20_000);
        });
        expect(line).not.toBeNull();
        return { pid: child.pid!, port: Number(line) };
      };
      // Short and hostile; and over 600 bytes with its last '/' past netstat's 511 (-p shows the name from
      // the first 511 bytes; components of 200 bytes, as Python wants to resolve its own path).
      const a = await start(Buffer.from('/usr/bin/pr\xffog\x1b[2J\xc3(\xe2\x82', 'latin1'));
      const b = await start(Buffer.from(`/${'p'.repeat(200)}/${'q'.repeat(200)}/${'r'.repeat(200)}/long\xfe\u00e9`, 'latin1'));
      const enc = encodeSurrogateEscape;
      const base = (pid: number): Buffer => {
        const raw = readFileSync(`/proc/${pid}/cmdline`);
        const first = raw.subarray(0, raw.indexOf(0));
        return first.subarray(first.lastIndexOf(0x2f) + 1);
      };
      const unix = JSON.parse((await ptools(['-xap', '--json'])).stdout) as Array<Record<string, unknown>>;
      for (const k of [a, b]) {
        // (Its stdin and stdout are unix socketpairs too, unbound: libuv's pipes.)
        const mine = unix.filter((r) => r.pid === k.pid && r.path !== null);
        expect(mine.length).toBe(3);
        for (const r of mine) expect(enc(r.program as string).equals(base(k.pid))).toBe(true);
      }
      const paths = unix.filter((r) => r.pid === a.pid && r.path !== null).map((r) => enc(r.path as string).toString('hex')).sort();
      expect(paths).toEqual([
        Buffer.concat([Buffer.from(`${dir}/`), Buffer.from('so\xff\xfe\x1b[2J\xc3(\xe2\x82 k1', 'latin1')]),
        Buffer.concat([Buffer.from(`${dir}/`), Buffer.from('\u20ac\u00e91', 'utf8')]),
        Buffer.from('@pt-hostile-\xff\x01@x1', 'latin1'),
      ].map((x) => x.toString('hex')).sort());
      const tcp = JSON.parse((await ptools(['-tlnp', '--json'])).stdout) as Array<Record<string, unknown>>;
      const row = tcp.find((r) => r.localPort === b.port)!;
      expect(row.pid).toBe(b.pid);
      expect(enc(row.program as string).equals(base(b.pid))).toBe(true);
      expect((row.program as string).length).toBeLessThan(10);
      // The text: net-tools' bytes for our lines (program names and paths printed as they are).
      if (!haveNetstat) return;
      for (const args of [['-xap'], ['-xlp'], ['-tlnp'], ['-tlnpW']]) {
        const want = spawnSync(NETSTAT, args, { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 << 20 }).stdout;
        const io = bufferIO({ env: {} });
        await run(['netstat', ...args], io);
        const lines = (buf: Buffer): string[] => buf.toString('latin1').split('\n').filter((l) => kids.some((c) => l.includes(` ${c.pid}/`)));
        const got = lines(io.stdoutBytes());
        expect(got.length, `netstat ${args.join(' ')}`).toBeGreaterThanOrEqual(args[0]!.includes('x') ? 6 : 2);
        expect(got.map((l) => Buffer.from(l, 'latin1').toString('hex')).sort(), `netstat ${args.join(' ')}`).toEqual(lines(want).map((l) => Buffer.from(l, 'latin1').toString('hex')).sort());
      }
    } finally {
      for (const c of kids) if (c.exitCode === null) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-c --json prints one JSON document per frame', async () => {
    const t = Date.now();
    const r = await ptools(['-tln', '-c', '--json'], { PTOOLS_NETSTAT_ITERATIONS: '2' });
    expect(Date.now() - t).toBeGreaterThanOrEqual(900);
    const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown[]);
    expect(docs).toHaveLength(2);
    for (const d of docs) expect(d.some((x) => (x as { localPort: number }).localPort === helper!.info.tcp.listen4)).toBe(true);
  });
});

// ------------------------------------------------------------------ options, errors, -c

const errorSuite = haveNetstat ? describe : describe.skip;
errorSuite('bad input: net-tools\' messages and statuses', () => {
  // ptools' usage text has one line more than net-tools': its --json option.
  const withoutJsonLine = (s: string) => s.replace('        --json                   print the data as JSON (ptools)\n', '');
  for (const set of ['--foo', '-I=lo', '-A foo', '-A', '--num', '--tcp=5', '-ri', '-is', '-s -x', '-s -4 -6', '-Z', '-M', '-S', '--ipx',
    '--ax25', '--bluetooth', '-?', '-t --foo', '-A inet,bogus -t', '-r --unix', '--x25', '--rose']) {
    it(`netstat ${set}`, async () => {
      const args = split(set);
      const want = real(args);
      const got = await ptools(args);
      expect(got.status).toBe(want.status);
      expect(got.stdout).toBe(want.stdout);
      expect(withoutJsonLine(got.stderr)).toBe(want.stderr);
      expect(want.status).not.toBe(0);
    });
  }

  it('-h prints the usage on stdout (the family list on stderr) and exits 0, as net-tools', async () => {
    const want = real(['-h']);
    const got = await ptools(['-h']);
    expect(got.status).toBe(0);
    expect(withoutJsonLine(got.stdout)).toBe(want.stdout);
    expect(got.stdout).toContain('--json');
    expect(got.stderr).toBe(want.stderr);
  });

  it('-V names ptools and the net-tools version it follows; a later bad option is not seen', async () => {
    const got = await ptools(['-V', '--foo']);
    expect(got).toEqual({ stdout: expect.stringMatching(/^netstat from ptools \d+\.\d+\.\d+ \(net-tools 2\.10 compatible\)\n$/), stderr: '', status: 0 });
    expect(real(['-V', '--foo']).status).toBe(0);
  });

  it('-c repeats every second (bounded here by PTOOLS_NETSTAT_ITERATIONS)', async () => {
    const t = Date.now();
    const got = await ptools(['-tn', '-c'], { PTOOLS_NETSTAT_ITERATIONS: '3' });
    expect(Date.now() - t).toBeGreaterThanOrEqual(1900);
    expect(got.stdout.split('\n').filter((l) => l.startsWith('Active Internet connections (w/o servers)'))).toHaveLength(3);
    const r = await ptools(['-rn', '-c'], { PTOOLS_NETSTAT_ITERATIONS: '2' });
    expect(r.stdout.split('\n').filter((l) => l === 'Kernel IP routing table')).toHaveLength(2);
    const i = await ptools(['-i', '-c'], { PTOOLS_NETSTAT_ITERATIONS: '2' });
    // net-tools prints the "Kernel Interface table" title once, the column header every time.
    expect(i.stdout.split('\n').filter((l) => l === 'Kernel Interface table')).toHaveLength(1);
    expect(i.stdout.split('\n').filter((l) => l.startsWith('Iface '))).toHaveLength(2);
  });
});

describe('the launcher', () => {
  it('bin/ptools netstat and a netstat symlink run the command (compiled dist/)', (ctx) => {
    const launcher = join(ROOT, 'bin', 'ptools');
    if (!existsSync(join(ROOT, 'dist', 'commands', 'netstat', 'index.js'))) {
      ctx.skip();
      return;
    }
    try {
      accessSync(launcher, constants.X_OK);
    } catch {
      ctx.skip();
      return;
    }
    const r = spawnSync(process.execPath, [launcher, 'netstat', '-rn'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', PTOOLS_NATIVE: bindingPath() } });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Kernel IP routing table');
    const bad = spawnSync(process.execPath, [launcher, 'netstat', '--foo'], { encoding: 'utf8' });
    expect(bad.status).toBe(3);
    expect(bad.stderr.split('\n')[0]).toBe("netstat: unrecognized option '--foo'");
  });
});
