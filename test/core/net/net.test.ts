import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6, AF_LINK, IFF_FLAGS } from '../../../src/core/base/constants.js';
import { ParseError } from '../../../src/core/base/errors.js';
import { buildIfAddrs, ifFlagsString, netIfAddrs, netIfStats, netIoCounters, netIoView, type NetIoCounters } from '../../../src/core/net/net.js';
import { parseNetDev as parseNetDevRecords } from '../../../src/core/procfs/net-dev.js';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { resetNowrapCache } from '../../../src/core/sample/wrap.js';
import type { RawIfAddr } from '../../../src/native/index.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describeCommand, describePsutil, psutil, sh } from '../../helpers/oracle.js';
import { fixturePath } from '../../helpers/fixtures.js';

const FIX = fixturePath('net');
const fixture = (name: string): string => readFileSync(join(FIX, name), 'utf8');
// /proc/net/dev captures: test/fixtures/proc/<case>/net/dev.
const netDev = (c: string): string => readFileSync(fixturePath('proc', c, 'net', 'dev'), 'utf8');

const origProc = getProcfsPath();
afterEach(() => {
  setProcfsPath(origProc);
  resetNowrapCache();
});

function fromPsutilIo(p: Record<string, number>): NetIoCounters {
  return {
    bytesSent: p.bytes_sent!, bytesRecv: p.bytes_recv!, packetsSent: p.packets_sent!, packetsRecv: p.packets_recv!,
    errin: p.errin!, errout: p.errout!, dropin: p.dropin!, dropout: p.dropout!,
  };
}

const counters = (recv: number[], sent: number[]): NetIoCounters => ({
  bytesRecv: recv[0]!, packetsRecv: recv[1]!, errin: recv[2]!, dropin: recv[3]!,
  bytesSent: sent[0]!, packetsSent: sent[1]!, errout: sent[2]!, dropout: sent[3]!,
});

// ------------------------------------------------------------------ parser

/** psutil's view of the one /proc/net/dev parser, keyed by interface as psutil's dict. */
const parseNetDev = (text: string): Record<string, NetIoCounters> =>
  Object.fromEntries(parseNetDevRecords(text).map((e) => [e.name, netIoView(e.counters)]));

describe('parseNetDev', () => {
  it('reads the net/dev captured on this machine', () => {
    const d = parseNetDev(netDev('netdev-captured-2'));
    expect(Object.keys(d)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    expect(d.lo).toEqual(counters([3245, 30, 0, 0], [3245, 30, 0, 0]));
    expect(d.eth0!.bytesRecv).toBeGreaterThan(0);
    expect(d.ifb0).toEqual(counters([0, 0, 0, 0], [0, 0, 0, 0]));
  });

  it('splits at the last colon (alias names), with or without a space after it, extra fields ignored', () => {
    const d = parseNetDev(netDev('netdev-psutil-edge'));
    expect(Object.keys(d)).toEqual(['lo', 'eth0:1', 'eth1', 'wlan0', 'veth-a.b_c@x']);
    expect(d['eth0:1']).toEqual(counters([100, 2, 3, 4], [200, 5, 6, 7]));
    expect(d.eth1).toEqual(counters([123456789012, 987654, 1, 2], [210987654321, 876543, 3, 4]));
    expect(d.wlan0).toEqual(counters([1, 2, 3, 4], [9, 10, 11, 12]));
    // u64 counters beyond 2^53 lose precision in a JS number
    expect(d['veth-a.b_c@x']!.bytesRecv).toBe(Number('18446744073709551615'));
  });

  it('rejects lines without a colon, short lines and non-numbers', () => {
    expect(() => parseNetDev('eth0 1 2 3\n')).toThrow(ParseError);
    expect(() => parseNetDev('eth0: 1 2 3\n')).toThrow(ParseError);
    expect(() => parseNetDev('eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n')).toThrow(ParseError);
    expect(() => parseNetDev(': 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n')).toThrow(ParseError);
  });

  it('survives fuzzing', () => {
    fuzzParser(parseNetDev, [netDev('netdev-captured-2'), netDev('netdev-psutil-edge'), fixture('wrap/1/net/dev')]);
  });
});

// ------------------------------------------------------------------ counters on fixtures

describe('netIoCounters on fixture trees', () => {
  const seq = ['1', '2', '3'].map((i) => join(FIX, 'wrap', i));

  it('totals sum every interface, loopback included', () => {
    setProcfsPath(seq[0]!);
    expect(netIoCounters({ nowrap: false })).toEqual(counters([1000 + 4294967000, 10 + 4294967290, 1, 0], [1000 + 4294967200, 10 + 100, 0, 2]));
  });

  it('nowrap: 32-bit counters wrapping once and twice stay monotonic; a new NIC comes in raw', () => {
    const steps = seq.map((p) => {
      setProcfsPath(p);
      return netIoCounters({ pernic: true });
    });
    // eth0 bytes received: 4294967000 → 500 (wrapped: +4294967000) → 200 (wrapped again: +500)
    expect(steps.map((s) => s.eth0!.bytesRecv)).toEqual([4294967000, 4294967500, 4294967700]);
    // packets received: 4294967290 → 3 (wrapped) → 5
    expect(steps.map((s) => s.eth0!.packetsRecv)).toEqual([4294967290, 4294967293, 4294967295]);
    // bytes sent: 4294967200 → 4294967295 → 96 (wrapped in step 3 only)
    expect(steps.map((s) => s.eth0!.bytesSent)).toEqual([4294967200, 4294967295, 4294967391]);
    expect(steps.map((s) => s.lo!.bytesRecv)).toEqual([1000, 2000, 3000]);
    expect(steps[2]!.eth9).toEqual(counters([7, 1, 0, 0], [8, 1, 0, 0]));
    setProcfsPath(seq[2]!);
    expect(netIoCounters({ pernic: true, nowrap: false }).eth0!.bytesRecv).toBe(200);
  });

  describePsutil('wrap sequence through psutil.PROCFS_PATH', () => {
    it('pernic and totals with nowrap equal psutil for the same sequence', () => {
      for (const pernic of [true, false]) {
        resetNowrapCache();
        const theirs = psutil<unknown[]>(
          `[(setattr(psutil, 'PROCFS_PATH', p), psutil.net_io_counters(pernic=${pernic ? 'True' : 'False'}))[1] for p in ${JSON.stringify(seq)}]`,
        );
        const ours = seq.map((p) => {
          setProcfsPath(p);
          return netIoCounters({ pernic });
        });
        const conv = pernic
          ? theirs.map((s) => Object.fromEntries(Object.entries(s as Record<string, Record<string, number>>).map(([k, v]) => [k, fromPsutilIo(v)])))
          : theirs.map((s) => fromPsutilIo(s as Record<string, number>));
        expect(ours).toEqual(conv);
      }
    });
  });
});

// ------------------------------------------------------------------ addresses, from hand-made getifaddrs entries

describe('buildIfAddrs (psutil\'s conversion of getifaddrs entries)', () => {
  const IFF_UP = 0x1, IFF_BROADCAST = 0x2, IFF_LOOPBACK = 0x8, IFF_POINTOPOINT = 0x10;
  const mac = (s: string): Buffer => Buffer.from(s.split(':').map((x) => parseInt(x, 16)));
  const raw = (o: Partial<RawIfAddr> & Pick<RawIfAddr, 'name' | 'family'>): RawIfAddr =>
    ({ flags: IFF_UP | IFF_BROADCAST, address: null, netmask: null, broadcast: null, ptp: null, ...o });

  it('orders by family (IPv4, IPv6, link) keeping kernel order within one, keys by first appearance', () => {
    const r = buildIfAddrs([
      raw({ name: 'eth0', family: AF_LINK, address: mac('02:fc:00:00:00:01'), broadcast: mac('ff:ff:ff:ff:ff:ff') }),
      raw({ name: 'tun0', family: AF_LINK, flags: IFF_UP | IFF_POINTOPOINT, address: Buffer.alloc(0) }),
      raw({ name: 'eth0', family: AF_INET, address: '192.0.2.2', netmask: '255.255.255.0', broadcast: '192.0.2.255' }),
      raw({ name: 'eth0:1', family: AF_INET, address: '192.0.2.3', netmask: '255.255.255.0', broadcast: '192.0.2.255' }),
      raw({ name: 'eth0', family: AF_INET6, address: 'fd00::2', netmask: 'ffff:ffff:ffff:ffff::' , scopeId: 0 }),
      raw({ name: 'eth0', family: AF_INET6, address: 'fe80::fc:ff:fe00:1', netmask: 'ffff:ffff:ffff:ffff::', scopeId: 4 }),
      raw({ name: 'tun0', family: AF_INET, flags: IFF_UP | IFF_POINTOPOINT, address: '10.8.0.1', netmask: '255.255.255.255', ptp: '10.8.0.2' }),
    ]);
    expect(Object.keys(r)).toEqual(['eth0', 'eth0:1', 'tun0']);
    expect(r.eth0).toEqual([
      { family: AF_INET, address: '192.0.2.2', netmask: '255.255.255.0', broadcast: '192.0.2.255', ptp: null },
      { family: AF_INET6, address: 'fd00::2', netmask: 'ffff:ffff:ffff:ffff::', broadcast: null, ptp: null },
      { family: AF_INET6, address: 'fe80::fc:ff:fe00:1%eth0', netmask: 'ffff:ffff:ffff:ffff::', broadcast: null, ptp: null },
      { family: AF_LINK, address: '02:fc:00:00:00:01', netmask: null, broadcast: 'ff:ff:ff:ff:ff:ff', ptp: null },
    ]);
    // point-to-point: ptp, no broadcast; the empty hardware address is dropped
    expect(r.tun0).toEqual([{ family: AF_INET, address: '10.8.0.1', netmask: '255.255.255.255', broadcast: null, ptp: '10.8.0.2' }]);
  });

  it('drops entries without an address or of other families; no broadcast without IFF_BROADCAST', () => {
    const r = buildIfAddrs([
      raw({ name: 'x', family: -1 }),
      raw({ name: 'x', family: 4 /* AF_IPX */, address: null }),
      raw({ name: 'lo', family: AF_INET, flags: IFF_UP | IFF_LOOPBACK, address: '127.0.0.1', netmask: '255.0.0.0', broadcast: '127.0.0.1' }),
    ]);
    expect(r).toEqual({ lo: [{ family: AF_INET, address: '127.0.0.1', netmask: '255.0.0.0', broadcast: null, ptp: null }] });
  });

  it('pads short hardware addresses with :00 to six bytes, leaves long ones', () => {
    const r = buildIfAddrs([
      raw({ name: 'a', family: AF_LINK, address: mac('ab:cd') }),
      raw({ name: 'ib0', family: AF_LINK, address: Buffer.from(Array.from({ length: 8 }, (_, i) => i + 0xa0)) }),
    ]);
    expect(r.a![0]!.address).toBe('ab:cd:00:00:00:00');
    expect(r.ib0![0]!.address).toBe('a0:a1:a2:a3:a4:a5:a6:a7');
  });

  it('names the scope of link-local IPv6 (unicast and multicast) by interface, others by number', () => {
    const r = buildIfAddrs([
      raw({ name: 'e', family: AF_INET6, address: 'ff02::1', scopeId: 3 }),
      raw({ name: 'e', family: AF_INET6, address: 'fec0::1', scopeId: 3 }),
      raw({ name: 'e', family: AF_INET6, address: 'febf::1', scopeId: 3 }),
    ]);
    expect(r.e!.map((a) => a.address)).toEqual(['ff02::1%e', 'fec0::1%3', 'febf::1%e']);
  });
});

describe('ifFlagsString', () => {
  it('lists set flags by bit order with psutil\'s names', () => {
    expect(ifFlagsString(0x1043)).toBe('up,broadcast,running,multicast');
    expect(ifFlagsString(0x49)).toBe('up,loopback,running');
    expect(ifFlagsString(0)).toBe('');
    expect(ifFlagsString(0xffff).split(',')).toHaveLength(IFF_FLAGS.length);
  });
});

// ------------------------------------------------------------------ against the machine

describePsutil('network on this machine', () => {
  it('netIfAddrs equals psutil.net_if_addrs() (every interface, family, address, netmask, broadcast, ptp, order)', () => {
    const ours = netIfAddrs();
    const theirs = psutil<Record<string, unknown[]>>('psutil.net_if_addrs()');
    expect(ours).toEqual(theirs);
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
  });

  it('netIfStats equals psutil.net_if_stats() (isup from IFF_RUNNING in both, duplex, speed, mtu, flags)', () => {
    const ours = netIfStats();
    const theirs = psutil<Record<string, Record<string, unknown>>>('psutil.net_if_stats()');
    expect(ours).toEqual(theirs);
    // psutil lists the interfaces of net/dev; so do we
    expect(Object.keys(ours)).toEqual(Object.keys(parseNetDev(readFileSync('/proc/net/dev', 'utf8'))));
  });

  // Counters only grow (nowrap), so psutil's sample, taken between two ptools
  // samples, lies between them field by field: exact, no tolerance needed,
  // however much traffic flows meanwhile.
  it('netIoCounters({pernic}) has psutil\'s keys, and psutil\'s counters lie between two ptools samples', () => {
    const before = netIoCounters({ pernic: true });
    const theirs = psutil<Record<string, Record<string, number>>>('psutil.net_io_counters(pernic=True)');
    const after = netIoCounters({ pernic: true });
    expect(Object.keys(before)).toEqual(Object.keys(theirs));
    for (const [name, t] of Object.entries(theirs)) {
      const p = fromPsutilIo(t);
      for (const k of Object.keys(p) as (keyof NetIoCounters)[]) {
        expect(before[name]![k], `${name}.${k}`).toBeLessThanOrEqual(p[k]);
        expect(p[k], `${name}.${k}`).toBeLessThanOrEqual(after[name]![k]);
      }
    }
  });

  it('netIoCounters() totals: psutil\'s lie between two ptools samples', () => {
    const before = netIoCounters()!;
    const theirs = fromPsutilIo(psutil<Record<string, number>>('psutil.net_io_counters()'));
    const after = netIoCounters()!;
    for (const k of Object.keys(theirs) as (keyof NetIoCounters)[]) {
      expect(before[k], k).toBeLessThanOrEqual(theirs[k]);
      expect(theirs[k], k).toBeLessThanOrEqual(after[k]);
    }
  });
});

interface IpAddrInfo { family: string; local: string; prefixlen: number; broadcast?: string; address?: string; scope: string; label?: string }
interface IpLink { ifname: string; flags: string[]; mtu: number; operstate: string; address?: string; broadcast?: string; link_type: string; addr_info?: IpAddrInfo[] }

function prefixToMask(family: number, prefix: number): string {
  if (family === AF_INET) {
    const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return [24, 16, 8, 0].map((s) => (m >>> s) & 0xff).join('.');
  }
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) {
    const bits = Math.max(0, Math.min(16, prefix - 16 * i));
    groups.push(((0xffff << (16 - bits)) & 0xffff).toString(16));
  }
  // inet_ntop's form: the longest run (two or more) of zero groups becomes '::'
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

describeCommand('ip', 'network vs ip -j', () => {
  it('netIfAddrs agrees with ip -j addr: addresses, prefix lengths, broadcast and MAC per interface', () => {
    const links = JSON.parse(sh('ip', ['-j', 'addr'])) as IpLink[];
    const ours = netIfAddrs();
    const fromIp: Record<string, { family: number; address: string; netmask: string | null; broadcast: string | null }[]> = {};
    for (const l of links) {
      for (const a of l.addr_info ?? []) {
        if (a.family === 'inet') {
          (fromIp[a.label ?? l.ifname] ??= []).push({ family: AF_INET, address: a.local, netmask: prefixToMask(AF_INET, a.prefixlen), broadcast: a.broadcast ?? null });
        } else if (a.family === 'inet6') {
          const address = a.scope === 'link' ? `${a.local}%${l.ifname}` : a.local;
          (fromIp[l.ifname] ??= []).push({ family: AF_INET6, address, netmask: prefixToMask(AF_INET6, a.prefixlen), broadcast: null });
        }
      }
      if (l.address && l.address !== '') {
        const bcast = l.flags.includes('BROADCAST') ? l.broadcast ?? null : null;
        (fromIp[l.ifname] ??= []).push({ family: AF_LINK, address: l.address, netmask: null, broadcast: bcast });
      }
    }
    const sortKey = (x: { family: number; address: string }): string => `${x.family}/${x.address}`;
    const norm = (r: Record<string, { family: number; address: string; netmask: string | null; broadcast: string | null }[]>) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.map(({ family, address, netmask, broadcast }) => ({ family, address, netmask, broadcast })).sort((a, b) => sortKey(a).localeCompare(sortKey(b)))]));
    expect(norm(ours)).toEqual(norm(fromIp));
  });

  it('netIfStats agrees with ip -j link: mtu, flags (ip hides RUNNING), isup = UP with operstate UP/UNKNOWN', () => {
    const links = JSON.parse(sh('ip', ['-j', 'link'])) as IpLink[];
    const stats = netIfStats();
    const names = new Set(IFF_FLAGS.map(([, n]) => n));
    for (const l of links) {
      const s = stats[l.ifname];
      expect(s, l.ifname).toBeDefined();
      expect(s!.mtu, l.ifname).toBe(l.mtu);
      // ip adds LOWER_UP/DORMANT/ECHO (not in SIOCGIFFLAGS' 16 bits) and NO-CARRIER, and omits RUNNING
      const ipFlags = l.flags.map((f) => f.toLowerCase()).filter((f) => names.has(f)).sort();
      expect(s!.flags.split(',').filter((f) => f !== '' && f !== 'running').sort(), l.ifname).toEqual(ipFlags);
      // the kernel sets IFF_RUNNING when the interface is up and its operstate is up or unknown
      expect(s!.isup, l.ifname).toBe(l.flags.includes('UP') && ['UP', 'UNKNOWN'].includes(l.operstate));
    }
    expect(Object.keys(stats).sort()).toEqual(links.map((l) => l.ifname).sort());
  });
});
