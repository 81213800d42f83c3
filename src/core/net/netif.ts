/**
 * Network interfaces in detail, as ifconfig and `netstat -i` show them: every
 * /proc/net/dev counter; flags, MTU, link type, txqueuelen, the device map
 * and the primary IPv4 address of each label from the ioctls ifconfig makes
 * (SIOCGIFFLAGS, MTU, HWADDR, TXQLEN, MAP, ADDR, BRDADDR, NETMASK, DSTADDR);
 * the hardware address from getifaddrs; and the IPv6 addresses with prefix
 * length and scope from /proc/net/if_inet6.
 *
 * The interface list is net-tools' own: the names of /proc/net/dev plus the
 * labels of IPv4 addresses (aliases such as 'eth0:1'), in net-tools' natural
 * order (see compareIfNames).
 */
import { native, isErrnoError, type RawIfAddr, type RawIfConfig, type RawIfMap } from '../../native/index.js';
import { AF_INET } from '../base/constants.js';
import { hexBytes16, inetNtop4, inetNtop6, isV4Mapped } from './inet.js';
import { readNetDev, type NetDevEntry, type NetDevStats } from '../procfs/net-dev.js';
import { ParseError } from '../base/errors.js';
import { procPath, sysPath } from '../base/paths.js';
import { tryReadAttr, tryReadText } from '../base/read.js';

export type { NetDevStats } from '../procfs/net-dev.js';

/** One line of /proc/net/if_inet6. */
export interface IfInet6Addr {
  /** The address as inet_ntop(3) writes it (an IPv4-mapped address as its dotted quad, as net-tools prints it). */
  readonly address: string;
  /** The 32 hex digits as the kernel wrote them. */
  readonly hex: string;
  readonly ifindex: number;
  readonly prefixlen: number;
  /** The kernel's scope bits: 0x00 global, 0x10 host, 0x20 link, 0x40 site, 0x80 compat-v4. */
  readonly scope: number;
  /** IFA_F_* flags (tentative, permanent, ...). */
  readonly flags: number;
  readonly name: string;
}

/** The primary IPv4 address of an interface label (what SIOCGIFADDR answers). */
export interface IfInet4Addr {
  readonly address: string;
  readonly netmask: string;
  /** The configured broadcast address; null when none is set (ifconfig prints 0.0.0.0). */
  readonly broadcast: string | null;
  /** The peer of a point-to-point link; null otherwise. */
  readonly destination: string | null;
}

/** SIOCGIFMAP's struct ifmap (mostly zero for devices that are not ISA-era cards). */
export type IfMap = Readonly<RawIfMap>;

/** Everything ifconfig prints about one interface. */
export interface NetIfDetails {
  /** The name asked for: a device, or an IPv4 label ('eth0:1'). */
  readonly name: string;
  /** SIOCGIFFLAGS: the 16 bits of struct ifreq's ifr_flags (IFF_UP 0x1 ...). */
  readonly flags: number;
  readonly mtu: number;
  /** The link type, ARPHRD_* (1 Ethernet, 772 loopback, 65534 none); null when unknown. */
  readonly type: number | null;
  /** The hardware address as lowercase hex pairs joined by ':' (sysfs' form); null when the device has none. */
  readonly hwaddr: string | null;
  /** The transmit queue length (SIOCGIFTXQLEN); null when unknown. */
  readonly txqueuelen: number | null;
  /** SIOCGIFMAP: the device's IRQ, I/O base, shared memory, DMA channel and port; null when the ioctl failed. */
  readonly map: IfMap | null;
  readonly inet: IfInet4Addr | null;
  /** The IPv6 addresses whose device name is exactly `name`, in /proc/net/if_inet6's order. */
  readonly inet6: readonly IfInet6Addr[];
  /** The /proc/net/dev counters; null for a name /proc/net/dev does not list (an alias). */
  readonly stats: NetDevStats | null;
}

// --------------------------------------------------------------- parsers

/**
 * /proc/net/if_inet6: `address ifindex prefixlen scope flags name`, the
 * numbers in hex. Lines in the file's order.
 */
export function parseIfInet6(text: string): IfInet6Addr[] {
  const out: IfInet6Addr[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    if (f.length < 6) throw new ParseError('net/if_inet6', `expected 6 fields in ${JSON.stringify(line)}`);
    const [hex, idx, plen, scope, flags, name] = f as [string, string, string, string, string, string];
    const bytes = hexBytes16(hex);
    if (!bytes) throw new ParseError('net/if_inet6', `bad address ${JSON.stringify(hex)}`);
    for (const n of [idx, plen, scope, flags]) {
      if (!/^[0-9a-fA-F]+$/.test(n)) throw new ParseError('net/if_inet6', `bad number ${JSON.stringify(n)} in ${JSON.stringify(line)}`);
    }
    out.push({
      // net-tools' fix_v4_address: a mapped address is just its dotted quad.
      address: isV4Mapped(bytes) ? inetNtop4(bytes, 12) : inetNtop6(bytes),
      hex: hex.toLowerCase(),
      ifindex: parseInt(idx, 16),
      prefixlen: parseInt(plen, 16),
      scope: parseInt(scope, 16),
      flags: parseInt(flags, 16),
      name,
    });
  }
  return out;
}

// --------------------------------------------------------------- ordering

/** A name without a numeric ':N' alias suffix, and that suffix (or null). */
function cutAlias(name: string): [string, string | null] {
  const m = /^(.*?):(\d+)$/s.exec(name);
  return m ? [m[1]!, m[2]!] : [name, null];
}

/** Index just past the last non-digit (0 when the name is all digits). */
function endOfStem(name: string): number {
  for (let pos = name.length; pos > 0; pos--) {
    const c = name.charCodeAt(pos - 1);
    if (c < 48 || c > 57) return pos;
  }
  return 0;
}

function cmpBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** C's atoi on a run of digits (the empty string is 0). */
function atoi(s: string): number {
  const m = /^\d+/.exec(s);
  return m ? Number(m[0]) : 0;
}

/**
 * net-tools' interface order (nstrcmp): names compare by their stem (the
 * part before trailing digits), then a shorter stem first, then by the
 * trailing number ('eth2' < 'eth10'), then as strings, then by the ':N'
 * alias number (no alias first).
 */
export function compareIfNames(ap: string, bp: string): number {
  const [a, aAlias] = cutAlias(ap);
  const [b, bAlias] = cutAlias(bp);
  const ai = endOfStem(a);
  const bi = endOfStem(b);
  const common = Math.min(ai, bi);
  let res = cmpBytes(a.slice(0, common), b.slice(0, common));
  if (res !== 0) return res;
  if (ai !== bi) return ai > bi ? 1 : -1;
  const av = atoi(a.slice(ai));
  const bv = atoi(b.slice(bi));
  if (av !== bv) return av < bv ? -1 : 1;
  res = cmpBytes(a, b);
  if (res !== 0) return res;
  const aa = aAlias !== null ? atoi(aAlias) : -1;
  const ba = bAlias !== null ? atoi(bAlias) : -1;
  if (aa !== ba) return aa < ba ? -1 : 1;
  if (aAlias !== null && bAlias !== null) return cmpBytes(aAlias, bAlias);
  return 0;
}

/**
 * Adds names to a list kept in compareIfNames order the way net-tools' cache
 * does (scanning back from the end; an equal name is not added twice).
 */
export function sortIfNames(names: Iterable<string>): string[] {
  const list: string[] = [];
  for (const name of names) {
    let i = list.length - 1;
    let dup = false;
    for (; i >= 0; i--) {
      const n = compareIfNames(list[i]!, name);
      if (n === 0) {
        dup = true;
        break;
      }
      if (n < 0) break;
    }
    if (!dup) list.splice(i + 1, 0, name);
  }
  return list;
}

// --------------------------------------------------------------- reading

/** The kernel's files and getifaddrs(3), read once for a listing. */
export interface NetIfSnapshot {
  /** /proc/net/dev, in the file's order. */
  readonly dev: readonly NetDevEntry[];
  /** getifaddrs(3) as the addon returns it. */
  readonly addrs: readonly RawIfAddr[];
  /** /proc/net/if_inet6 ([] when IPv6 is absent). */
  readonly inet6: readonly IfInet6Addr[];
}

export function netIfSnapshot(): NetIfSnapshot {
  const inet6Text = tryReadText(procPath('net', 'if_inet6'));
  return {
    dev: readNetDev(),
    addrs: native.getifaddrs(),
    inet6: inet6Text === undefined ? [] : parseIfInet6(inet6Text),
  };
}

/**
 * The interfaces net-tools lists (ifconfig -a, netstat -i): /proc/net/dev's
 * names and the labels of IPv4 addresses, in compareIfNames order.
 */
export function netIfNames(snap: NetIfSnapshot = netIfSnapshot()): string[] {
  const labels = snap.addrs.filter((a) => a.family === AF_INET).map((a) => a.name);
  return sortIfNames([...snap.dev.map((d) => d.name), ...labels]);
}

/** 'aa:bb:cc' → bytes (sysfs' and the addon's form). */
export function hwaddrBytes(hwaddr: string | null): Uint8Array {
  if (!hwaddr) return new Uint8Array(0);
  return Uint8Array.from(hwaddr.split(':').filter((x) => x !== '').map((h) => parseInt(h, 16) & 0xff));
}

function macString(v: string | Buffer | null | undefined): string | null {
  if (!v || typeof v === 'string' || v.length === 0) return null;
  return Array.from(v, (x) => x.toString(16).padStart(2, '0')).join(':');
}

const IFF_LOOPBACK = 0x8;
const IFF_POINTOPOINT = 0x10;
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;

/**
 * One interface's details, or null when the device does not exist (ENODEV,
 * ENXIO: ifconfig's "Device not found"). A name with ':' is an alias: flags,
 * MTU and link data are the device's (the kernel cuts the alias off for those
 * ioctls), the IPv4 address is the label's.
 *
 * The facts come from the ioctls net-tools' ifconfig makes (one native call,
 * ifConfig) and from getifaddrs(3): both answer for the caller's network
 * namespace, which /sys may not show (`unshare -n` keeps the old /sys), so
 * sysfs is only the last resort for the hardware address.
 */
export function netIfDetails(name: string, snap: NetIfSnapshot = netIfSnapshot()): NetIfDetails | null {
  const device = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
  // The kernel finds no device by an empty name (or one longer than IFNAMSIZ - 1).
  if (name === '' || Buffer.byteLength(name) > 15) return null;
  let raw: RawIfConfig;
  try {
    raw = native.ifConfig(name);
  } catch (e) {
    if (isErrnoError(e) && (e.code === 'ENODEV' || e.code === 'ENXIO' || e.code === 'EINVAL')) return null;
    throw e;
  }
  // ifr_flags is 16 bits wide.
  const flags = raw.flags & 0xffff;

  // The link type is SIOCGIFHWADDR's sa_family, as net-tools reads it.
  let type: number | null = raw.hwType;
  // The hardware address with its real length: getifaddrs' AF_PACKET entry, else sysfs.
  let hwaddr: string | null = null;
  const link = snap.addrs.find((a) => a.name === device && a.family === 17);
  if (link) hwaddr = macString(link.address);
  else {
    const dir = sysPath('class', 'net', device);
    const addrText = tryReadAttr(`${dir}/address`);
    const addrLen = tryReadAttr(`${dir}/addr_len`);
    if (addrText !== undefined) hwaddr = addrLen === '0' || addrText === '' ? null : addrText.toLowerCase();
  }
  if (type === null && link) type = link.flags & IFF_LOOPBACK ? ARPHRD_LOOPBACK : hwaddr && hwaddr.length === 17 ? ARPHRD_ETHER : null;
  if (type === null && flags & IFF_LOOPBACK) type = ARPHRD_LOOPBACK;

  // SIOCGIFADDR answers the first address whose label is the name; an unset broadcast or netmask reads 0.0.0.0.
  let inet: IfInet4Addr | null = null;
  if (raw.inet) {
    const { address, netmask, broadcast, destination } = raw.inet;
    inet = {
      address,
      netmask: netmask ?? '0.0.0.0',
      broadcast: broadcast === null || broadcast === '0.0.0.0' ? null : broadcast,
      // SIOCGIFDSTADDR gives the peer of a point-to-point link (any other link: the address itself).
      destination: flags & IFF_POINTOPOINT ? destination : null,
    };
  }
  const stats = snap.dev.find((d) => d.name === name)?.counters ?? null;
  return {
    name,
    flags,
    // net-tools prints 0 when SIOCGIFMTU fails.
    mtu: raw.mtu ?? 0,
    type,
    hwaddr,
    txqueuelen: raw.txqueuelen,
    map: raw.map,
    inet,
    inet6: snap.inet6.filter((x) => x.name === name),
    stats,
  };
}
