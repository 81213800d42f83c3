/**
 * core/sockdiag: the /proc/net parsers (fixtures, fuzzing), the sock_diag
 * decoders, the native functions (arguments, errno, async, memory), and the
 * live listings against /proc/net, connections.ts and psutil, with sockets
 * this test opens itself (test/fixtures/netstat/open_sockets.py).
 */
import { fixturePath } from '../../helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netConnections, netConnectionsAsync, socketInodes } from '../../../src/core/net/connections.js';
import { ParseError } from '../../../src/core/base/errors.js';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import {
  decodeInetDiag, decodeProcAddress, decodeUnixDiag, inetSockets, inetSocketsAsync,
  ownersFromRaw, parseProcNetSockets, parseProcNetUnix, programName, programNameOf, sockDiagBinding, socketOwners,
  socketOwnersAsync, unixSocketsDiag, unixSocketsProc, INET_FIELDS, UNIX_FIELDS, type InetSocket, type SockDiagBinding,
} from '../../../src/core/net/sockdiag.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describePsutil, psutil } from '../../helpers/oracle.js';
import { skippedUnderSanitizer, underSanitizer } from '../../helpers/sanitize.js';
import { startHelper, stopHelper } from '../../fixtures/netstat/sockets.js';

const FX = fixturePath('netstat');
const fx = (tree: string, file: string): string => readFileSync(join(FX, tree, 'net', file), 'utf8');

// ------------------------------------------------------------------ parsers

describe('parseProcNetSockets', () => {
  it('reads every field of /proc/net/tcp (hand-made: every state and timer)', () => {
    const rows = parseProcNetSockets(fx('edge', 'tcp'), 2, 'tcp');
    expect(rows).toHaveLength(14);
    expect(rows[0]).toEqual({
      family: 2, protocol: 'tcp', state: 10, localAddress: '127.0.0.1', localPort: 22, remoteAddress: '0.0.0.0', remotePort: 0,
      txQueue: 0, rxQueue: 5, timer: 0, timerExpires: 0, retransmits: 0, uid: 0, probes: 0, inode: 1001,
    });
    // ESTABLISHED, retransmit timer 0x20 ticks = 0.32 s, 3 retransmits, uid 1000.
    expect(rows[1]).toMatchObject({ state: 1, txQueue: 300, rxQueue: 100, timer: 1, timerExpires: 0.32, retransmits: 3, uid: 1000, remoteAddress: '127.0.0.2', remotePort: 50000 });
    expect(rows[2]).toMatchObject({ state: 2, timer: 4, timerExpires: 5, uid: 65534, probes: 2 });
    expect(rows.map((r) => r.state)).toEqual([10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10, 10, 1]);
    expect(rows[13]).toMatchObject({ localPort: 65535, txQueue: 0x7fffffff, rxQueue: 123456 });
  });

  it('decodes IPv6 words (inet_ntop text, IPv4-mapped kept as such)', () => {
    const rows = parseProcNetSockets(fx('edge', 'tcp6'), 10, 'tcp');
    expect(rows.map((r) => r.localAddress)).toEqual([
      '::', '::1', '2001:db8:1234:5678:9abc:def0:1234:5678', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '2001:db8::42',
    ]);
    expect(rows[2]).toMatchObject({ remoteAddress: '2001:db8:ffff:eeee:dddd:cccc:bbbb:aaaa', remotePort: 61000, timer: 2, timerExpires: 120 });
  });

  it('agrees with connections.ts decodeAddress on every live address', () => {
    for (const tree of ['machine', 'netns']) {
      for (const [file, fam] of [['tcp', 2], ['tcp6', 10], ['udp', 2], ['udp6', 10]] as const) {
        const text = fx(tree, file);
        for (const line of text.split('\n').slice(1)) {
          const t = line.trim().split(/\s+/);
          if (t.length < 3) continue;
          const a = decodeProcAddress(t[1]!, fam, file);
          expect(a.address).toMatch(fam === 2 ? /^\d+\.\d+\.\d+\.\d+$/ : /:/);
        }
      }
    }
  });

  it('reads a TIME_WAIT line (fewer trailing fields) and the captured trees', () => {
    const tw = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'
      + '   1: 0100007F:A367 0100007F:B134 06 00000000:00000000 03:0000176F 00000000     0        0 0 3 000000004d3150c2\n';
    expect(parseProcNetSockets(tw, 2, 'tcp')[0]).toMatchObject({ state: 6, timer: 3, timerExpires: 59.99, inode: 0 });
    for (const tree of ['machine', 'netns']) {
      expect(parseProcNetSockets(fx(tree, 'tcp'), 2, 'tcp').length).toBeGreaterThan(0);
      parseProcNetSockets(fx(tree, 'udp6'), 10, 'udp');
      parseProcNetSockets(fx(tree, 'raw'), 2, 'raw');
    }
  });

  it('rejects what it cannot read with ParseError', () => {
    const head = '  sl  local_address rem_address   st\n';
    expect(() => parseProcNetSockets(`${head}   0: 0100007F:0016\n`, 2, 'tcp')).toThrow(ParseError);
    expect(() => parseProcNetSockets(`${head}   0: 0100007F:0016 00000000:0000 0A 00:00 00:00 0 0 0 x\n`, 2, 'tcp')).toThrow(ParseError);
    expect(() => parseProcNetSockets(`${head}   0: 0100007F:0016 00000000:0000 0A 00:00 00:00 0 0 0 1\n`, 10, 'tcp')).toThrow(ParseError);
    expect(() => parseProcNetSockets('', 7, 'tcp')).toThrow(ParseError);
  });

  it('survives fuzzing', () => {
    fuzzParser((t) => parseProcNetSockets(t, 2, 'tcp'), [fx('edge', 'tcp'), fx('netns', 'tcp'), fx('machine', 'udp')]);
    fuzzParser((t) => parseProcNetSockets(t, 10, 'udp'), [fx('edge', 'tcp6'), fx('netns', 'udp6')]);
  });
});

describe('parseProcNetUnix', () => {
  it('reads refcount, flags, type, state, inode and the whole path', () => {
    const rows = parseProcNetUnix(fx('edge', 'unix'));
    expect(rows).toHaveLength(13);
    expect(rows[0]).toEqual({ refCount: 2, protocol: 0, flags: 0x10000, type: 1, state: 1, inode: 7001, path: '/run/listener.sock' });
    expect(rows[2]!.path).toBeNull();
    expect(rows[3]!.path).toBe('/run/a path with spaces');
    expect(rows[8]!.flags).toBe(0x30000);
    expect(rows.map((r) => r.type)).toEqual([1, 1, 1, 2, 2, 5, 1, 1, 1, 3, 4, 6, 1]);
  });

  it('appends the continuation of a path that contains a newline', () => {
    const text = 'Num       RefCount Protocol Flags    Type St Inode Path\n'
      + '0000000000000000: 00000002 00000000 00010000 0001 01  7001 /tmp/a\nb\n'
      + '0000000000000000: 00000002 00000000 00000000 0001 01  7002\n';
    expect(parseProcNetUnix(text).map((r) => r.path)).toEqual(['/tmp/a\nb', null]);
  });

  it('rejects a foreign header or a malformed line, survives fuzzing', () => {
    expect(() => parseProcNetUnix('Foo\n')).toThrow(ParseError);
    expect(() => parseProcNetUnix('Num RefCount\n0000: zz\n')).toThrow(ParseError);
    fuzzParser(parseProcNetUnix, [fx('edge', 'unix'), fx('netns', 'unix'), fx('machine', 'unix')]);
  });
});

// ------------------------------------------------------------------ decoders

describe('sock_diag decoders', () => {
  it('decodeInetDiag maps fields to /proc/net/tcp meanings', () => {
    const stride = INET_FIELDS.length;
    const nums = new Float64Array(stride * 3);
    const addrs = Buffer.alloc(32 * 3);
    // a listener: wqueue is the backlog limit in sock_diag, 0 in /proc/net/tcp
    nums.set([2, 10, 0, 0, 22, 0, 0, 0, 3, 128, 0, 111, 0, 0, -1, -1, -1], 0);
    addrs.set([127, 0, 0, 1], 0);
    // an established socket with a retransmit timer (1234 ms → 1.23 s) and tcp_info
    nums.set([2, 1, 1, 2, 40000, 22, 0, 1234, 0, 10, 1000, 112, 0, 0, 4, 1, 0], stride);
    addrs.set([10, 0, 0, 1], 32);
    addrs.set([10, 0, 0, 2], 48);
    // IPv6, keepalive timer without tcp_info: idiag_retrans is the probe count
    nums.set([10, 1, 2, 3, 443, 50000, 0, 75000, 0, 0, 0, 113, 0, 0, -1, -1, -1], stride * 2);
    addrs[64 + 15] = 1;
    const r = decodeInetDiag({ count: 3, stride, nums, addrs }, 'tcp');
    expect(r[0]).toMatchObject({ family: 2, state: 10, localAddress: '127.0.0.1', localPort: 22, rxQueue: 3, txQueue: 0, inode: 111 });
    expect(r[1]).toMatchObject({ remoteAddress: '10.0.0.2', timer: 1, timerExpires: 1.23, retransmits: 4, probes: 1, uid: 1000 });
    expect(r[2]).toMatchObject({ family: 10, localAddress: '::1', remoteAddress: '::', timer: 2, timerExpires: 75, retransmits: 0, probes: 3 });
    expect(() => decodeInetDiag({ count: 2, stride, nums: new Float64Array(stride), addrs }, 'tcp')).toThrow(ParseError);
  });

  it('decodeUnixDiag turns NULs of abstract names into @ and -1 into null', () => {
    const stride = UNIX_FIELDS.length;
    const nums = new Float64Array(stride * 2).fill(-1);
    const names = Buffer.from('\0abs/path\0');
    nums.set([1, 10, 500, -1, 0, 128, -1, -1, 0, -1, 0, 4], 0);
    nums.set([2, 7, 501, 777, 0, 0, 9, 2049, 1000, 0, 4, 6], stride);
    const r = decodeUnixDiag({ count: 2, stride, nums, names });
    expect(r[0]).toEqual({ type: 1, state: 10, inode: 500, peer: null, path: '@abs', rxQueue: 0, txQueue: 128, vfsInode: null, vfsDev: null, uid: 0 });
    expect(r[1]).toMatchObject({ peer: 777, path: '/path', vfsInode: 9, vfsDev: 2049, uid: 1000 });
    nums[11] = 99;
    expect(() => decodeUnixDiag({ count: 1, stride, nums, names })).toThrow(ParseError);
  });

  it('ownersFromRaw: first or last pid wins, fds gathered per owner', () => {
    // The walk lists each pid's fds together, pids ascending.
    const raw = {
      inodes: Float64Array.from([10, 11, 10, 10, 12]),
      pids: Int32Array.from([5, 5, 5, 7, 9]),
      fds: Int32Array.from([9, 3, 4, 8, 1]),
      denied: Int32Array.from([3]),
      scanned: 3,
    };
    const first = ownersFromRaw(raw, 'first');
    expect(first.owners.get(10)).toEqual({ pid: 5, fds: [4, 9] });
    const last = ownersFromRaw(raw, 'last');
    expect(last.owners.get(10)).toEqual({ pid: 7, fds: [8] });
    expect(last.owners.get(12)).toEqual({ pid: 9, fds: [1] });
    expect(first.denied).toEqual([3]);
    const same = ownersFromRaw({ ...raw, inodes: Float64Array.from([1, 1]), pids: Int32Array.from([5, 5]), fds: Int32Array.from([9, 2]) }, 'first');
    expect(same.owners.get(1)).toEqual({ pid: 5, fds: [2, 9] });
  });

  it('programNameOf follows netstat: first word, basename when absolute, 511 bytes', () => {
    expect(programNameOf(Buffer.from('/usr/bin/python3\0x.py\0'))).toBe('python3');
    expect(programNameOf(Buffer.from('sshd: root@pts/0'))).toBe('sshd: root@pts/0');
    expect(programNameOf(Buffer.from('-bash\0'))).toBe('-bash');
    expect(programNameOf(Buffer.from(''))).toBe('');
    expect(programNameOf(Buffer.from('/'))).toBe('');
    expect(programNameOf(Buffer.from(`${'a'.repeat(600)}\0`))).toBe('a'.repeat(511));
    // Bytes that are not UTF-8 survive (surrogateescape); Infinity reads the whole name (--json).
    expect(programNameOf(Buffer.from('/x/pr\xffog\0', 'latin1'))).toBe('pr\udcffog');
    expect(programNameOf(Buffer.from(`/${'a'.repeat(600)}/b\0`), Infinity)).toBe('b');
    expect(programNameOf(Buffer.from(`/${'a'.repeat(600)}/b\0`))).toBe('a'.repeat(510));
    expect(programName(process.pid)).toBe('node');
    expect(programName(2 ** 22 + 12345)).toBeNull();
  });
});

// ------------------------------------------------------------------ fixture procfs

describe('a fixture procfs root', () => {
  const saved = getProcfsPath();
  afterAll(() => setProcfsPath(saved));

  it('reads /proc/net files, never sock_diag (which only sees the live kernel)', () => {
    setProcfsPath(join(FX, 'edge'));
    try {
      const l = inetSockets('tcp', 2);
      expect(l.source).toBe('procfs');
      expect(l.sockets!.map((s) => s.inode)).toEqual(parseProcNetSockets(fx('edge', 'tcp'), 2, 'tcp').map((s) => s.inode));
      expect(inetSockets('udplite', 10).sockets).toEqual([]);
      expect(unixSocketsDiag()).toBeNull();
      expect(unixSocketsProc()!.length).toBe(13);
      // No sctp file in the tree: null, not an error.
      expect(inetSockets('tcp', 2, { source: 'procfs' }).sockets!.length).toBe(14);
    } finally {
      setProcfsPath(saved);
    }
    setProcfsPath(join(FX, 'nonexistent'));
    try {
      expect(inetSockets('tcp', 10).sockets).toBeNull();
      expect(unixSocketsProc()).toBeNull();
    } finally {
      setProcfsPath(saved);
    }
  });
});

// ------------------------------------------------------------------ native

function nativeOrFail(): SockDiagBinding {
  const b = sockDiagBinding();
  if (!b) throw new Error('the loaded addon has no sock_diag functions: rebuild it (npm run build:native, PTOOLS_NATIVE=build/Release/ptools.node)');
  return b;
}

describe('native sock_diag and socketOwners', () => {
  it('checks arguments: TypeError for types, RangeError for values', () => {
    const b = nativeOrFail() as unknown as Record<string, (...a: unknown[]) => unknown>;
    expect(() => b.inetDiag!()).toThrow(TypeError);
    expect(() => b.inetDiag!('2', 6, 0)).toThrow(TypeError);
    expect(() => b.inetDiag!(3, 6, 0)).toThrow(RangeError);
    expect(() => b.inetDiag!(2, 256, 0)).toThrow(RangeError);
    expect(() => b.inetDiag!(2, 6, -1)).toThrow(RangeError);
    expect(() => b.inetDiag!(2, 6, 2 ** 32)).toThrow(RangeError);
    expect(() => b.inetDiag!(2, 6, 1.5)).toThrow(RangeError);
    expect(() => b.inetDiag!(2, 6, 1, 'x')).toThrow(TypeError);
    expect(() => b.unixDiag!('a', 1)).toThrow(TypeError);
    expect(() => b.unixDiag!(1)).toThrow(TypeError);
    expect(() => b.socketOwners!(1)).toThrow(TypeError);
    expect(() => b.socketOwners!('/pro\0c')).toThrow(TypeError);
    expect(() => b.inetDiagAsync!({})).toThrow(TypeError);
    expect(() => b.socketOwnersAsync!()).toThrow(TypeError);
  });

  it('reports errno: an unknown protocol is the kernel\'s ENOENT, a missing root is opendir\'s', async () => {
    const b = nativeOrFail();
    expect(() => b.inetDiag(2, 200, 0xffffffff)).toThrow(expect.objectContaining({ code: 'ENOENT', errno: -2, syscall: 'sock_diag' }));
    expect(() => b.socketOwners('/nonexistent-proc')).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'opendir', path: '/nonexistent-proc' }));
    await expect(b.inetDiagAsync(2, 200, 0xffffffff)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(b.socketOwnersAsync('/nonexistent-proc')).rejects.toMatchObject({ code: 'ENOENT', path: '/nonexistent-proc' });
  });

  (underSanitizer() ? it.skip : it)(`does not grow memory over many calls${skippedUnderSanitizer()}`, () => {
    const b = nativeOrFail();
    for (let i = 0; i < 50; i++) b.inetDiag(2, 6, 0xffffffff);
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 400; i++) {
      b.inetDiag(2, 6, 0xffffffff, 2);
      b.unixDiag(0xffffffff, 0x57);
      if (i % 4 === 0) b.socketOwners('/proc');
    }
    globalThis.gc?.();
    // 400 dumps and 100 walks: a leak of even one buffer per call would show as tens of MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(32 << 20);
  });
});

// ------------------------------------------------------------------ live

function sameSocket(a: InetSocket, b: InetSocket): boolean {
  return a.family === b.family && a.state === b.state && a.localAddress === b.localAddress && a.localPort === b.localPort
    && a.remoteAddress === b.remoteAddress && a.remotePort === b.remotePort && a.inode === b.inode && a.uid === b.uid
    && a.rxQueue === b.rxQueue && a.txQueue === b.txQueue && a.timer === b.timer;
}

describe('live listings (sockets opened by the test)', () => {
  let helper: Awaited<ReturnType<typeof startHelper>> | undefined;
  beforeAll(async () => {
    nativeOrFail();
    helper = await startHelper();
  });
  afterAll(() => stopHelper(helper?.child));

  it('sock_diag lists what /proc/net lists, in the same order, with the same fields', () => {
    // Other processes open and close sockets: compare at a moment when two
    // sock_diag dumps around the /proc read agree (up to 20 tries).
    for (const [protocol, family] of [['tcp', 2], ['tcp', 10], ['udp', 2], ['udp', 10]] as const) {
      let ok = false;
      for (let attempt = 0; attempt < 20 && !ok; attempt++) {
        const d1 = inetSockets(protocol, family, { source: 'sock_diag' }).sockets!;
        const p = inetSockets(protocol, family, { source: 'procfs' }).sockets!;
        const d2 = inetSockets(protocol, family, { source: 'sock_diag' }).sockets!;
        if (d1.length !== d2.length || !d1.every((s, i) => sameSocket(s, d2[i]!))) continue;
        expect(p.map((s) => s.inode)).toEqual(d1.map((s) => s.inode));
        p.forEach((s, i) => {
          const d = d1[i]!;
          expect(sameSocket(s, d), JSON.stringify([s, d])).toBe(true);
          // Timers count down between the reads: /proc's expiry lies between the two dumps' (0.02 s for the
          // sources' rounding: clock ticks vs milliseconds). Retransmit (1) and zero-window probe (4) timers
          // restart whenever a segment or probe goes out, so their expiry may jump: not compared.
          if (s.protocol === 'tcp' && (s.timer === 1 || s.timer === 4)) return;
          const lo = Math.min(d1[i]!.timerExpires, d2[i]!.timerExpires) - 0.02;
          const hi = Math.max(d1[i]!.timerExpires, d2[i]!.timerExpires) + 0.02;
          expect(s.timerExpires, JSON.stringify([d1[i], s, d2[i]])).toBeGreaterThanOrEqual(lo);
          expect(s.timerExpires).toBeLessThanOrEqual(hi);
        });
        ok = true;
      }
      expect(ok, `${protocol}/${family}: never a stable moment`).toBe(true);
    }
  });

  it('shows the helper\'s sockets with their queues', () => {
    const info = helper!.info;
    const tcp4 = inetSockets('tcp', 2).sockets!;
    const backlog = tcp4.find((s) => s.localPort === info.tcp.backlog && s.state === 10)!;
    expect(backlog.rxQueue).toBe(2);
    expect(backlog.txQueue).toBe(0);
    const unread = tcp4.find((s) => s.localPort === info.tcp.listen4 && s.state === 1)!;
    expect(unread.rxQueue).toBe(1234);
    const sender = tcp4.find((s) => s.remotePort === info.tcp.full && s.state === 1)!;
    expect(sender.txQueue).toBeGreaterThan(0);
    const udp4 = inetSockets('udp', 2).sockets!;
    expect(udp4.find((s) => s.localPort === info.udp.v4)!.rxQueue).toBeGreaterThan(0);
    expect(udp4.find((s) => s.localPort === info.udp.connected)!.state).toBe(1);
  });

  it('a TCP socket that is only bound is in neither listing (sock_diag is not asked for TCP_BOUND_INACTIVE)', async () => {
    const port = helper!.info.tcp.boundOnly;
    expect(port).toBeGreaterThan(0);
    for (const source of ['sock_diag', 'procfs'] as const) {
      expect(inetSockets('tcp', 2, { source }).sockets!.filter((s) => s.localPort === port), source).toEqual([]);
      expect((await inetSocketsAsync('tcp', 2, { source })).sockets!.filter((s) => s.localPort === port), source).toEqual([]);
    }
    // The raw dump with every state bit does list it (Linux 6.8+), so the mask is what keeps it out.
    const b = sockDiagBinding()!;
    const all = decodeInetDiag(b.inetDiag(2, 6, 0xffffffff, 0), 'tcp').filter((s) => s.localPort === port);
    expect(all.length).toBeLessThanOrEqual(1);
  });

  it('unix sockets through sock_diag match /proc/net/unix and know their peers', () => {
    const info = helper!.info;
    const diag = unixSocketsDiag()!;
    const proc = unixSocketsProc()!;
    const byPath = (p: string) => diag.filter((u) => u.path === p);
    expect(byPath(info.unix.stream).map((u) => u.state).sort()).toEqual([1, 10]);
    expect(byPath(info.unix.abstract)[0]!.state).toBe(10);
    expect(byPath(info.unix.seqpacket)[0]!.type).toBe(5);
    // The accepted end of the stream connection is peered with the client.
    const accepted = byPath(info.unix.stream).find((u) => u.state === 1)!;
    const client = diag.find((u) => u.inode === accepted.peer)!;
    expect(client.peer).toBe(accepted.inode);
    // Every helper socket /proc lists, sock_diag lists with the same type and path.
    const procHelper = proc.filter((u) => u.path?.startsWith(info.dir) || u.path === info.unix.abstract);
    for (const u of procHelper) expect(diag.find((d) => d.inode === u.inode)).toMatchObject({ type: u.type, path: u.path });
  });

  it('socketOwners finds every socket fd of the helper, as connections.ts does', async () => {
    const pid = helper!.info.pid;
    const js = socketInodes(pid);
    const native = socketOwners({ policy: 'first' });
    const mine = [...native.owners].filter(([, o]) => o.pid === pid);
    expect(new Map(mine.map(([inode, o]) => [inode, o.fds]))).toEqual(js);
    const asyncOwners = await socketOwnersAsync({ policy: 'first' });
    expect([...asyncOwners.owners].filter(([, o]) => o.pid === pid)).toEqual(mine);
    expect(native.scanned).toBeGreaterThan(1);
  });

  it('netConnections through sock_diag equals netConnections through /proc/net for the helper, every kind', async () => {
    const pid = helper!.info.pid;
    const key = (c: object) => JSON.stringify(c);
    for (const kind of ['all', 'tcp', 'tcp4', 'tcp6', 'udp', 'udp4', 'udp6', 'unix', 'inet', 'inet4', 'inet6'] as const) {
      const a = netConnections({ kind, source: 'sock_diag' }).filter((c) => c.pid === pid).map(key).sort();
      const b = netConnections({ kind, source: 'procfs' }).filter((c) => c.pid === pid).map(key).sort();
      expect(a, kind).toEqual(b);
      expect(a.length).toBeGreaterThan(0);
      // The default reads through sock_diag here.
      expect(netConnections({ kind }).filter((c) => c.pid === pid).map(key).sort(), kind).toEqual(a);
    }
    const asyncAll = (await netConnectionsAsync({ kind: 'all' })).filter((c) => c.pid === pid).map(key).sort();
    expect(asyncAll).toEqual(netConnections({ kind: 'all' }).filter((c) => c.pid === pid).map(key).sort());
    const asyncProc = (await netConnectionsAsync({ kind: 'all', source: 'procfs' })).filter((c) => c.pid === pid).map(key).sort();
    expect(asyncProc).toEqual(asyncAll);
    expect(() => netConnections({ kind: 'bogus' as 'all' })).toThrow(RangeError);
    await expect(netConnectionsAsync({ kind: 'bogus' as 'all' })).rejects.toThrow(RangeError);
  });

  it('the async listing equals the sync one for the helper', async () => {
    const port = helper!.info.tcp.listen4;
    const a = (await inetSocketsAsync('tcp', 2)).sockets!.filter((s) => s.localPort === port && s.state === 10);
    const b = inetSockets('tcp', 2).sockets!.filter((s) => s.localPort === port && s.state === 10);
    expect(a).toEqual(b);
  });
});

describePsutil('netConnections on both sources', () => {
  let helper: Awaited<ReturnType<typeof startHelper>> | undefined;
  beforeAll(async () => {
    helper = await startHelper();
  });
  afterAll(() => stopHelper(helper?.child));

  it('equals psutil.net_connections for the helper\'s sockets (exact)', () => {
    const pid = helper!.info.pid;
    type P = { fd: number; family: number; type: number; laddr: unknown; raddr: unknown; status: string; pid: number | null };
    const norm = (a: unknown): unknown => {
      if (Array.isArray(a)) return a.length === 0 ? null : { ip: a[0], port: a[1] };
      if (a && typeof a === 'object') return a;
      return a;
    };
    for (const kind of ['all', 'inet', 'unix']) {
      const py = psutil<P[]>(`[c for c in psutil.net_connections('${kind}') if c.pid == ${pid}]`)
        .map((c) => JSON.stringify({ fd: c.fd, family: c.family, type: c.type, laddr: norm(c.laddr), raddr: norm(c.raddr), status: c.status, pid: c.pid }))
        .sort();
      for (const source of ['sock_diag', 'procfs'] as const) {
        const ours = netConnections({ kind: kind as 'all', source }).filter((c) => c.pid === pid)
          .map((c) => JSON.stringify({ fd: c.fd, family: c.family, type: c.type, laddr: c.laddr, raddr: c.raddr, status: c.status, pid: c.pid }))
          .sort();
        // psutil 5.9.4 gives '' for a unix path with whitespace; the helper has none.
        expect(ours, `${source} ${kind}`).toEqual(py);
      }
    }
  });
});
