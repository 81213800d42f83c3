/**
 * Network interfaces: I/O counters, addresses, and link stats — psutil's
 * net_io_counters(), net_if_addrs(), net_if_stats().
 */
import { constants as osConstants } from 'node:os';
import { native, isErrnoError, type RawIfAddr } from '../../native/index.js';
import {
  AF_INET, AF_INET6, AF_LINK, IFF_FLAGS,
  NIC_DUPLEX_FULL, NIC_DUPLEX_HALF, NIC_DUPLEX_UNKNOWN, type NicDuplex,
} from '../base/constants.js';
import { readNetDev, type NetDevStats } from '../procfs/net-dev.js';
import { wrapNumbers } from '../sample/wrap.js';

export { resetNowrapCache } from '../sample/wrap.js';

/** psutil's snetio. */
export interface NetIoCounters {
  readonly bytesSent: number;
  readonly bytesRecv: number;
  readonly packetsSent: number;
  readonly packetsRecv: number;
  readonly errin: number;
  readonly errout: number;
  readonly dropin: number;
  readonly dropout: number;
}

/** psutil's snicaddr: one address of an interface. */
export interface SnicAddr {
  /** AF_INET (2), AF_INET6 (10) or AF_LINK (17, a MAC address). */
  readonly family: number;
  readonly address: string;
  readonly netmask: string | null;
  readonly broadcast: string | null;
  /** The peer of a point-to-point link; exclusive with broadcast. */
  readonly ptp: string | null;
}

/** psutil's snicstats. */
export interface SnicStats {
  /** Up and running (IFF_RUNNING: administratively up and operationally up). */
  readonly isup: boolean;
  readonly duplex: NicDuplex;
  /** Mbit/s; 0 when unknown. */
  readonly speed: number;
  readonly mtu: number;
  /** The interface flags' names, comma-separated in bit order ('up,broadcast,running,multicast'). */
  readonly flags: string;
}

const NET_FIELDS = ['bytesSent', 'bytesRecv', 'packetsSent', 'packetsRecv', 'errin', 'errout', 'dropin', 'dropout'] as const;

// --------------------------------------------------------------- the view

/** psutil's eight counters of a /proc/net/dev record (core/procfs/net-dev.ts). */
export function netIoView(c: NetDevStats): NetIoCounters {
  return {
    bytesSent: c.txBytes,
    bytesRecv: c.rxBytes,
    packetsSent: c.txPackets,
    packetsRecv: c.rxPackets,
    errin: c.rxErrors,
    errout: c.txErrors,
    dropin: c.rxDropped,
    dropout: c.txDropped,
  };
}

// --------------------------------------------------------------- counters

function netTuple(c: NetIoCounters): number[] {
  return NET_FIELDS.map((f) => c[f]);
}

function netObject(t: readonly number[]): NetIoCounters {
  const o: Record<string, number> = {};
  NET_FIELDS.forEach((f, i) => (o[f] = t[i]!));
  return o as unknown as NetIoCounters;
}

/**
 * Network I/O counters from /proc/net/dev: per interface with `pernic`, else
 * summed over all of them (loopback included, as psutil does).
 *
 * `nowrap` (default true) keeps the numbers from decreasing across calls
 * (32-bit counters of some drivers wrap; see wrap.ts);
 * `resetNowrapCache('netIoCounters')` forgets the history. With no
 * interfaces at all: `null` (psutil's None), or `{}` with `pernic`.
 */
export function netIoCounters(opts: { pernic: true; nowrap?: boolean }): Record<string, NetIoCounters>;
export function netIoCounters(opts?: { pernic?: false; nowrap?: boolean }): NetIoCounters | null;
export function netIoCounters(opts?: { pernic?: boolean; nowrap?: boolean }): NetIoCounters | Record<string, NetIoCounters> | null;
export function netIoCounters(opts: { pernic?: boolean; nowrap?: boolean } = {}): NetIoCounters | Record<string, NetIoCounters> | null {
  const dev = readNetDev();
  if (dev.length === 0) return opts.pernic ? {} : null;
  // A name listed twice (never seen) keeps its last line, as psutil's dict does.
  let tuples: Record<string, number[]> = {};
  for (const { name, counters } of dev) tuples[name] = netTuple(netIoView(counters));
  const names = Object.keys(tuples);
  if (opts.nowrap ?? true) tuples = wrapNumbers(tuples, 'netIoCounters');
  if (opts.pernic) {
    const out: Record<string, NetIoCounters> = {};
    for (const name of names) out[name] = netObject(tuples[name]!);
    return out;
  }
  const sum = new Array<number>(NET_FIELDS.length).fill(0);
  for (const name of names) tuples[name]!.forEach((v, i) => (sum[i]! += v));
  return netObject(sum);
}

// --------------------------------------------------------------- addresses

const IFF_BROADCAST = 0x2;
const IFF_POINTOPOINT = 0x10;

/** A hardware address as lowercase hex pairs joined by ':'; null when empty. */
function formatMac(b: Buffer): string | null {
  if (b.length === 0) return null;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** fe80::/10 (link-local unicast) or ffx2::/16 (link-local multicast): the scopes getnameinfo names by interface. */
function isLinkLocalScope(addr: string): boolean {
  const a = addr.toLowerCase();
  return /^fe[89ab][0-9a-f]:/.test(a) || /^ff[0-9a-f]2:/.test(a);
}

/**
 * An address field as psutil renders it (getnameinfo with NI_NUMERICHOST):
 * IPv6 addresses with a scope get `%<ifname>` when link-local, `%<scope id>`
 * otherwise; hardware addresses become 'aa:bb:...'.
 */
function renderAddr(v: string | Buffer | null, family: number, ifname: string, scopeId?: number): string | null {
  if (v === null || v === undefined) return null;
  if (family === AF_LINK) return typeof v === 'string' ? v : formatMac(v);
  if (typeof v !== 'string') return null;
  if (family === AF_INET6 && scopeId) return `${v}%${isLinkLocalScope(v) ? ifname : scopeId}`;
  return v;
}

/**
 * Converts getifaddrs(3) entries the way psutil does: entries without an
 * address, of other families, or with an empty hardware address are dropped;
 * broadcast only when IFF_BROADCAST, else ptp only when IFF_POINTOPOINT; a
 * MAC shorter than six bytes is padded with ':00'. Entries are ordered by
 * family (IPv4, IPv6, link), keeping the kernel's order within a family.
 * Exported for tests.
 */
export function buildIfAddrs(raw: readonly RawIfAddr[]): Record<string, SnicAddr[]> {
  const rows: { name: string; addr: SnicAddr }[] = [];
  for (const e of raw) {
    const family = e.family;
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_LINK) continue;
    let address = renderAddr(e.address, family, e.name, e.scopeId);
    if (address === null) continue;
    if (family === AF_LINK) {
      let colons = address.split(':').length - 1;
      while (colons < 5) {
        address += ':00';
        colons++;
      }
    }
    const netmask = renderAddr(e.netmask, family, e.name);
    let broadcast: string | null = null;
    let ptp: string | null = null;
    if (e.flags & IFF_BROADCAST) broadcast = renderAddr(e.broadcast, family, e.name);
    else if (e.flags & IFF_POINTOPOINT) ptp = renderAddr(e.ptp, family, e.name);
    rows.push({ name: e.name, addr: { family, address, netmask, broadcast, ptp } });
  }
  // Array.prototype.sort is stable: within a family the kernel's order stays.
  rows.sort((a, b) => a.addr.family - b.addr.family);
  const out: Record<string, SnicAddr[]> = {};
  for (const { name, addr } of rows) (out[name] ??= []).push(addr);
  return out;
}

/**
 * The addresses of each interface (getifaddrs): IPv4 (keyed by label, so an
 * alias appears as 'eth0:1'), IPv6, and the MAC address as AF_LINK. An
 * interface with no usable address at all is absent, as in psutil.
 */
export function netIfAddrs(): Record<string, SnicAddr[]> {
  return buildIfAddrs(native.getifaddrs());
}

// --------------------------------------------------------------- stats

/** The names of the set flags, in bit order, comma-separated. */
export function ifFlagsString(flags: number): string {
  return IFF_FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name).join(',');
}

// ethtool's duplex codes (linux/ethtool.h) → psutil's constants.
const DUPLEX_MAP: Record<number, NicDuplex> = { 0: NIC_DUPLEX_HALF, 1: NIC_DUPLEX_FULL, 255: NIC_DUPLEX_UNKNOWN };

/** ethtool errors that mean "this driver cannot tell", not a failure: speed 0, duplex unknown. */
const ETHTOOL_SOFT_ERRNOS = new Set([osConstants.errno.EOPNOTSUPP, osConstants.errno.EINVAL, osConstants.errno.EBUSY, osConstants.errno.ENODEV]);

const IFF_RUNNING = 0x40;

/**
 * Link state of each interface listed in /proc/net/dev: flags and MTU
 * (SIOCGIFFLAGS/SIOCGIFMTU), speed and duplex (ethtool). `isup` is
 * IFF_RUNNING, as in psutil ≥ 5.9.1. Drivers that do not answer ethtool
 * (loopback, virtual devices, Wi-Fi) give speed 0 and NIC_DUPLEX_UNKNOWN. An
 * interface that vanishes between the listing and the ioctl is left out.
 */
export function netIfStats(): Record<string, SnicStats> {
  const out: Record<string, SnicStats> = {};
  for (const { name } of readNetDev()) {
    let raw;
    try {
      raw = native.ifStats(name);
    } catch (e) {
      if (isErrnoError(e) && e.code === 'ENODEV') continue;
      throw e;
    }
    let speed = 0;
    let duplex: NicDuplex = NIC_DUPLEX_UNKNOWN;
    if (raw.ethtoolErrno !== undefined) {
      if (!ETHTOOL_SOFT_ERRNOS.has(-raw.ethtoolErrno)) {
        const err = new Error(`${raw.ethtoolCode}: ethtool failed, ioctl(SIOCETHTOOL) '${name}'`) as Error & Record<string, unknown>;
        Object.assign(err, { code: raw.ethtoolCode, errno: raw.ethtoolErrno, syscall: 'ioctl(SIOCETHTOOL)', path: name });
        throw err;
      }
    } else {
      speed = raw.speed !== null && raw.speed > 0 ? raw.speed : 0;
      duplex = raw.duplex !== null ? DUPLEX_MAP[raw.duplex] ?? NIC_DUPLEX_UNKNOWN : NIC_DUPLEX_UNKNOWN;
    }
    out[name] = {
      isup: (raw.flags & IFF_RUNNING) !== 0,
      duplex,
      speed,
      mtu: raw.mtu,
      flags: ifFlagsString(raw.flags),
    };
  }
  return out;
}
