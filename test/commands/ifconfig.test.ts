/**
 * ifconfig vs net-tools' ifconfig 2.10, back to back, line by line; on this
 * machine's interfaces and on interfaces the test makes in a network
 * namespace of its own (veth pair, tun, an alias, IPv6 addresses).
 */
import { distFresh } from '../helpers/dist.js';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { deviceLine, humanBytes, flagsText, renderLong, scopeNames, type IfconfigRow } from '../../src/text/net-tools-interface.js';
import { netIfDetails } from '../../src/core/net/netif.js';
import { describeCommand } from '../helpers/oracle.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const IFCONFIG = existsSync('/usr/sbin/ifconfig') ? '/usr/sbin/ifconfig' : '/sbin/ifconfig';

interface Out {
  out: string;
  err: string;
  code: number;
}

async function ptools(args: string[]): Promise<Out> {
  const io = bufferIO({ env: { LC_ALL: 'C' } });
  const code = await run(['ifconfig', ...args], io);
  return { out: io.stdout(), err: io.stderr(), code };
}

function spawn(cmd: string, args: string[]): Out {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  return { out: r.stdout, err: r.stderr, code: r.status ?? -1 };
}

/**
 * Lines with counters that move between the two runs (RX/TX lines, the -s
 * rows): same text once numbers are taken out, numbers bracketed. Every other
 * line must be identical.
 */
const NUM = / *\d+(?:\.\d+)?/g;
function isCounterLine(line: string): boolean {
  return /^ {8}[RT]X /.test(line) || /^\S+ +\d+ +(\d+|- no statistics)/.test(line);
}
/**
 * Counters only grow, and traffic on this machine (other work's downloads, this
 * run's loopback) moves them between two runs by any amount: so the oracle
 * runs twice, before and after ptools, and each of ptools' counters must lie
 * between its two readings. A human figure ("(269.0 MiB)") lies between them
 * too, unless its unit changed in between.
 */
function between(before: string, x: string, after: string): boolean {
  const shape = (s: string): string => s.replace(NUM, '#');
  if (shape(x) !== shape(before) && shape(x) !== shape(after)) return false;
  const [nb, nx, na] = [before, x, after].map((s) => (s.match(NUM) ?? []).map((t) => t.trim()));
  if (nx!.length !== nb!.length || nx!.length !== na!.length) return false;
  return nx!.every((t, k) => {
    const [b, v, a] = [Number(nb![k]), Number(t), Number(na![k])];
    if (t.includes('.') && shape(before) !== shape(after)) return true;
    return v >= Math.min(b, a) && v <= Math.max(b, a);
  });
}

/** Line by line: identical, except counter lines, which lie between the oracle's two runs (`after` is its second). */
function diffLines(want: string, got: string, after: string): string[] {
  const a = want.split('\n');
  const b = got.split('\n');
  const c = after.split('\n');
  const out: string[] = [];
  if (a.length !== b.length) out.push(`line count ${a.length} (net-tools) vs ${b.length} (ptools)`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (isCounterLine(x) && isCounterLine(y) && c[i] !== undefined && between(x, y, c[i]!)) continue;
    out.push(`line ${i + 1}:\n  net-tools: ${JSON.stringify(x)}\n  ptools:    ${JSON.stringify(y)}\n  (again):   ${JSON.stringify(c[i])}`);
  }
  return out;
}

// ------------------------------------------------------------------ pure parts

describe('ifconfig text pieces', () => {
  it("human figures follow net-tools' thresholds (strictly above the unit, one truncated decimal)", () => {
    expect(humanBytes(0)).toBe('0.0 B');
    expect(humanBytes(1024)).toBe('1024.0 B');
    expect(humanBytes(1025)).toBe('1.0 KiB');
    expect(humanBytes(282152325)).toBe('269.0 MiB');
    expect(humanBytes(739693)).toBe('722.3 KiB');
    expect(humanBytes(1048576)).toBe('1024.0 KiB');
    expect(humanBytes(1073741825)).toBe('1.0 GiB');
    expect(humanBytes(5 * 2 ** 40 + 1)).toBe('5.0 TiB');
    expect(humanBytes(2 ** 50 * 3)).toBe('3.0 PiB');
    expect(humanBytes(2 ** 61)).toBe('2.0 EiB');
  });
  it('flags: the value as a C short, names in net-tools order, its edge cases', () => {
    expect(flagsText(4163)).toBe('flags=4163<UP,BROADCAST,RUNNING,MULTICAST>');
    expect(flagsText(73)).toBe('flags=73<UP,LOOPBACK,RUNNING>');
    expect(flagsText(0)).toBe('flags=0<');
    expect(flagsText(0x2000)).toBe('flags=8192');
    expect(flagsText(0x8001)).toBe('flags=-32767<UP,DYNAMIC>');
    expect(flagsText(0xc00)).toBe('flags=3072<SLAVE,MASTER>');
  });
  it('IPv6 scope names', () => {
    expect(scopeNames(0)).toEqual(['global']);
    expect(scopeNames(0x10)).toEqual(['host']);
    expect(scopeNames(0x20)).toEqual(['link']);
    expect(scopeNames(0x40)).toEqual(['site']);
    expect(scopeNames(0x80)).toEqual(['compat', 'global']);
    expect(scopeNames(0x90)).toEqual(['compat', 'host']);
  });
  it("the device line (SIOCGIFMAP) in net-tools 2.10's format: printed only for an IRQ, memory, DMA or an I/O base >= 0x100", () => {
    const map = (m: Partial<NonNullable<IfconfigRow['device']>>): IfconfigRow['device'] => ({ irq: 0, baseAddr: 0, memStart: 0, memEnd: 0, dma: 0, port: 0, ...m });
    expect(deviceLine(null)).toBe('');
    expect(deviceLine(map({}))).toBe('');
    expect(deviceLine(map({ baseAddr: 0xff, port: 3 }))).toBe('');
    expect(deviceLine(map({ irq: 19 }))).toBe('        device interrupt 19  \n');
    expect(deviceLine(map({ irq: 11, baseAddr: 0xc000 }))).toBe('        device interrupt 11  base 0xc000  \n');
    expect(deviceLine(map({ irq: 16, memStart: 0xfe9e0000, memEnd: 0xfea00000 }))).toBe('        device interrupt 16  memory 0xfe9e0000-fea00000  \n');
    expect(deviceLine(map({ baseAddr: 0x300, dma: 5 }))).toBe('        device base 0x300    dma 0x5\n');
    expect(deviceLine(map({ baseAddr: 0x10, dma: 1 }))).toBe('        device   dma 0x1\n');
  });
  it('the media line (IFF_PORTSEL) names the SIOCGIFMAP port; the device line follows the counters', () => {
    const row: IfconfigRow = {
      name: 'eth9', flags: 0x2000 | 0x4000 | 0x1043, flagNames: [], mtu: 1500, inet: null, inet6: [], type: 1, hwType: 'ether', hwTitle: 'Ethernet',
      hwaddr: '00:11:22:33:44:55', txqueuelen: 1000, device: { irq: 10, baseAddr: 0x300, memStart: 0, memEnd: 0, dma: 0, port: 2 },
      rx: { packets: 1, bytes: 2, errors: 0, dropped: 0, overruns: 0, frame: 0, compressed: 0, multicast: 0 },
      tx: { packets: 3, bytes: 4, errors: 0, dropped: 0, overruns: 0, carrier: 0, collisions: 0, compressed: 0 },
    };
    const text = renderLong([row]);
    expect(text).toContain('        ether 00:11:22:33:44:55  txqueuelen 1000  (Ethernet)\n        media 10baseTautoselect\n        RX packets 1');
    expect(text.endsWith('collisions 0\n        device interrupt 10  base 0x300  \n\n')).toBe(true);
    expect(renderLong([{ ...row, flags: 0x2000 | 0x1043, device: null }])).toContain('        media unknown\n');
    expect(renderLong([{ ...row, flags: 0x2000 | 0x1043, device: { ...row.device!, port: 7 } }])).toContain('        media (null)\n');
  });
});

// ------------------------------------------------------------------ this machine

describeCommand(IFCONFIG, 'ifconfig vs net-tools ifconfig on this machine', () => {
  const argSets: string[][] = [
    [], ['-a'], ['-s'], ['-s', '-a'], ['-a', '-s'], ['-v'], ['-a', '-v'], ['lo'], ['eth0'], ['-s', 'lo'],
    ['-a', 'lo'], ['lo:9'], ['eth0:1'], ['-s', 'eth0:3'],
  ];
  it.each(argSets.map((a) => [a.join(' ') || '(none)', a] as const))('ifconfig %s: identical but for moving counters', async (_n, args) => {
    if (args.some((a) => a.startsWith('eth0')) && !existsSync('/sys/class/net/eth0')) return;
    const want = spawn(IFCONFIG, args);
    const got = await ptools(args);
    const again = spawn(IFCONFIG, args);
    expect(diffLines(want.out, got.out, again.out)).toEqual([]);
    expect(got.err).toBe(want.err);
    expect(got.code).toBe(want.code);
  });

  it('an unknown interface: net-tools\' message and status 1, nothing on stdout', async () => {
    for (const args of [['nosuch0'], ['averyveryverylongname'], ['-a', 'nosuch0']]) {
      const want = spawn(IFCONFIG, args);
      const got = await ptools(args);
      expect(got.err).toBe(want.err);
      expect(got.err).toMatch(/: error fetching interface information: Device not found\n$/);
      expect(got.out).toBe('');
      expect(got.code).toBe(1);
      expect(want.code).toBe(1);
    }
    // -s prints its header first, as net-tools does.
    const want = spawn(IFCONFIG, ['-s', 'nosuch0']);
    const got = await ptools(['-s', 'nosuch0']);
    expect([got.out, got.err, got.code]).toEqual([want.out, want.err, want.code]);
  });

  it('an unknown option: net-tools\' two lines and status 1', async () => {
    for (const args of [['-z'], ['-as'], ['-'], ['-a', '--bogus', 'lo']]) {
      const want = spawn(IFCONFIG, args);
      const got = await ptools(args);
      expect(got.err).toBe(want.err);
      expect(got.out).toBe('');
      expect(got.code).toBe(want.code);
    }
  });

  it('refuses to change an interface: one line, status 1, nothing changed', async () => {
    const before = netIfDetails('lo')!;
    for (const args of [['lo', 'mtu', '1400'], ['lo', 'down'], ['lo', 'up'], ['lo', '127.0.0.2'], ['lo', 'inet', 'add', '10.0.0.1']]) {
      const got = await ptools(args);
      expect(got.code).toBe(1);
      expect(got.out).toBe('');
      expect(got.err.trimEnd().split('\n')).toHaveLength(1);
      expect(got.err).toMatch(/^ifconfig: cannot change lo .*nothing was changed/);
    }
    const after = netIfDetails('lo')!;
    expect(after.mtu).toBe(before.mtu);
    expect(after.flags).toBe(before.flags);
    expect(after.inet).toEqual(before.inet);
  });

  it('--help and --version', async () => {
    const h = await ptools(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^Usage:\n {2}ifconfig \[-a\] \[-v\] \[-s\] \[--json\] <interface>/);
    const v = await ptools(['-V']);
    expect(v.out).toMatch(/^ifconfig from ptools \d+\.\d+\.\d+/);
    expect(v.code).toBe(0);
  });

  it('--json: one object per interface, the same interfaces and values as the text form', async () => {
    for (const args of [[], ['-a'], ['lo']]) {
      // The counters move: the JSON's lie between the text's before and after it.
      const text = (await ptools(args)).out;
      const j = await ptools(['--json', ...args]);
      const text2 = (await ptools(args)).out;
      const blocks2 = text2.split('\n\n').filter((b) => b.trim() !== '');
      expect(j.code).toBe(0);
      const rows = JSON.parse(j.out) as IfconfigRow[];
      expect(Array.isArray(rows)).toBe(true);
      const blocks = text.split('\n\n').filter((b) => b.trim() !== '');
      expect(rows.map((r) => r.name)).toEqual(blocks.map((b) => b.slice(0, b.indexOf(': '))));
      for (const r of rows) {
        expect(Object.keys(r).sort()).toEqual(
          ['device', 'flagNames', 'flags', 'hwTitle', 'hwType', 'hwaddr', 'inet', 'inet6', 'mtu', 'name', 'rx', 'tx', 'txqueuelen', 'type'].sort(),
        );
        // SIOCGIFMAP answers for every device here; the device line shows only what it holds.
        expect(r.device).not.toBeNull();
        for (const k of ['irq', 'baseAddr', 'memStart', 'memEnd', 'dma', 'port'] as const) expect(typeof r.device![k]).toBe('number');
        const block = blocks.find((b) => b.startsWith(`${r.name}: `))!;
        expect(block.includes('        device '), r.name).toBe(deviceLine(r.device) !== '');
        expect(typeof r.flags).toBe('number');
        expect(block).toContain(`flags=${r.flags}<${r.flagNames.join(',')}>  mtu ${r.mtu}`);
        if (r.inet) expect(block).toContain(`inet ${r.inet.address}  netmask ${r.inet.netmask}`);
        for (const a of r.inet6) expect(block).toContain(`inet6 ${a.address}  prefixlen ${a.prefixlen}  scopeid 0x${a.scopeid.toString(16)}`);
        expect(block).toContain(`(${r.hwTitle})`);
        if (r.txqueuelen !== null) expect(block).toContain(`txqueuelen ${r.txqueuelen}`);
        if (r.rx) {
          expect(typeof r.rx.bytes).toBe('number');
          const m = /RX packets (\d+) {2}bytes (\d+)/.exec(block)!;
          const m2 = /RX packets (\d+) {2}bytes (\d+)/.exec(blocks2.find((b) => b.startsWith(`${r.name}: `))!)!;
          expect(r.rx.packets, `${r.name} RX packets`).toBeGreaterThanOrEqual(Number(m[1]));
          expect(r.rx.packets, `${r.name} RX packets`).toBeLessThanOrEqual(Number(m2[1]));
          expect(r.rx.bytes, `${r.name} RX bytes`).toBeGreaterThanOrEqual(Number(m[2]));
          expect(r.rx.bytes, `${r.name} RX bytes`).toBeLessThanOrEqual(Number(m2[2]));
        }
      }
    }
    const bad = await ptools(['--json', 'nosuch0']);
    expect(bad.out).toBe('');
    expect(bad.code).toBe(1);
  });

  it('the launcher (bin/ptools ifconfig -a) prints what the in-process run prints', async () => {
    if (!existsSync(join(ROOT, 'dist', 'commands', 'ifconfig', 'index.js'))) return;
    const got = await ptools(['-a', 'lo']);
    const r = spawn(process.execPath, [join(ROOT, 'bin', 'ptools'), 'ifconfig', '-a', 'lo']);
    const got2 = await ptools(['-a', 'lo']);
    expect(diffLines(got.out, r.out, got2.out)).toEqual([]);
    expect(r.code).toBe(0);
  });
});

// ------------------------------------------------------------------ a namespace of our own

/** dist/ must hold this ifconfig for `ip netns exec NS node bin/ptools`: compile when it is older than the source. */
function ensureCompiled(): boolean {
  const stale = (): boolean => !distFresh(ROOT);
  if (stale()) spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
  return !stale();
}

const NS = `ptif${process.pid}`;
let nsReason: string | null = null;

function ns(...args: string[]): Out {
  return spawn('ip', ['netns', 'exec', NS, ...args]);
}

/** ptools' compiled program inside the namespace (dist/cli/main.js, what bin/ptools runs). */
function ptoolsInNs(...args: string[]): Out {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  const code = `const m = await import(${JSON.stringify(`file://${main}`)}); await m.main(['node', 'ptools', ...process.argv.slice(1)]);`;
  return ns(process.execPath, '--input-type=module', '-e', code, 'ifconfig', ...args);
}

describeCommand('ip', 'ifconfig vs net-tools in a network namespace made by the test', () => {
  beforeAll(() => {
    if (!existsSync(IFCONFIG)) return void (nsReason = 'net-tools ifconfig is missing');
    const add = spawn('ip', ['netns', 'add', NS]);
    if (add.code !== 0) return void (nsReason = `the kernel refused a network namespace: ${add.err.trim()}`);
    const steps: string[][] = [
      ['ip', 'link', 'set', 'lo', 'up'],
      ['ip', 'link', 'add', 'pt0', 'type', 'veth', 'peer', 'name', 'pt1'],
      ['ip', 'link', 'set', 'pt0', 'up'],
      ['ip', 'addr', 'add', '10.99.0.1/24', 'brd', '+', 'dev', 'pt0'],
      ['ip', 'addr', 'add', '10.99.0.5/24', 'dev', 'pt0', 'label', 'pt0:1'],
      ['ip', 'addr', 'add', '10.99.1.1/16', 'dev', 'pt0'],
      ['ip', 'addr', 'add', '10.99.0.2/24', 'dev', 'pt1'],
      ['ip', '-6', 'addr', 'add', '2001:db8::1/64', 'dev', 'pt0', 'nodad'],
      ['ip', '-6', 'addr', 'add', '::ffff:1.2.3.4/128', 'dev', 'pt0', 'nodad'],
      ['ip', '-6', 'addr', 'add', 'fec0::5/10', 'dev', 'pt1', 'nodad'],
    ];
    for (const s of steps) {
      const r = ns(...s);
      if (r.code !== 0) return void (nsReason = `${s.join(' ')} refused: ${r.err.trim()}`);
    }
    // Optional devices: a tun (link type none, "unspec") with a point-to-point peer, a down bridge.
    if (ns('ip', 'tuntap', 'add', 'pttun0', 'mode', 'tun').code === 0) {
      ns('ip', 'link', 'set', 'pttun0', 'up');
      ns('ip', 'addr', 'add', '10.98.0.1', 'peer', '10.98.0.2', 'dev', 'pttun0');
    }
    ns('ip', 'link', 'add', 'ptbr0', 'type', 'bridge');
    if (!ensureCompiled()) nsReason = 'dist/ could not be compiled (npx tsc failed), so ptools cannot run in the namespace';
  });
  afterAll(() => {
    spawn('ip', ['netns', 'del', NS]);
  });

  const argSets: string[][] = [[], ['-a'], ['-s'], ['-s', '-a'], ['pt0'], ['pt0:1'], ['pt1'], ['pttun0'], ['ptbr0'], ['-s', 'pt0:1'], ['lo']];
  it.for(argSets.map((a) => [a.join(' ') || '(none)', a] as const))('ifconfig %s inside the namespace', ([, args], ctx) => {
    if (nsReason) return ctx.skip(nsReason);
    if (args.includes('pttun0') && ns('ip', 'link', 'show', 'pttun0').code !== 0) return ctx.skip('the kernel refused a tun device');
    const want = ns(IFCONFIG, ...args);
    const got = ptoolsInNs(...args);
    const again = ns(IFCONFIG, ...args);
    expect(diffLines(want.out, got.out, again.out)).toEqual([]);
    expect(got.err).toBe(want.err);
    expect(got.code).toBe(want.code);
  });

  it('shows what the test configured: the alias, broadcast 0.0.0.0 where none was set, the mapped address', (ctx) => {
    if (nsReason) return ctx.skip(nsReason);
    const out = ptoolsInNs('-a').out;
    // pt1 stays down, so pt0 has no carrier (no RUNNING), and pt1 shows only with -a.
    expect(out).toContain('pt0:1: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500\n');
    expect(out).toContain('        inet 10.99.0.5  netmask 255.255.255.0  broadcast 0.0.0.0\n');
    expect(out).toContain('        inet 10.99.0.1  netmask 255.255.255.0  broadcast 10.99.0.255\n');
    expect(out).toContain('        inet6 1.2.3.4  prefixlen 128  scopeid 0x0<global>\n');
    expect(out).toContain('        inet6 fec0::5  prefixlen 10  scopeid 0x40<site>\n');
    expect(out).not.toContain('10.99.1.1');
    expect(out).toMatch(/^pt1: flags=4098<BROADCAST,MULTICAST> {2}mtu 1500\n/m);
  });
});

// ------------------------------------------------------------------ unshare -n: /sys shows another namespace

/**
 * Run inside `unshare -n` (a fresh network namespace that keeps this
 * machine's /sys): sets the namespace's lo txqueuelen, makes a veth pair
 * with a broadcast set to something else than the address and an alias
 * without one, and prints, as JSON, what /sys says about lo, then net-tools'
 * and ptools' ifconfig for each argument set (each twice, the oracle before
 * and after ptools). The namespace and its devices go when the script exits.
 */
const UNSHARE_SCRIPT = String.raw`
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
// node -e: the arguments after the script start at argv[1].
const [ifconfig, launcher, argSetsJson] = process.argv.slice(1);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  return { out: r.stdout, err: r.stderr, code: r.status ?? -1 };
};
for (const s of [
  ['link', 'set', 'lo', 'up'],
  ['link', 'set', 'lo', 'txqueuelen', '77'],
  ['link', 'add', 'ptu0', 'txqueuelen', '123', 'type', 'veth', 'peer', 'name', 'ptu1'],
  ['link', 'set', 'ptu0', 'up'],
  ['addr', 'add', '10.97.0.1/24', 'broadcast', '10.97.0.99', 'dev', 'ptu0'],
  ['addr', 'add', '10.97.1.1/24', 'dev', 'ptu0', 'label', 'ptu0:1'],
]) execFileSync('ip', s, { stdio: ['ignore', 'ignore', 'pipe'] });
const results = [];
for (const args of JSON.parse(argSetsJson)) {
  const want = run(ifconfig, args);
  const got = run(process.execPath, [launcher, 'ifconfig', ...args]);
  const again = run(ifconfig, args);
  results.push({ args, want, got, again });
}
process.stdout.write(JSON.stringify({ sysLoQlen: readFileSync('/sys/class/net/lo/tx_queue_len', 'utf8').trim(), results }));
`;

describeCommand('unshare', 'ifconfig in a namespace made by unshare -n, whose /sys is still the machine\'s', () => {
  let reason: string | null = null;
  let res: { sysLoQlen: string; results: { args: string[]; want: Out; got: Out; again: Out }[] } | null = null;
  const argSets = [['-a'], ['lo'], ['ptu0'], ['ptu0:1'], ['ptu1'], ['-s', '-a']];
  beforeAll(() => {
    if (process.getuid?.() !== 0) return void (reason = 'needs root for unshare -n');
    if (!existsSync(IFCONFIG)) return void (reason = 'needs net-tools ifconfig');
    if (!ensureCompiled()) return void (reason = 'dist/ could not be compiled, so ptools cannot run in the namespace');
    const r = spawnSync('unshare', ['-n', process.execPath, '--input-type=module', '-e', UNSHARE_SCRIPT, IFCONFIG, join(ROOT, 'bin', 'ptools'), JSON.stringify(argSets)], {
      encoding: 'utf8', timeout: 60_000,
    });
    if (r.status !== 0) return void (reason = `unshare -n refused or the script failed: ${(r.stderr || String(r.error)).trim().split('\n')[0]}`);
    res = JSON.parse(r.stdout) as typeof res;
  });

  it('net-tools\' output for every argument set, line by line (txqueuelen, broadcast, alias from the ioctls)', (ctx) => {
    if (reason) return ctx.skip(reason);
    for (const { args, want, got, again } of res!.results) {
      expect(diffLines(want.out, got.out, again.out), args.join(' ')).toEqual([]);
      expect(got.err, args.join(' ')).toBe(want.err);
      expect(got.code, args.join(' ')).toBe(want.code);
    }
  });

  it('shows the namespace\'s own facts, which /sys does not', (ctx) => {
    if (reason) return ctx.skip(reason);
    // /sys still describes the machine's lo: the value there is not the namespace's.
    expect(res!.sysLoQlen).not.toBe('77');
    const all = res!.results.find((r) => r.args[0] === '-a')!.got.out;
    expect(all).toContain('        loop  txqueuelen 77  (Local Loopback)\n');
    expect(all).toMatch(/^ptu0: flags=\d+<[^>]*>  mtu 1500\n {8}inet 10\.97\.0\.1  netmask 255\.255\.255\.0  broadcast 10\.97\.0\.99\n/m);
    expect(all).toMatch(/^ {8}ether [0-9a-f:]{17}  txqueuelen 123  \(Ethernet\)$/m);
    expect(all).toContain('        inet 10.97.1.1  netmask 255.255.255.0  broadcast 0.0.0.0\n');
  });
});
