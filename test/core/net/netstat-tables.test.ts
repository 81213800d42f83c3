/**
 * The tables netstat reads besides sockets: routes, statistics, multicast
 * groups, the interface table, and the /etc name databases. Parsers against
 * captured and hand-made fixtures (test/fixtures/netstat), fuzzing, and the
 * live functions against getent, ip and psutil.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import { hostName, inetNetwork, lookupHostsEntry, networkName, parseHosts, parseNetworks } from '../../../src/core/net/hosts.js';
import { inetNtop as formatIP } from '../../../src/core/net/inet.js';
import { interfaceTable } from '../../../src/core/net/iftable.js';
import { compareIfNames } from '../../../src/core/net/netif.js';
import { parseNetDev as parseNetDevCounters } from '../../../src/core/procfs/net-dev.js';
import { multicastGroups, multicastGroups6, parseIgmp, parseIgmp6 } from '../../../src/core/net/igmp.js';
import { netIoView } from '../../../src/core/net/net.js';
import { parseIpv6Route, parseProcNetRoute, parseRtCache, routes, routes6 } from '../../../src/core/net/route.js';
import { getEtcPath, setEtcPath } from '../../../src/core/base/paths.js';
import { parseProtocols, parseServices, portNameTable, serviceName } from '../../../src/core/net/services.js';
import { netProtoStats, parseNameValue, parseSnmp } from '../../../src/core/net/snmp.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describeCommand, describePsutil, psutil, sh } from '../../helpers/oracle.js';
import { fixturePath } from '../../helpers/fixtures.js';

const FX = fixturePath('netstat');
const fx = (tree: string, file: string): string => readFileSync(join(FX, tree, 'net', file), 'utf8');
const etc = (file: string): string => readFileSync(join(FX, 'etc', file), 'utf8');

describe('routes', () => {
  it('parseProcNetRoute reads columns by the header\'s names', () => {
    const rs = parseProcNetRoute(fx('edge', 'route'));
    expect(rs).toHaveLength(12);
    expect(rs[0]).toEqual({ iface: 'eth0', destination: '0.0.0.0', gateway: '192.0.2.1', genmask: '0.0.0.0', flags: 3, refCnt: 0, use: 0, metric: 100, mtu: 0, window: 0, irtt: 0 });
    expect(rs[5]).toMatchObject({ destination: '10.5.0.0', flags: 0x1c3, metric: 7, mtu: 1300, window: 5000, irtt: 37 });
    // The same table with its columns in another order.
    const swapped = 'Gateway\tIface\tDestination\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n010200C0\teth0\t00000000\t0003\t0\t0\t5\t00000000\t0\t0\t0\n';
    expect(parseProcNetRoute(swapped)[0]).toMatchObject({ iface: 'eth0', gateway: '192.0.2.1', destination: '0.0.0.0', metric: 5 });
    expect(() => parseProcNetRoute('Iface\tDestination\n')).toThrow(ParseError);
    expect(parseProcNetRoute(fx('netns', 'route')).length).toBeGreaterThan(3);
    fuzzParser(parseProcNetRoute, [fx('edge', 'route'), fx('machine', 'route')]);
  });

  it('parseIpv6Route reads prefixes, next hops, 32-bit metrics and flags', () => {
    const rs = parseIpv6Route(fx('edge', 'ipv6_route'));
    expect(rs).toHaveLength(7);
    expect(rs[1]).toMatchObject({ destination: '::', destinationPrefix: 0, nextHop: 'fe80::1', metric: 1024, refCnt: 2, use: 5, flags: 0x450003, iface: 'eth0' });
    expect(rs[5]!.metric).toBe(0xffffffff);
    expect(rs[2]!.destination).toBe('2001:db8:1234:5678:9abc:def0:1234:0');
    expect(() => parseIpv6Route('00 01\n')).toThrow(ParseError);
    fuzzParser(parseIpv6Route, [fx('edge', 'ipv6_route'), fx('netns', 'ipv6_route')]);
  });

  it('parseRtCache: the header only since Linux 3.6', () => {
    expect(parseRtCache(fx('machine', 'rt_cache'))).toEqual([]);
    const row = `${fx('edge', 'rt_cache')}eth0\t0100007F\t00000000\t80000000\t0\t0\t0\t0100007F\t0\t0\t0\t0\t0\t0\t0100007F\n`;
    expect(parseRtCache(row)[0]).toMatchObject({ Iface: 'eth0', Destination: '0100007F' });
    fuzzParser(parseRtCache, [fx('edge', 'rt_cache')]);
  });

  describeCommand('ip', 'live routes vs ip(8)', () => {
    it('every IPv4 main-table route ip lists is in /proc/net/route', () => {
      const rs = routes()!;
      const ipOut = sh('ip', ['-4', 'route', 'show', 'table', 'main']).trim().split('\n').filter((l) => l !== '');
      // ip prints one line per route; /proc/net/route has one line per route too (main table).
      expect(rs.length).toBe(ipOut.length);
      const v6 = routes6()!;
      expect(v6.length).toBeGreaterThan(0);
    });
  });
});

describe('statistics', () => {
  it('parseSnmp keeps tables and counters in the kernel\'s order, negative values included', () => {
    const t = parseSnmp(fx('edge', 'snmp'));
    expect(t.map((x) => x.table)).toEqual(['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp', 'UdpLite', 'Foo']);
    const tcp = t.find((x) => x.table === 'Tcp')!;
    expect(tcp.counters[3]).toEqual(['MaxConn', -1]);
    expect(tcp.counters[14]).toEqual(['InCsumErrors', -3]);
    expect(parseSnmp(fx('edge', 'netstat')).map((x) => x.table)).toEqual(['TcpExt', 'IpExt', 'MPTcpExt']);
    expect(() => parseSnmp('Ip: A B\nIp: 1\n')).toThrow(ParseError);
    expect(() => parseSnmp('Ip: A\nTcp: 1\n')).toThrow(ParseError);
    expect(() => parseSnmp('Ip: A\n')).toThrow(ParseError);
    expect(() => parseSnmp('Ip: A\nIp: x\n')).toThrow(ParseError);
    fuzzParser((s) => parseSnmp(s), [fx('edge', 'snmp'), fx('machine', 'netstat'), fx('netns', 'snmp')]);
  });

  it('parseNameValue reads snmp6 and sctp/snmp', () => {
    const six = parseNameValue(fx('edge', 'snmp6'));
    expect(six[0]).toEqual(['Ip6InReceives', 500]);
    expect(parseNameValue(readFileSync(join(FX, 'edge', 'net', 'sctp', 'snmp'), 'utf8')).length).toBe(9);
    expect(() => parseNameValue('Ip6InReceives\n')).toThrow(ParseError);
    fuzzParser((s) => parseNameValue(s), [fx('edge', 'snmp6'), fx('machine', 'snmp6')]);
  });

  describeCommand('cat', 'live statistics', () => {
    it('an independent read of /proc/net/snmp and netstat lies between two netProtoStats() reads', () => {
      const a = netProtoStats();
      const snmp = parseSnmp(sh('cat', ['/proc/net/snmp']));
      const ext = parseSnmp(sh('cat', ['/proc/net/netstat']), '/proc/net/netstat');
      const b = netProtoStats();
      // Counters only grow, so the middle read is bracketed; gauges (current
      // connections, configuration) may move either way and are only checked
      // to be between the smaller and the larger of ours.
      const check = (ta: typeof snmp, tm: typeof snmp, tb: typeof snmp): void => {
        for (const t of tm) {
          const ca = ta.find((x) => x.table === t.table)!;
          const cb = tb.find((x) => x.table === t.table)!;
          t.counters.forEach(([name, v], i) => {
            const [lo, hi] = [Math.min(ca.counters[i]![1], cb.counters[i]![1]), Math.max(ca.counters[i]![1], cb.counters[i]![1])];
            expect(ca.counters[i]![0]).toBe(name);
            if (/^(CurrEstab|MaxConn|Rto|Forwarding|DefaultTTL)/.test(name)) {
              expect(v >= lo - 1000 && v <= hi + 1000, `${t.table} ${name}`).toBe(true);
            } else {
              expect(v >= ca.counters[i]![1] && v <= cb.counters[i]![1], `${t.table} ${name}: ${ca.counters[i]![1]} <= ${v} <= ${cb.counters[i]![1]}`).toBe(true);
            }
          });
        }
      };
      check(a.snmp!, snmp, b.snmp!);
      check(a.netstat!, ext, b.netstat!);
      expect(a.snmp6!.length).toBeGreaterThan(10);
    });
  });
});

describe('multicast groups', () => {
  it('parseIgmp reads each interface\'s groups (little-endian words), parseIgmp6 its lines', () => {
    const g = parseIgmp(fx('edge', 'igmp'));
    expect(g).toEqual([
      { family: 2, ifindex: 1, iface: 'lo', group: '224.0.0.1', users: 1 },
      { family: 2, ifindex: 2, iface: 'averylongifname', group: '224.0.0.1', users: 1 },
      { family: 2, ifindex: 2, iface: 'averylongifname', group: '239.255.255.250', users: 3 },
      { family: 2, ifindex: 2, iface: 'averylongifname', group: '224.0.0.251', users: 2 },
    ]);
    expect(parseIgmp6(fx('edge', 'igmp6'))[1]).toEqual({ family: 10, ifindex: 2, iface: 'averylongifname', group: 'ff02::1:ff00:1', users: 2 });
    expect(() => parseIgmp('Idx\tDevice\n\t\t\t\t010000E0     1 0:00000000\t\t0\n')).toThrow(ParseError);
    fuzzParser(parseIgmp, [fx('edge', 'igmp'), fx('machine', 'igmp')]);
    fuzzParser(parseIgmp6, [fx('edge', 'igmp6'), fx('machine', 'igmp6')]);
  });

  describeCommand('ip', 'live groups vs ip maddr', () => {
    it('every IPv4 group ip maddr shows is listed', () => {
      const ours = new Set(multicastGroups()!.map((g) => `${g.iface} ${g.group}`));
      const lines = sh('ip', ['-4', 'maddr', 'show']).split('\n');
      let dev = '';
      for (const l of lines) {
        const m = /^\d+:\s+(\S+)/.exec(l);
        if (m) dev = m[1]!;
        const g = /^\s+inet\s+(\S+)/.exec(l);
        if (g) expect(ours.has(`${dev} ${g[1]}`), `${dev} ${g[1]}`).toBe(true);
      }
      expect(multicastGroups6()!.length).toBeGreaterThan(0);
    });
  });
});

describe('interface table', () => {
  it('parseNetDev keeps all sixteen counters; psutil\'s view (net.ts netIoView) takes its eight', () => {
    for (const tree of ['machine', 'netns']) {
      const full = parseNetDevCounters(fx(tree, 'dev'));
      expect(full.length).toBeGreaterThan(0);
      const short = Object.fromEntries(full.map((e) => [e.name, netIoView(e.counters)]));
      for (const { name, counters: c } of full) {
        expect(short[name]).toEqual({
          bytesSent: c.txBytes, bytesRecv: c.rxBytes, packetsSent: c.txPackets, packetsRecv: c.rxPackets,
          errin: c.rxErrors, errout: c.txErrors, dropin: c.rxDropped, dropout: c.txDropped,
        });
      }
    }
    expect(() => parseNetDevCounters('eth0: 1 2 3\n')).toThrow(ParseError);
    fuzzParser(parseNetDevCounters, [fx('machine', 'dev'), fx('netns', 'dev')]);
  });

  it('compareIfNames (nstrcmp) orders as net-tools does (its own test cases)', () => {
    const sign = (n: number): number => Math.sign(n);
    const cases: Array<[string, string, number]> = [
      ['eth1', 'eth1', 0], ['eth0:1', 'eth0:1', 0], ['lan', 'lan', 0], ['100', '100', 0], ['', '', 0], [':', ':', 0], ['a:b:c', 'a:b:c', 0],
      ['a:', 'a:', 0], [':a', ':a', 0], ['a', 'aa', -1], ['eth0', 'eth1', -1], ['eth1', 'eth20', -1], ['eth20', 'eth100', -1],
      ['eth1', 'eth13', -1], ['eth', 'eth2', -1], ['eth0:1', 'eth0:2', -1], ['eth1:10', 'eth13:10', -1], ['eth1:1', 'eth1:13', -1],
      ['a', 'a:', -1], ['aa', 'a', 1], ['eth2', 'eth1', 1], ['eth13', 'eth1', 1], ['eth2', 'eth', 1], ['eth2:10', 'eth2:1', 1],
      ['eth2:5', 'eth2:4', 1], ['eth3:2', 'eth2:3', 1], ['eth13:1', 'eth1:0', 1], ['a:', 'a', 1], ['a1b12', 'a1b2', 1],
      ['eth1', 'eth01', 1], ['eth01', 'eth1', -1], ['eth1:1', 'eth01:1', 1], ['eth01:1', 'eth1:1', -1], ['eth1:1', 'eth01:01', 1],
      ['eth1:01', 'eth01:1', 1], ['eth01:1', 'eth1:01', -1], ['eth01:01', 'eth1:1', -1],
    ];
    for (const [a, b, want] of cases) expect(sign(compareIfNames(a, b)), `${a} vs ${b}`).toBe(want);
  });

  describePsutil('live interface table', () => {
    it('lists every interface with psutil\'s MTU and flags, in nstrcmp order', () => {
      const table = interfaceTable();
      const py = psutil<Record<string, { mtu: number; flags: string; isup: boolean }>>('psutil.net_if_stats()');
      const names = table.filter((e) => e.counters !== null).map((e) => e.name);
      expect(new Set(names)).toEqual(new Set(Object.keys(py)));
      for (const e of table) {
        if (!py[e.name]) continue;
        expect(e.mtu).toBe(py[e.name]!.mtu);
        expect((e.flags & 0x1) !== 0).toBe(py[e.name]!.flags.split(',').includes('up'));
      }
      expect([...names].sort(compareIfNames)).toEqual(names);
    });
  });
});

describe('name databases', () => {
  const saved = getEtcPath();
  afterAll(() => setEtcPath(saved));

  it('services: ports per protocol, the last entry of a port wins (net-tools\' list), raw names from protocols', () => {
    const s = parseServices(etc('services'));
    expect(s.map((x) => x.name)).toEqual(['tcpmux', 'ssh', 'domain', 'domain', 'http', 'first-name', 'second-name', 'sctponly', 'udponly']);
    expect(s[4]).toEqual({ name: 'http', port: 80, protocol: 'tcp', aliases: ['www'] });
    const p = parseProtocols(etc('protocols'));
    expect(p.map((x) => x.number)).toEqual([0, 1, 6, 17, 58]);
    expect(portNameTable(s, 'tcp').get(4000)).toBe('second-name');
    expect(portNameTable(s, 'raw', p).get(1)).toBe('icmp');
    setEtcPath(join(FX, 'etc'));
    expect(serviceName(22, 'tcp')).toBe('ssh');
    expect(serviceName(53, 'udp')).toBe('domain');
    expect(serviceName(5000, 'tcp')).toBeNull();
    expect(serviceName(9999, 'sctp')).toBeNull();
    expect(serviceName(58, 'raw')).toBe('ipv6-icmp');
    setEtcPath(join(FX, 'no-such-etc'));
    expect(serviceName(22, 'tcp')).toBeNull();
    setEtcPath(saved);
    fuzzParser(parseServices, [etc('services'), readFileSync('/etc/services', 'utf8').slice(0, 2000)]);
    fuzzParser(parseProtocols, [etc('protocols')]);
  });

  it('hosts: the first line with an address gives its first name; families do not mix', () => {
    const h = parseHosts(etc('hosts'));
    expect(h.map((e) => e.names[0])).toEqual(['localhost', 'second-localhost', 'ip6-localhost', 'linklocal-with-zone', 'gateway.example.org', 'v6host', 'mapped-entry']);
    expect(lookupHostsEntry(h, '127.0.0.1')).toBe('localhost');
    expect(lookupHostsEntry(h, '::1')).toBe('ip6-localhost');
    expect(lookupHostsEntry(h, '2001:db8:0::1')).toBe('v6host');
    expect(lookupHostsEntry(h, 'fe80::1')).toBe('linklocal-with-zone');
    // ::ffff:10.0.0.2 is named by its own IPv6 line; 10.0.0.2 is not.
    expect(lookupHostsEntry(h, '::ffff:10.0.0.2')).toBe('mapped-entry');
    expect(lookupHostsEntry(h, '10.0.0.2')).toBeNull();
    expect(lookupHostsEntry(h, '::ffff:127.0.0.1')).toBeNull();
    expect(lookupHostsEntry(h, Uint8Array.of(10, 0, 0, 1))).toBe('gateway.example.org');
    setEtcPath(join(FX, 'etc'));
    expect(hostName('10.0.0.1')).toBe('gateway.example.org');
    expect(networkName(0x7f000000)).toBe('loopback');
    expect(networkName(0x0a07)).toBe('short');
    expect(networkName(0x0a08)).toBe('hexnet');
    setEtcPath(saved);
    fuzzParser(parseHosts, [etc('hosts')]);
    fuzzParser(parseNetworks, [etc('networks')]);
  });

  it('inetNetwork packs 1-4 parts as inet_network does', () => {
    expect(inetNetwork('127.0.0.0')).toBe(0x7f000000);
    expect(inetNetwork('169.254')).toBe(0xa9fe);
    expect(inetNetwork('10')).toBe(10);
    expect(inetNetwork('0x0a.010')).toBe(0x0a08);
    expect(inetNetwork('1.2.3.4.5')).toBeNull();
    expect(inetNetwork('256')).toBeNull();
    expect(inetNetwork('')).toBeNull();
  });

  describeCommand('getent', 'vs getent (files source)', () => {
    it('every address of /etc/hosts resolves as getent hosts says; every unique service as getent services', () => {
      for (const e of parseHosts(readFileSync('/etc/hosts', 'utf8'))) {
        const addr = formatIP(e.address);
        const out = sh('getent', ['hosts', addr]).trim().split(/\s+/);
        expect(hostName(addr), addr).toBe(out[1]);
      }
      const svc = parseServices(readFileSync('/etc/services', 'utf8'));
      const count = new Map<string, number>();
      for (const s of svc) count.set(`${s.port}/${s.protocol}`, (count.get(`${s.port}/${s.protocol}`) ?? 0) + 1);
      for (const s of svc.filter((x) => (x.protocol === 'tcp' || x.protocol === 'udp') && count.get(`${x.port}/${x.protocol}`) === 1).slice(0, 60)) {
        expect(serviceName(s.port, s.protocol)).toBe(sh('getent', ['services', `${s.port}/${s.protocol}`]).trim().split(/\s+/)[0]);
      }
      expect(networkName(0x7f000000)).toBe(sh('getent', ['networks', 'loopback']).trim().split(/\s+/)[0]);
    });
  });
});
