/**
 * The kernel interface table as net-tools builds it (netstat -i, ifconfig
 * -s): the interfaces of /proc/net/dev plus the IPv4 alias labels
 * (eth0:1), sorted with net-tools' natural order, each with its flags, MTU
 * and every /proc/net/dev counter.
 */
import { native, isErrnoError } from '../../native/index.js';
import { netIfNames } from './netif.js';
import { readNetDev, type NetDevStats } from '../procfs/net-dev.js';

/** One row of the interface table. */
export interface InterfaceEntry {
  readonly name: string;
  /** IFF_* bits (SIOCGIFFLAGS). */
  readonly flags: number;
  readonly mtu: number;
  /** null for an alias label (its counters belong to the base interface). */
  readonly counters: NetDevStats | null;
}

/**
 * The interface table in net-tools' order. Every interface is listed (up or
 * not); an interface that disappears between the listing and the ioctls is
 * left out.
 */
export function interfaceTable(): InterfaceEntry[] {
  const dev = readNetDev();
  const counters = new Map(dev.map((d) => [d.name, d.counters]));
  // SIOCGIFCONF adds the interfaces with an IPv4 address under their labels (aliases included).
  const names = netIfNames({ dev, addrs: native.getifaddrs(), inet6: [] });
  const out: InterfaceEntry[] = [];
  for (const name of names) {
    let raw;
    try {
      raw = native.ifConfig(name);
    } catch (e) {
      if (isErrnoError(e) && (e.code === 'ENODEV' || e.code === 'ENXIO')) continue;
      throw e;
    }
    // net-tools prints MTU 0 when SIOCGIFMTU fails.
    out.push({ name, flags: raw.flags, mtu: raw.mtu ?? 0, counters: counters.get(name) ?? null });
  }
  return out;
}
