/**
 * The kernel interface table as net-tools builds it (netstat -i, ifconfig
 * -s): the interfaces of /proc/net/dev plus the IPv4 alias labels
 * (eth0:1), sorted with net-tools' natural order, each with its flags, MTU
 * and every /proc/net/dev counter.
 */
import { native, isErrnoError } from '../../native/index.js';
import { AF_INET } from '../base/constants.js';
import { compareIfNames } from './netif.js';
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
  const names = new Set(dev.map((d) => d.name));
  // SIOCGIFCONF adds the interfaces with an IPv4 address under their labels (aliases included).
  for (const a of native.getifaddrs()) if (a.family === AF_INET) names.add(a.name);
  const sorted = [...names].sort(compareIfNames);
  const out: InterfaceEntry[] = [];
  for (const name of sorted) {
    let raw;
    try {
      raw = native.ifStats(name);
    } catch (e) {
      if (isErrnoError(e) && (e.code === 'ENODEV' || e.code === 'ENXIO')) continue;
      throw e;
    }
    out.push({ name, flags: raw.flags, mtu: raw.mtu, counters: counters.get(name) ?? null });
  }
  return out;
}
