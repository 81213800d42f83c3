import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fixturePath } from '../../helpers/fixtures.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inetConnView, netConnections, processNetConnections, unixConnView,
  type Addr, type ConnKind, type ConnectionsSource, type ProcessConnection, type Connection,
} from '../../../src/core/net/connections.js';
import { inetNtop6 } from '../../../src/core/net/inet.js';
import { decodeProcAddress, parseProcNetSockets, parseProcNetUnix } from '../../../src/core/procfs/net-sockets.js';
import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM } from '../../../src/core/base/constants.js';
import { ParseError } from '../../../src/core/base/errors.js';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describeCommand, describePsutil, PYTHON, psutil, sh } from '../../helpers/oracle.js';

const FIX = new URL('../../fixtures/connections/', import.meta.url).pathname;
// /proc/net/{tcp,tcp6,udp,udp6,unix} captures: test/fixtures/proc/sockets-captured/net/<file>.
const fixture = (name: string): string => readFileSync(fixturePath('proc', 'sockets-captured', 'net', name), 'utf8');
const KINDS: ConnKind[] = ['inet', 'inet4', 'inet6', 'tcp', 'tcp4', 'tcp6', 'udp', 'udp4', 'udp6', 'unix', 'all'];
/** Both readers of the socket tables: every psutil comparison runs on each. */
const SOURCES: readonly ConnectionsSource[] = ['sock_diag', 'procfs'];

// psutil's view of the one /proc/net parser (core/procfs/net-sockets.ts).
const parseNetTcp = (text: string, family: number) => parseProcNetSockets(text, family, 'tcp').map((s) => inetConnView(s));
const parseNetUdp = (text: string, family: number) => parseProcNetSockets(text, family, 'udp').map((s) => inetConnView(s));
const parseNetUnix = (text: string) => parseProcNetUnix(text).map(unixConnView);
/** An ADDR:PORT field as psutil decodes it: port 0 is psutil's `()`. */
function decodeAddress(field: string, family: number): Addr | null {
  const a = decodeProcAddress(field, family, 'test');
  return a.port === 0 ? null : { ip: a.address, port: a.port };
}
const formatIPv6 = inetNtop6;

/** psutil's JSON (addr tuples as {ip, port}, `()` as []) → our shape. */
function fromPsutil(c: Record<string, unknown>): Connection {
  const addr = (a: unknown): Connection['laddr'] => (Array.isArray(a) && a.length === 0 ? null : (a as Connection['laddr']));
  return {
    fd: c.fd as number, family: c.family as number, type: c.type as number,
    laddr: addr(c.laddr), raddr: addr(c.raddr), status: c.status as Connection['status'],
    pid: (c.pid ?? null) as number | null,
  };
}
const key = (c: ProcessConnection | Connection): string =>
  JSON.stringify([c.fd, c.family, c.type, c.laddr, c.raddr, c.status, 'pid' in c ? c.pid : undefined]);
const keys = (cs: readonly (ProcessConnection | Connection)[]): string[] => cs.map(key).sort();
/** As a set (psutil returns one): sorted unique tuples. */
const setOf = (cs: readonly (ProcessConnection | Connection)[]): string[] => [...new Set(keys(cs))];

// --- layer 1: parsers on captured and hand-made text --------------------------

describe('decodeAddress / formatIPv6', () => {
  it('decodes IPv4 words in host (little-endian) order', () => {
    expect(decodeAddress('0100007F:8631', AF_INET)).toEqual({ ip: '127.0.0.1', port: 0x8631 });
    expect(decodeAddress('0500000A:0016', AF_INET)).toEqual({ ip: '10.0.0.5', port: 22 });
  });
  it('port 0 is psutil\'s () → null', () => {
    expect(decodeAddress('00000000:0000', AF_INET)).toBeNull();
    expect(decodeAddress('0100007F:0000', AF_INET)).toBeNull();
  });
  it('decodes IPv6 as four host-order words, written as inet_ntop does', () => {
    expect(decodeAddress('00000000000000000000000001000000:A1D3', AF_INET6)).toEqual({ ip: '::1', port: 0xa1d3 });
    expect(decodeAddress('0000000000000000FFFF00000100007F:9E49', AF_INET6)).toEqual({ ip: '::ffff:127.0.0.1', port: 40521 });
    expect(decodeAddress('00000000000000000000000000000000:0016', AF_INET6)).toEqual({ ip: '::', port: 22 });
    expect(decodeAddress('000080FE00000000FF005002D1FE4A21:0016', AF_INET6)).toEqual({ ip: 'fe80::250:ff:214a:fed1', port: 22 });
  });
  it('formats special IPv6 forms like glibc', () => {
    const b = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
    expect(formatIPv6(b('00000000000000000000000000000002'))).toBe('::2');
    expect(formatIPv6(b('0000000000000000000000007f000001'))).toBe('::127.0.0.1');
    expect(formatIPv6(b('00000000000000000000ffff00000000'))).toBe('::ffff:0.0.0.0');
    expect(formatIPv6(b('0000000000000000ffff00007f000001'))).toBe('::ffff:0:7f00:1');
    expect(formatIPv6(b('20010db8000000000001000000000001'))).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(b('20010db8000000010000000000000001'))).toBe('2001:db8:0:1::1');
    expect(formatIPv6(b('00010000000000000000000000000000'))).toBe('1::');
    expect(formatIPv6(b('20010db8000100010001000100010001'))).toBe('2001:db8:1:1:1:1:1:1');
  });
  it('rejects malformed fields with ParseError', () => {
    for (const f of ['', '0100007F', '0100007F:', '0100007:0016', 'ZZ00007F:0016', '0100007F:12345', '0100007F:0016'.replace('F', '')]) {
      expect(() => decodeAddress(f, AF_INET), f).toThrow(ParseError);
    }
    expect(() => decodeAddress('0100007F:0016', AF_INET6)).toThrow(ParseError);
  });
});

describe('parseNetTcp / parseNetUdp (captured with sockets-child.mjs)', () => {
  it('tcp: listeners, established pairs, inodes', () => {
    const rows = parseNetTcp(fixture('tcp'), AF_INET);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ family: AF_INET, type: SOCK_STREAM, laddr: { ip: '0.0.0.0', port: 2024 }, raddr: null, status: 'LISTEN', inode: 79 });
    expect(rows[2]).toEqual({ family: AF_INET, type: SOCK_STREAM, laddr: { ip: '127.0.0.1', port: 0x8631 }, raddr: { ip: '127.0.0.1', port: 0xdfca }, status: 'ESTABLISHED', inode: 13479 });
  });
  it('tcp6: wildcard listener, ::1 pair, IPv4-mapped accepted socket', () => {
    const rows = parseNetTcp(fixture('tcp6'), AF_INET6);
    expect(rows.map((r) => [r.laddr?.ip, r.raddr?.ip ?? null, r.status])).toEqual([
      ['::', null, 'LISTEN'],
      ['::1', '::1', 'ESTABLISHED'],
      ['::ffff:127.0.0.1', '::ffff:127.0.0.1', 'ESTABLISHED'],
      ['::1', '::1', 'ESTABLISHED'],
    ]);
  });
  it('udp/udp6: status is always NONE, connected sockets have a raddr', () => {
    const udp = parseNetUdp(fixture('udp'), AF_INET);
    expect(udp).toEqual([
      { family: AF_INET, type: SOCK_DGRAM, laddr: { ip: '127.0.0.1', port: 0xdecc }, raddr: { ip: '127.0.0.1', port: 0xe371 }, status: 'NONE', inode: 13486 },
      { family: AF_INET, type: SOCK_DGRAM, laddr: { ip: '127.0.0.1', port: 0xe371 }, raddr: null, status: 'NONE', inode: 13485 },
    ]);
    expect(parseNetUdp(fixture('udp6'), AF_INET6)).toEqual([
      { family: AF_INET6, type: SOCK_DGRAM, laddr: { ip: '::1', port: 0xc9c9 }, raddr: null, status: 'NONE', inode: 13487 },
    ]);
  });
  it('hand-made: every TCP state, header only, blank lines, lowercase hex', () => {
    const states = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '0A', '0B', '0a'];
    const text = '  sl  local_address rem_address   st ...\n' +
      states.map((s, i) => `   ${i}: 0100007F:1F90 0200007F:${(1000 + i).toString(16).padStart(4, '0')} ${s} 00000000:00000000 00:00000000 00000000  1000        0 ${500 + i} 1 0000000000000000 100 0 0 10 0\n`).join('') + '\n\n';
    expect(parseNetTcp(text, AF_INET).map((r) => r.status)).toEqual([
      'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'LISTEN',
    ]);
    expect(parseNetTcp('  sl  local_address rem_address   st\n', AF_INET)).toEqual([]);
    expect(parseNetTcp('', AF_INET6)).toEqual([]);
  });
  it('ParseError on an unknown TCP state, short lines, bad inodes, a wrong family', () => {
    const line = (st: string, inode = '42'): string => `hdr\n 0: 0100007F:1F90 00000000:0000 ${st} 0:0 0:0 0 0 0 ${inode} 1\n`;
    expect(() => parseNetTcp(line('0C'), AF_INET)).toThrow(ParseError);
    expect(() => parseNetTcp(line('0A', 'x1'), AF_INET)).toThrow(ParseError);
    expect(() => parseNetTcp('hdr\n 0: 0100007F:1F90 00000000:0000 0A\n', AF_INET)).toThrow(ParseError);
    expect(() => parseNetTcp(fixture('tcp'), AF_INET6)).toThrow(ParseError);
    expect(() => parseNetUdp(fixture('udp'), AF_UNIX)).toThrow(ParseError);
    // UDP ignores the state column (psutil), so an odd state is no error there.
    expect(parseNetUdp(line('0C'), AF_INET)[0]!.status).toBe('NONE');
  });
});

describe('parseNetUnix', () => {
  it('captured: named, abstract (@), unnamed sockets, and a path with a space', () => {
    const rows = parseNetUnix(fixture('unix'));
    expect(rows).toHaveLength(7);
    expect(rows[0]).toEqual({ type: SOCK_STREAM, path: '', inode: 1615 });
    expect(rows[1]).toEqual({ type: SOCK_STREAM, path: '/tmp/tmp.mFObQUq6cl/ptools.sock', inode: 13488 });
    // psutil 5.9.4 reports '' here (it wants exactly 8 fields); the kernel's path is the rest of the line.
    expect(rows[2]).toEqual({ type: SOCK_STREAM, path: '/tmp/tmp.mFObQUq6cl/with space.sock', inode: 13491 });
    expect(rows[6]!.path).toMatch(/^@ptools-abstract-7849@+$/);
  });
  it('hand-made: dgram and seqpacket types, a path broken by a newline (kept whole, as sock_diag gives it)', () => {
    const text = 'Num       RefCount Protocol Flags    Type St Inode Path\n' +
      '0000000000000000: 00000002 00000000 00000000 0002 01 20001 /run/systemd/notify\n' +
      '0000000000000000: 00000002 00000000 00010000 0005 01 20002 @seq\n' +
      '0000000000000000: 00000003 00000000 00000000 0002 03 20003\n' +
      '0000000000000000: 00000002 00000000 00010000 0001 01 20004 /tmp/bad\n' +
      'name.sock\n';
    expect(parseNetUnix(text)).toEqual([
      { type: SOCK_DGRAM, path: '/run/systemd/notify', inode: 20001 },
      { type: SOCK_SEQPACKET, path: '@seq', inode: 20002 },
      { type: SOCK_DGRAM, path: '', inode: 20003 },
      { type: SOCK_STREAM, path: '/tmp/bad\nname.sock', inode: 20004 },
    ]);
  });
  it('ParseError on short lines with spaces and bad fields', () => {
    const hdr = 'Num       RefCount Protocol Flags    Type St Inode Path\n';
    expect(() => parseNetUnix(`${hdr}0000: 00000002 00000000 00000000 0001\n`)).toThrow(ParseError);
    expect(() => parseNetUnix(`${hdr}0000: 00000002 00000000 00000000 zz 01 5\n`)).toThrow(ParseError);
    expect(() => parseNetUnix(`${hdr}0000: 00000002 00000000 00000000 0001 01 x5\n`)).toThrow(ParseError);
    // A header that is not /proc/net/unix's.
    expect(() => parseNetUnix('hdr\n0000: 00000002 00000000 00000000 0001 01 5\n')).toThrow(ParseError);
  });
});

// --- layer 2: fuzz --------------------------------------------------------------

describe('fuzz', () => {
  it('parseNetTcp', () => fuzzParser((t) => parseNetTcp(t, AF_INET), [fixture('tcp')]));
  it('parseNetTcp (v6)', () => fuzzParser((t) => parseNetTcp(t, AF_INET6), [fixture('tcp6')]));
  it('parseNetUdp', () => fuzzParser((t) => parseNetUdp(t, AF_INET), [fixture('udp')]));
  it('parseNetUdp (v6)', () => fuzzParser((t) => parseNetUdp(t, AF_INET6), [fixture('udp6')]));
  it('parseNetUnix', () => fuzzParser(parseNetUnix, [fixture('unix')]));
});

// --- argument checks ---------------------------------------------------------

describe('kind', () => {
  const expected = "invalid 'bogus' kind argument; choose between 'all', 'tcp', 'tcp4', 'tcp6', 'udp', 'udp4', 'udp6', 'unix', 'inet', 'inet4', 'inet6'";
  it('an invalid kind is a RangeError with psutil\'s message', () => {
    expect(() => netConnections({ kind: 'bogus' as ConnKind })).toThrow(RangeError);
    expect(() => netConnections({ kind: 'bogus' as ConnKind })).toThrow(expected);
    expect(() => processNetConnections(process.pid, 'bogus' as ConnKind)).toThrow(expected);
  });
  describePsutil('psutil message', () => {
    it('is the same text psutil raises', () => {
      const msg = sh(PYTHON, ['-c', 'import psutil\ntry:\n  psutil.net_connections("bogus")\nexcept ValueError as e:\n  print(e)']).trim();
      expect(msg).toBe(expected);
    });
  });
});

// --- a fixture procfs tree: ptools and psutil's own code on the same files -----------

/**
 * A procfs root made of the captured net files and fake pids whose fds link
 * to their sockets: 100 holds a tcp4 listener and an established tcp4 socket
 * and one unix socket on two fds; 200 shares the established socket and the
 * unix socket (so psutil's "last pid wins" rule shows); 300 has no fd dir.
 */
function makeTree(netFiles: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ptools-conn-tree-'));
  mkdirSync(join(root, 'net'));
  for (const [name, text] of Object.entries(netFiles)) writeFileSync(join(root, 'net', name), text);
  const links: Record<number, Record<number, string>> = {
    100: { 0: '/dev/null', 3: 'socket:[13477]', 4: 'socket:[13479]', 5: 'socket:[13488]', 6: 'socket:[13488]', 7: 'pipe:[1]', 8: 'socket:[13486]', 10: 'socket:[13482]', 11: 'socket:[20002]' },
    200: { 3: 'socket:[13479]', 9: 'socket:[13488]', 12: 'socket:[1615]', 13: 'socket:[13487]' },
  };
  for (const [pid, fds] of Object.entries(links)) {
    mkdirSync(join(root, pid, 'fd'), { recursive: true });
    for (const [fd, target] of Object.entries(fds)) symlinkSync(target, join(root, pid, 'fd', fd));
  }
  mkdirSync(join(root, '300'));
  return root;
}

describePsutil('fixture procfs tree: ptools vs psutil\'s parser on the same files', () => {
  const trees: string[] = [];
  const captured = (): Record<string, string> => Object.fromEntries(['tcp', 'tcp6', 'udp', 'udp6', 'unix'].map((n) => [n, fixture(n)]));
  const handMade = (): Record<string, string> => ({
    tcp: 'hdr\n' +
      ' 0: 0100007F:1F90 0200007F:D431 06 00000000:00000000 00:00000000 00000000 0 0 0 1 0\n' +
      ' 1: 0100007F:1F90 0200007F:D432 08 00000000:00000000 00:00000000 00000000 0 0 13477 1 0\n' +
      ' 2: 0A00A8C0:D433 0101A8C0:0050 02 00000000:00000000 00:00000000 00000000 0 0 13479 1 0\n',
    tcp6: 'hdr\n' +
      ' 0: 0000000000000000000000000100007F:0016 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 13482 1 0\n' +
      ' 1: B80D0120000000000000000001000000:01BB 000080FE00000000FF005002D1FE4A21:C000 01 0:0 0:0 0 0 0 0 1 0\n',
    udp: 'hdr\n 5: 00000000:0044 00000000:0000 07 0:0 0:0 0 0 0 13486 2 0 0\n',
    udp6: 'hdr\n 6: 0000000000000000FFFF00000100007F:0035 00000000000000000000000000000000:0000 07 0:0 0:0 0 0 0 13487 2 0 0\n',
    unix: 'Num RefCount Protocol Flags Type St Inode Path\n' +
      '0000000000000000: 00000002 00000000 00000000 0002 01 20001 /run/systemd/notify\n' +
      '0000000000000000: 00000002 00000000 00010000 0005 01 20002 @seq\n' +
      '0000000000000000: 00000003 00000000 00000000 0001 03 13488\n' +
      '0000000000000000: 00000003 00000000 00000000 0001 03 1615\n' +
      '0000000000000000: 00000003 00000000 00000000 0001 03 1615\n',
  });
  let saved: string;
  beforeAll(() => {
    saved = getProcfsPath();
  });
  afterAll(() => {
    setProcfsPath(saved);
    for (const t of trees) rmSync(t, { recursive: true, force: true });
  });
  const py = (root: string, call: string): Connection[] =>
    psutil<Record<string, unknown>[]>(`(setattr(psutil, 'PROCFS_PATH', ${JSON.stringify(root)}), ${call})[1]`).map(fromPsutil);

  for (const [label, files] of [['captured', captured], ['hand-made', handMade]] as const) {
    it(`${label}: netConnections and processNetConnections equal psutil for every kind`, () => {
      const root = makeTree(files());
      trees.push(root);
      setProcfsPath(root);
      for (const kind of KINDS) {
        // psutil returns a set; compare as sorted lists of tuples.
        const ours = netConnections({ kind });
        expect(setOf(asPsutilSees(ours)), `net_connections(${kind})`).toEqual(setOf(py(root, `psutil.net_connections(${JSON.stringify(kind)})`)));
        // A set, as psutil's: no tuple twice (the hand-made unix file lists one socket twice).
        expect(keys(ours), kind).toEqual(setOf(ours));
        for (const pid of [100, 200]) {
          const theirs = py(root, `psutil._psplatform._connections.retrieve(${JSON.stringify(kind)}, ${pid})`).map(({ pid: _p, ...c }) => c);
          expect(setOf(asPsutilSees(processNetConnections(pid, kind))), `pid ${pid} ${kind}`).toEqual(setOf(theirs));
        }
      }
      setProcfsPath(saved);
    });
  }

  it('the owner rules: the last pid owns a shared socket system-wide, a unix socket is listed on every fd', () => {
    const root = makeTree(captured());
    trees.push(root);
    setProcfsPath(root);
    const all = netConnections({ kind: 'all' });
    const est = all.find((c) => c.family === AF_INET && c.laddr !== null && typeof c.laddr === 'object' && c.laddr.port === 0x8631 && c.raddr !== null);
    expect(est).toMatchObject({ pid: 200, fd: 3 });
    expect(all.filter((c) => c.laddr === '/tmp/tmp.mFObQUq6cl/ptools.sock' && c.pid !== null).map((c) => [c.pid, c.fd])).toEqual([[200, 9]]);
    expect(processNetConnections(100, 'unix').filter((c) => c.laddr === '/tmp/tmp.mFObQUq6cl/ptools.sock').map((c) => c.fd)).toEqual([5, 6]);
    // Owners unknown: fd -1, pid null.
    expect(all.find((c) => c.laddr !== null && typeof c.laddr === 'object' && c.laddr.port === 2024)).toMatchObject({ fd: -1, pid: null });
    // A missing fd dir is the raw errno error for the caller to map.
    expect(() => processNetConnections(300)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => processNetConnections(999)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    // A process without sockets: [] without reading the net files.
    mkdirSync(join(root, '400', 'fd'), { recursive: true });
    expect(processNetConnections(400, 'all')).toEqual([]);
    // No tcp6/udp6 (kernel without IPv6): skipped, as psutil does; a missing tcp is an error.
    rmSync(join(root, 'net', 'tcp6'));
    expect(processNetConnections(100, 'tcp6')).toEqual([]);
    rmSync(join(root, 'net', 'tcp'));
    expect(() => processNetConnections(100, 'tcp4')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    setProcfsPath(saved);
  });
});

describePsutil('psutil decode_address on random addresses', () => {
  it('decodeAddress equals psutil._psplatform.Connections.decode_address', () => {
    // Addresses rich in zero and ffff words, where inet_ntop's special cases live.
    let seed = 12345;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const word = (): string => ['0000', '0000', '0000', 'ffff', '0001', rnd(65536).toString(16).padStart(4, '0')][rnd(6)]!;
    const fields6: string[] = [];
    const fields4: string[] = [];
    for (let i = 0; i < 400; i++) {
      fields6.push(Array.from({ length: 8 }, word).join('').toUpperCase() + ':' + (rnd(3) === 0 ? '0000' : rnd(65536).toString(16).padStart(4, '0')));
      fields4.push(Array.from({ length: 2 }, word).join('').toUpperCase() + ':' + rnd(65536).toString(16).padStart(4, '0'));
    }
    const theirs = psutil<unknown[]>(
      `[psutil._psplatform.Connections.decode_address(a, 10) for a in ${JSON.stringify(fields6)}] + [psutil._psplatform.Connections.decode_address(a, 2) for a in ${JSON.stringify(fields4)}]`,
    ).map((a) => (Array.isArray(a) && a.length === 0 ? null : a));
    const ours = [...fields6.map((f) => decodeAddress(f, AF_INET6)), ...fields4.map((f) => decodeAddress(f, AF_INET))];
    expect(ours).toEqual(theirs);
  });
});

// --- layer 3: the live machine --------------------------------------------------

interface ChildInfo {
  pid: number;
  tcp4Port: number;
  tcp6Port: number;
  udp4Port: number;
  unixPath: string;
  unixSpacePath: string;
  abstractName: string;
  noIpv6Loopback?: string;
}

let child: ChildProcess | undefined;
let info: ChildInfo;
let dir: string;

async function startChild(): Promise<void> {
  if (child) return;
  dir = mkdtempSync(join(tmpdir(), 'ptools-conn-'));
  // stdio pipes are unix socketpairs in the child: they show up as unnamed unix sockets.
  child = spawn(process.execPath, [join(FIX, 'sockets-child.mjs'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  info = await new Promise<ChildInfo>((resolve, reject) => {
    let buf = '';
    child!.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)) as ChildInfo);
    });
    child!.once('exit', (code) => reject(new Error(`sockets child exited with ${code}`)));
  });
}

afterAll(() => {
  child?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Our entries with the one documented difference from psutil 5.9.4 undone: a unix path with whitespace is '' there. */
function asPsutilSees<T extends ProcessConnection>(cs: readonly T[]): T[] {
  return cs.map((c) => (c.family === AF_UNIX && typeof c.laddr === 'string' && /\s/.test(c.laddr) ? { ...c, laddr: '' } : c));
}

describePsutil('against the machine: a child holding every kind of socket', () => {
  beforeAll(startChild);

  it('processNetConnections(child, kind) equals psutil.Process(child).connections(kind) for every kind, from either source', () => {
    for (const kind of KINDS) {
      const theirs = psutil<Record<string, unknown>[]>(`psutil.Process(${info.pid}).connections(${JSON.stringify(kind)})`).map(fromPsutil).map(({ pid: _p, ...c }) => c);
      for (const source of SOURCES) {
        const ours = processNetConnections(info.pid, kind, { source });
        expect(setOf(asPsutilSees(ours)), `${source} ${kind}`).toEqual(setOf(theirs));
        expect(ours.length, `${source} ${kind}`).toBe(theirs.length);
      }
      expect(keys(processNetConnections(info.pid, kind)), kind).toEqual(keys(processNetConnections(info.pid, kind, { source: 'sock_diag' })));
    }
  });

  it('the child\'s sockets are all there, with the expected addresses', () => {
    const all = processNetConnections(info.pid, 'all');
    const find = (pred: (c: ProcessConnection) => boolean): ProcessConnection | undefined => all.find(pred);
    const inet = (c: ProcessConnection): { ip: string; port: number } | null => (c.laddr && typeof c.laddr === 'object' ? c.laddr : null);
    expect(find((c) => c.status === 'LISTEN' && inet(c)?.port === info.tcp4Port)).toMatchObject({ family: AF_INET, type: SOCK_STREAM, laddr: { ip: '127.0.0.1', port: info.tcp4Port }, raddr: null });
    expect(all.filter((c) => c.status === 'ESTABLISHED' && c.family === AF_INET).length).toBe(3);
    expect(find((c) => c.status === 'LISTEN' && inet(c)?.port === info.tcp6Port)).toMatchObject({ family: AF_INET6, laddr: { ip: '::', port: info.tcp6Port } });
    expect(find((c) => inet(c)?.ip === '::ffff:127.0.0.1')).toMatchObject({ family: AF_INET6, status: 'ESTABLISHED', raddr: { ip: '::ffff:127.0.0.1' } });
    expect(find((c) => c.type === SOCK_DGRAM && inet(c)?.port === info.udp4Port)).toMatchObject({ status: 'NONE', raddr: null });
    expect(find((c) => c.laddr === info.unixSpacePath)).toMatchObject({ family: AF_UNIX, raddr: '', status: 'NONE' });
    expect(all.filter((c) => c.laddr === info.unixPath)).toHaveLength(2);
    expect(find((c) => typeof c.laddr === 'string' && c.laddr.startsWith(`@${info.abstractName}`))).toBeDefined();
    // stdin/stdout pipes + the unix client: unnamed sockets.
    expect(all.filter((c) => c.laddr === '').length).toBeGreaterThanOrEqual(3);
    // Every fd is distinct: one entry per fd.
    expect(new Set(all.map((c) => c.fd)).size).toBe(all.length);
  });

  it('netConnections({ kind }) vs psutil.net_connections(kind): the child\'s sockets are equal for every kind', () => {
    // Other processes on the machine open and close sockets between the two
    // reads, so only this child's sockets (which do not move) are compared exactly.
    for (const kind of KINDS) {
      const theirs = psutil<Record<string, unknown>[]>(`[c for c in psutil.net_connections(${JSON.stringify(kind)}) if c.pid == ${info.pid}]`).map(fromPsutil);
      for (const source of [...SOURCES, undefined]) {
        const ours = netConnections({ kind, source }).filter((c) => c.pid === info.pid);
        expect(setOf(asPsutilSees(ours)), `${source} ${kind}`).toEqual(setOf(theirs));
        // A set, as psutil's: no tuple twice.
        expect(keys(ours), `${source} ${kind}`).toEqual(setOf(ours));
        expect(ours.length).toBeGreaterThan(0);
      }
    }
    // Default kind is 'inet'.
    expect(keys(netConnections().filter((c) => c.pid === info.pid))).toEqual(keys(netConnections({ kind: 'inet' }).filter((c) => c.pid === info.pid)));
  });

  it('netConnections: listening sockets of the whole system equal psutil\'s (retried: others may open or close listeners)', () => {
    const listening = (cs: Connection[]): string[] => keys(cs.filter((c) => c.status === 'LISTEN'));
    let ours: string[] = [];
    let theirs: string[] = [];
    for (const source of SOURCES) {
      for (let attempt = 0; attempt < 3; attempt++) {
        ours = listening(netConnections({ kind: 'inet', source }));
        theirs = listening(psutil<Record<string, unknown>[]>(`psutil.net_connections('inet')`).map(fromPsutil));
        if (JSON.stringify(ours) === JSON.stringify(theirs)) break;
      }
      expect(ours, source).toEqual(theirs);
    }
  });
});

describeCommand('ss', 'against ss -tuanp / ss -xap', () => {
  beforeAll(startChild);

  /** ss "ADDR:PORT" → {ip, port} or null; '*' for the IPv6 any address of a dual-stack socket. */
  function ssAddr(s: string, family: number): { ip: string; port: number } | null {
    const i = s.lastIndexOf(':');
    const host = s.slice(0, i).replace(/^\[(.*)\]$/, '$1');
    const port = s.slice(i + 1);
    if (port === '*' || port === '0') return null;
    return { ip: host === '*' ? (family === AF_INET6 ? '::' : '0.0.0.0') : host, port: Number(port) };
  }

  /** The child's fds among ss's users:(("name",pid=P,fd=F),...) (a socket may have several users). */
  const childFds = (line: string): number[] =>
    [...line.matchAll(/pid=(\d+),fd=(\d+)/g)].filter((u) => Number(u[1]) === info.pid).map((u) => Number(u[2]));

  it('the child\'s TCP and UDP sockets: addresses, state and fd as ss shows them', () => {
    const out = sh('ss', ['-tuanpH']);
    const status: Record<string, string> = { ESTAB: 'ESTABLISHED', LISTEN: 'LISTEN', UNCONN: 'NONE' };
    const theirs: string[] = [];
    for (const line of out.split('\n')) {
      const m = /^(tcp|udp)\s+(\S+)\s+\d+\s+\d+\s+(\S+)\s+(\S+)\s+users:/.exec(line);
      if (!m) continue;
      const family = m[3]!.startsWith('[') || m[3]!.startsWith('*') ? AF_INET6 : AF_INET;
      for (const fd of childFds(line)) {
        theirs.push(JSON.stringify([m[1], family, ssAddr(m[3]!, family), ssAddr(m[4]!, family), m[1] === 'udp' ? 'NONE' : status[m[2]!], fd]));
      }
    }
    const ours = processNetConnections(info.pid, 'inet').map((c) =>
      JSON.stringify([c.type === SOCK_STREAM ? 'tcp' : 'udp', c.family, c.laddr, c.raddr, c.status, c.fd]));
    expect(theirs.length).toBeGreaterThanOrEqual(8);
    expect(ours.sort()).toEqual(theirs.sort());
  });

  it('the child\'s unix sockets: path (including the one with a space) and fd', () => {
    const out = sh('ss', ['-xapH']);
    const theirs: string[] = [];
    for (const line of out.split('\n')) {
      const m = /^u_\w+\s+\S+\s+\d+\s+\d+\s+(.*?)\s+(\d+)\s+\S+\s+\d+\s+users:/.exec(line);
      if (!m) continue;
      for (const fd of childFds(line)) theirs.push(JSON.stringify([m[1] === '*' ? '' : m[1], fd]));
    }
    const ours = processNetConnections(info.pid, 'unix').map((c) => JSON.stringify([c.laddr, c.fd]));
    expect(theirs.length).toBeGreaterThanOrEqual(6);
    expect(ours.sort()).toEqual(theirs.sort());
  });
});

/**
 * Runs `fn` with the effective uid of `nobody` (root only, in a forked test
 * worker where process.seteuid exists). /proc/<pid>/fd of other users'
 * processes is then unreadable, as for any unprivileged caller.
 */
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
const canDropPrivileges = typeof process.seteuid === 'function' && process.geteuid?.() === 0;

(canDropPrivileges ? describePsutil : describe.skip)('unprivileged caller (euid nobody) vs psutil run as nobody', () => {
  beforeAll(startChild);

  it('root\'s sockets have pid null and fd -1, as psutil reports them to nobody', () => {
    const ports = new Set([info.tcp4Port, info.tcp6Port, info.udp4Port]);
    const mine = (c: Connection): boolean =>
      [c.laddr, c.raddr].some((a) => a !== null && typeof a === 'object' && ports.has(a.port)) ||
      (typeof c.laddr === 'string' && (c.laddr.startsWith(dir) || c.laddr.startsWith(`@${info.abstractName}`)));
    for (const source of SOURCES) {
      const all = asNobody(() => netConnections({ kind: 'all', source }));
      expect(all.find((c) => c.laddr === info.unixSpacePath)).toMatchObject({ fd: -1, pid: null });
      // psutil shows the path with a space as '' (which this filter cannot tell from other unnamed sockets).
      const ours = asPsutilSees(all).filter(mine);
      const script = `import json, psutil\nprint(json.dumps([[c.fd, int(c.family), int(c.type), c.laddr and list(c.laddr) if not isinstance(c.laddr, str) else c.laddr, c.raddr and list(c.raddr) if not isinstance(c.raddr, str) else c.raddr, c.status, c.pid] for c in psutil.net_connections('all')]))`;
      const raw = JSON.parse(execFileSync(PYTHON, ['-c', script], { uid: 65534, gid: 65534, encoding: 'utf8' })) as unknown[][];
      const theirs = raw.map(([fd, family, type, l, r, status, pid]) => {
        const addr = (a: unknown): Connection['laddr'] => (Array.isArray(a) ? (a.length ? { ip: a[0] as string, port: a[1] as number } : null) : (a as string));
        return { fd, family, type, laddr: addr(l), raddr: addr(r), status, pid } as Connection;
      }).filter(mine);
      expect(ours.length).toBeGreaterThanOrEqual(10);
      expect(ours.every((c) => c.pid === null && c.fd === -1)).toBe(true);
      expect(setOf(ours), source).toEqual(setOf(theirs));
    }
  });

  it('processNetConnections of a root process: the raw EACCES (AccessDenied for the Process class)', () => {
    expect(() => asNobody(() => processNetConnections(info.pid, 'all'))).toThrow(expect.objectContaining({ code: 'EACCES' }));
  });
});
