import { fixturePath } from '../../helpers/fixtures.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import {
  compareIfNames, netIfDetails, netIfNames, netIfSnapshot, parseIfInet6, sortIfNames,
} from '../../../src/core/net/netif.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { PYTHON, describeCommand, describePsutil, psutil, sh } from '../../helpers/oracle.js';

// /proc/net/if_inet6 captures: test/fixtures/proc/<case>/net/if_inet6.
const fixture = (c: string): string => readFileSync(fixturePath('proc', c, 'net', 'if_inet6'), 'utf8');

// ------------------------------------------------------------------ parsers

describe('parseIfInet6', () => {
  it('reads the if_inet6 captured here: addresses as net-tools prints them, hex numbers', () => {
    const a = parseIfInet6(fixture('ifinet6-captured'));
    expect(a.map((x) => [x.name, x.address, x.prefixlen, x.scope])).toEqual([
      ['lo', '::1', 128, 0x10],
      ['eth0', 'fe80::fc:ff:fe00:1', 64, 0x20],
      ['eth0', 'fd00::2', 64, 0x00],
    ]);
  });
  it('hand-made: mapped and compatible IPv4, site-local, long names, multicast', () => {
    const a = parseIfInet6(fixture('ifinet6-edge'));
    expect(a.map((x) => x.address)).toEqual(['1.2.3.4', '::1.2.3.4', 'fec0::1', '2001:db8:0:1::', 'ff02::1']);
    expect(a[1]!.prefixlen).toBe(0x60);
    expect(a[1]!.scope).toBe(0x80);
    expect(a[3]!.name).toBe('veryveryverylon');
  });
  it('rejects bad lines with ParseError', () => {
    expect(() => parseIfInet6('zz 01 80 10 80 lo\n')).toThrow(ParseError);
    expect(() => parseIfInet6('00000000000000000000000000000001 01 80\n')).toThrow(ParseError);
  });
  it('survives fuzzing', () => {
    fuzzParser(parseIfInet6, [fixture('ifinet6-captured'), fixture('ifinet6-edge'), fixture('ifinet6-netns')]);
  });
});

describe('compareIfNames (net-tools nstrcmp)', () => {
  // net-tools' own test vectors (lib/nstrcmp.c), with the sign they expect.
  const vectors: Array<[string, string, number]> = [
    ['eth1', 'eth1', 0], ['eth0:1', 'eth0:1', 0], ['lan', 'lan', 0], ['100', '100', 0], ['', '', 0], [':', ':', 0],
    ['a:b:c', 'a:b:c', 0], ['a:', 'a:', 0], [':a', ':a', 0],
    ['a', 'aa', -1], ['eth0', 'eth1', -1], ['eth1', 'eth20', -1], ['eth20', 'eth100', -1], ['eth1', 'eth13', -1],
    ['eth', 'eth2', -1], ['eth0:1', 'eth0:2', -1], ['eth1:10', 'eth13:10', -1], ['eth1:1', 'eth1:13', -1], ['a', 'a:', -1],
    ['aa', 'a', 1], ['eth2', 'eth1', 1], ['eth13', 'eth1', 1], ['eth2', 'eth', 1], ['eth2:10', 'eth2:1', 1],
    ['eth2:5', 'eth2:4', 1], ['eth3:2', 'eth2:3', 1], ['eth13:1', 'eth1:0', 1], ['a:', 'a', 1], ['a1b12', 'a1b2', 1],
    ['eth1', 'eth01', 1], ['eth01', 'eth1', -1], ['eth1:1', 'eth01:1', 1], ['eth01:1', 'eth1:1', -1],
    ['eth1:1', 'eth01:01', 1], ['eth1:01', 'eth01:1', 1], ['eth01:1', 'eth1:01', -1], ['eth01:01', 'eth1:1', -1],
  ];
  it.each(vectors)('nstrcmp(%j, %j) has sign %i', (a, b, sign) => {
    expect(Math.sign(compareIfNames(a, b))).toBe(sign);
  });
  it('sorts the way ifconfig -a lists: eth0, ifb0, ifb1, lo; aliases after their device; duplicates once', () => {
    expect(sortIfNames(['lo', 'ifb0', 'ifb1', 'eth0'])).toEqual(['eth0', 'ifb0', 'ifb1', 'lo']);
    expect(sortIfNames(['eth10', 'eth2', 'eth0:1', 'eth0', 'eth0:1', 'br0'])).toEqual(['br0', 'eth0', 'eth0:1', 'eth2', 'eth10']);
  });
});

// ------------------------------------------------------------------ machine

describePsutil('netIfDetails vs psutil', () => {
  it('MTU, up/running, hardware address and counters of every interface', () => {
    const snap = netIfSnapshot();
    const names = netIfNames(snap);
    const stats = psutil<Record<string, { isup: boolean; mtu: number; flags: string }>>('psutil.net_if_stats()');
    const addrs = psutil<Record<string, Array<{ family: number; address: string }>>>('psutil.net_if_addrs()');
    const io = psutil<Record<string, { bytes_recv: number; packets_recv: number; packets_sent: number; errin: number; dropin: number }>>(
      'psutil.net_io_counters(pernic=True, nowrap=False)',
    );
    const snap2 = netIfSnapshot();
    for (const name of Object.keys(stats)) expect(names).toContain(name);
    for (const name of names.filter((n) => !n.includes(':'))) {
      const d = netIfDetails(name, snap)!;
      expect(d, name).not.toBeNull();
      expect(d.mtu, name).toBe(stats[name]!.mtu);
      expect((d.flags & 0x40) !== 0, name).toBe(stats[name]!.isup);
      const link = addrs[name]?.find((a) => a.family === 17);
      if (link && d.hwaddr) expect(d.hwaddr, name).toBe(link.address);
      // Counters move with any traffic on this machine: psutil's lie between our two snapshots around it.
      const p = io[name]!;
      const d2 = netIfDetails(name, snap2)!;
      for (const [ours, later, theirs, what] of [
        [d.stats!.rxPackets, d2.stats!.rxPackets, p.packets_recv, 'rx packets'],
        [d.stats!.rxBytes, d2.stats!.rxBytes, p.bytes_recv, 'rx bytes'],
        [d.stats!.rxErrors, d2.stats!.rxErrors, p.errin, 'rx errors'],
      ] as const) {
        expect(theirs, `${name} ${what}`).toBeGreaterThanOrEqual(ours);
        expect(theirs, `${name} ${what}`).toBeLessThanOrEqual(later);
      }
    }
  });
});

describeCommand('ip', 'netIfDetails vs ip -j (link type, txqueuelen, addresses)', () => {
  it('agrees with iproute2 for every device', () => {
    const links = JSON.parse(sh('ip', ['-j', '-d', 'link', 'show'])) as Array<{ ifname: string; link_type: string; txqlen?: number; address?: string; mtu: number }>;
    const addrs = JSON.parse(sh('ip', ['-j', 'addr', 'show'])) as Array<{ ifname: string; addr_info: Array<{ family: string; local: string; prefixlen: number; label?: string; scope: string }> }>;
    const snap = netIfSnapshot();
    for (const l of links) {
      const d = netIfDetails(l.ifname, snap)!;
      expect(d.mtu).toBe(l.mtu);
      if (l.txqlen !== undefined) expect(d.txqueuelen, l.ifname).toBe(l.txqlen);
      const typeName: Record<number, string> = { 1: 'ether', 772: 'loopback', 65534: 'none', 776: 'sit' };
      if (d.type !== null && typeName[d.type]) expect(typeName[d.type], l.ifname).toBe(l.link_type);
      if (l.link_type === 'ether') expect(d.hwaddr).toBe(l.address);
      const a = addrs.find((x) => x.ifname === l.ifname)!;
      const v4 = a.addr_info.filter((x) => x.family === 'inet' && (x.label ?? l.ifname) === l.ifname);
      expect(d.inet?.address ?? null, l.ifname).toBe(v4[0]?.local ?? null);
      const v6 = a.addr_info.filter((x) => x.family === 'inet6').map((x) => `${x.local}/${x.prefixlen}`).sort();
      expect(d.inet6.map((x) => `${x.address}/${x.prefixlen}`).sort(), l.ifname).toEqual(v6);
    }
  });
  it('an unknown device is null, an alias of a device has its flags', () => {
    expect(netIfDetails('nosuchdev0')).toBeNull();
    expect(netIfDetails('')).toBeNull();
    expect(netIfDetails('x'.repeat(16))).toBeNull();
    const d = netIfDetails('lo:77')!;
    expect(d.flags).toBe(netIfDetails('lo')!.flags);
    expect(d.stats).toBeNull();
    expect(d.inet).toBeNull();
  });
});
