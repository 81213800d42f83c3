/**
 * netstat's other tables: routes (-r), interfaces (-i), multicast groups
 * (-g). Row builders give raw values (--json); renderers give net-tools'
 * layout.
 */
import { inetPton4 } from '../../core/net/inet.js';
import type { InterfaceEntry } from '../../core/net/iftable.js';
import type { MulticastGroup } from '../../core/net/igmp.js';
import {
  RTF_ADDRCONF, RTF_ALLONLINK, RTF_CACHE, RTF_DEFAULT, RTF_DYNAMIC, RTF_EXPIRES, RTF_FLOW, RTF_GATEWAY, RTF_HOST, RTF_IRTT,
  RTF_LOCAL, RTF_MODIFIED, RTF_MTU, RTF_NONEXTHOP, RTF_NOTCACHED, RTF_POLICY, RTF_REINSTATE, RTF_REJECT, RTF_UP, RTF_WINDOW,
  type Route4, type Route6,
} from '../../core/net/route.js';
import { inet4Name, inet6Name, padEnd, padStart, truncBytes, type Names } from './format.js';

// ---------------------------------------------------------------- routes

/** net-tools' letters for an IPv4 route's flags ('!' replaces what came before it). */
export function route4Flags(f: number): string {
  let s = '';
  if (f & RTF_UP) s += 'U';
  if (f & RTF_GATEWAY) s += 'G';
  if (f & RTF_REJECT) s = '!';
  if (f & RTF_HOST) s += 'H';
  if (f & RTF_REINSTATE) s += 'R';
  if (f & RTF_DYNAMIC) s += 'D';
  if (f & RTF_MODIFIED) s += 'M';
  if (f & RTF_DEFAULT) s += 'd';
  if (f & RTF_ALLONLINK) s += 'a';
  if (f & RTF_ADDRCONF) s += 'c';
  if (f & RTF_NONEXTHOP) s += 'o';
  if (f & RTF_EXPIRES) s += 'e';
  if (f & RTF_CACHE) s += 'c';
  if (f & RTF_FLOW) s += 'f';
  if (f & RTF_POLICY) s += 'p';
  if (f & RTF_LOCAL) s += 'l';
  if (f & RTF_MTU) s += 'u';
  if (f & RTF_WINDOW) s += 'w';
  if (f & RTF_IRTT) s += 'i';
  if (f & RTF_NOTCACHED) s += 'n';
  return s;
}

/** net-tools' letters for an IPv6 route's flags. */
export function route6Flags(f: number): string {
  let s = '';
  if (f & RTF_UP) s += 'U';
  if (f & RTF_REJECT) s += '!';
  if (f & RTF_GATEWAY) s += 'G';
  if (f & RTF_HOST) s += 'H';
  if (f & RTF_DEFAULT) s += 'D';
  if (f & RTF_ADDRCONF) s += 'A';
  if (f & RTF_CACHE) s += 'C';
  if (f & RTF_ALLONLINK) s += 'a';
  if (f & RTF_EXPIRES) s += 'e';
  if (f & RTF_MODIFIED) s += 'm';
  if (f & RTF_NONEXTHOP) s += 'n';
  if (f & RTF_FLOW) s += 'f';
  return s;
}

/** One route of -r --json. */
export interface RouteRow {
  readonly family: 'inet' | 'inet6';
  readonly destination: string;
  /** IPv4: the genmask's prefix length when contiguous; IPv6: the prefix length. */
  readonly prefixLength: number | null;
  readonly genmask: string | null;
  readonly gateway: string;
  readonly flags: string;
  readonly flagBits: number;
  readonly metric: number;
  readonly refCnt: number;
  readonly use: number;
  readonly iface: string;
  readonly mss: number | null;
  readonly window: number | null;
  readonly irtt: number | null;
}

function prefixOf(mask: string): number | null {
  const b = inetPton4(mask);
  if (!b) return null;
  const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  let len = 0;
  while (len < 32 && n & (0x80000000 >>> len)) len++;
  return ((n << len) >>> 0) === 0 || len === 32 ? len : null;
}

export function route4Row(r: Route4): RouteRow {
  return {
    family: 'inet', destination: r.destination, prefixLength: prefixOf(r.genmask), genmask: r.genmask, gateway: r.gateway,
    flags: route4Flags(r.flags), flagBits: r.flags, metric: r.metric, refCnt: r.refCnt, use: r.use, iface: r.iface,
    mss: r.mtu, window: r.window, irtt: r.irtt,
  };
}

export function route6Row(r: Route6): RouteRow {
  return {
    family: 'inet6', destination: r.destination, prefixLength: r.destinationPrefix, genmask: null, gateway: r.nextHop,
    flags: route6Flags(r.flags), flagBits: r.flags, metric: r.metric | 0, refCnt: r.refCnt, use: r.use, iface: r.iface,
    mss: null, window: null, irtt: null,
  };
}

/** Which IPv4 route columns: 1 Metric/Ref/Use, 2 MSS/Window/irtt (plain -r), 3 both (-ree); 0 prints no rows. */
export type RouteExt = 0 | 1 | 2 | 3;

export function route4Header(ext: RouteExt, cache: boolean): string {
  if (cache) {
    const lead = 'Source          Destination     Gateway         ';
    let h = 'Kernel IP routing cache\n';
    if (ext === 1) h += `${lead}Flags Metric Ref    Use Iface\n`;
    if (ext === 2) h += `${lead}Flags   MSS Window  irtt Iface\n`;
    if (ext === 3) h += `${lead}Flags Metric Ref    Use Iface    MSS   Window irtt  TOS HHRef HHUptod     SpecDst\n`;
    return h;
  }
  const lead = 'Destination     Gateway         Genmask         ';
  let h = 'Kernel IP routing table\n';
  if (ext === 1) h += `${lead}Flags Metric Ref    Use Iface\n`;
  if (ext === 2) h += `${lead}Flags   MSS Window  irtt Iface\n`;
  if (ext === 3) h += `${lead}Flags Metric Ref    Use Iface    MSS   Window irtt\n`;
  return h;
}

/** One IPv4 route line (routes not up are skipped by the caller, as net-tools does). */
export function renderRoute4(r: Route4, ext: RouteExt, names: Names, numericHosts: boolean): string {
  const mask = inetPton4(r.genmask) ?? new Uint8Array(4);
  const dest = truncBytes(inet4Name(r.destination, names, { numeric: numericHosts, mask, def: true, host: (r.flags & RTF_HOST) !== 0 }), 15);
  const gw = truncBytes(inet4Name(r.gateway, names, { numeric: numericHosts, mask: Uint8Array.of(0, 0xff, 0xff, 0xff), host: true }), 15);
  const gm = truncBytes(r.genmask, 15);
  const flags = route4Flags(r.flags);
  const reject = (r.flags & RTF_REJECT) !== 0;
  const a = `${padEnd(dest, 15)} `;
  if (ext === 1) {
    if (reject) return `${a}-               ${padEnd(gm, 15)} ${padEnd(flags, 5)} ${padEnd(String(r.metric), 6)} -  ${padStart(r.use, 7)} -\n`;
    return `${a}${padEnd(gw, 15)} ${padEnd(gm, 15)} ${padEnd(flags, 5)} ${padEnd(String(r.metric), 6)} ${padEnd(String(r.refCnt), 2)} ${padStart(r.use, 7)} ${r.iface}\n`;
  }
  if (ext === 2) {
    if (reject) return `${a}-               ${padEnd(gm, 15)} ${padEnd(flags, 5)}     - -          - -\n`;
    return `${a}${padEnd(gw, 15)} ${padEnd(gm, 15)} ${padEnd(flags, 5)} ${padStart(r.mtu, 5)} ${padEnd(String(r.window), 5)} ${padStart(r.irtt, 6)} ${r.iface}\n`;
  }
  if (ext === 3) {
    if (reject) return `${a}-               ${padEnd(gm, 15)} ${padEnd(flags, 5)} ${padEnd(String(r.metric), 6)} -  ${padStart(r.use, 7)} -        -     -      -\n`;
    return `${a}${padEnd(gw, 15)} ${padEnd(gm, 15)} ${padEnd(flags, 5)} ${padEnd(String(r.metric), 6)} ${padEnd(String(r.refCnt), 3)} ${padStart(r.use, 6)} ${padEnd(r.iface.slice(0, 6), 6)}   ${padEnd(String(r.mtu), 5)} ${padEnd(String(r.window), 6)} ${r.irtt}\n`;
  }
  return '';
}

export function route6Header(cache: boolean): string {
  return `${cache ? 'Kernel IPv6 routing cache' : 'Kernel IPv6 routing table'}\nDestination                    Next Hop                   Flag Met Ref  Use If\n`;
}

export function renderRoute6(r: Route6, names: Names, numericHosts: boolean): string {
  const dest = `${inet6Name(r.destination, names, numericHosts)}/${r.destinationPrefix}`;
  const hop = inet6Name(r.nextHop, names, numericHosts);
  // The metric is printed as a signed int (0xffffffff shows as -1).
  return `${padEnd(dest, 30)} ${padEnd(hop, 26)} ${padEnd(route6Flags(r.flags), 4)} ${padEnd(String(r.metric | 0), 3)} ${padEnd(String(r.refCnt | 0), 1)} ${padStart(r.use | 0, 6)} ${r.iface}\n`;
}

// ---------------------------------------------------------------- interfaces

const IFF_UP = 0x1;
const IFF_BROADCAST = 0x2;
const IFF_DEBUG = 0x4;
const IFF_LOOPBACK = 0x8;
const IFF_POINTOPOINT = 0x10;
const IFF_NOTRAILERS = 0x20;
const IFF_RUNNING = 0x40;
const IFF_NOARP = 0x80;
const IFF_PROMISC = 0x100;
const IFF_ALLMULTI = 0x200;
const IFF_MASTER = 0x400;
const IFF_SLAVE = 0x800;
const IFF_MULTICAST = 0x1000;
const IFF_DYNAMIC = 0x8000;

/** The Flg column: net-tools' letters in its order. */
export function ifFlagLetters(f: number): string {
  if (f === 0) return '[NO FLAGS]';
  let s = '';
  if (f & IFF_ALLMULTI) s += 'A';
  if (f & IFF_BROADCAST) s += 'B';
  if (f & IFF_DEBUG) s += 'D';
  if (f & IFF_LOOPBACK) s += 'L';
  if (f & IFF_MULTICAST) s += 'M';
  if (f & IFF_DYNAMIC) s += 'd';
  if (f & IFF_PROMISC) s += 'P';
  if (f & IFF_NOTRAILERS) s += 'N';
  if (f & IFF_NOARP) s += 'O';
  if (f & IFF_POINTOPOINT) s += 'P';
  if (f & IFF_SLAVE) s += 's';
  if (f & IFF_MASTER) s += 'm';
  if (f & IFF_RUNNING) s += 'R';
  if (f & IFF_UP) s += 'U';
  return s;
}

/** One interface of -i --json. */
export interface InterfaceRow {
  readonly iface: string;
  readonly mtu: number;
  /** null for an alias label (no counters of its own). */
  readonly rxOk: number | null;
  readonly rxErr: number | null;
  readonly rxDrp: number | null;
  readonly rxOvr: number | null;
  readonly txOk: number | null;
  readonly txErr: number | null;
  readonly txDrp: number | null;
  readonly txOvr: number | null;
  readonly flags: string;
  readonly flagBits: number;
}

export function interfaceRow(e: InterfaceEntry): InterfaceRow {
  const c = e.counters;
  return {
    iface: e.name,
    mtu: e.mtu,
    rxOk: c ? c.rxPackets : null,
    rxErr: c ? c.rxErrors : null,
    rxDrp: c ? c.rxDropped : null,
    rxOvr: c ? c.rxFifo : null,
    txOk: c ? c.txPackets : null,
    txErr: c ? c.txErrors : null,
    txDrp: c ? c.txDropped : null,
    txOvr: c ? c.txFifo : null,
    flags: ifFlagLetters(e.flags),
    flagBits: e.flags,
  };
}

export const INTERFACE_HEADER = 'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n';

export function renderInterface(r: InterfaceRow): string {
  let line = `${padEnd(truncBytes(r.iface, 15), 15)} ${padStart(r.mtu, 5)} `;
  if (r.rxOk !== null) {
    line += `${padStart(r.rxOk, 8)} ${padStart(r.rxErr!, 6)} ${padStart(r.rxDrp!, 6)} ${padEnd(String(r.rxOvr), 6)} `;
    line += `${padStart(r.txOk!, 8)} ${padStart(r.txErr!, 6)} ${padStart(r.txDrp!, 6)} ${padStart(r.txOvr!, 6)} `;
  } else {
    line += padEnd('     - no statistics available -', 56);
  }
  return `${line}${r.flags}\n`;
}

// ---------------------------------------------------------------- groups

/** One membership of -g --json. */
export interface GroupRow {
  readonly family: 'inet' | 'inet6';
  readonly iface: string;
  readonly refCnt: number;
  readonly group: string;
}

export function groupRow(g: MulticastGroup): GroupRow {
  return { family: g.family === 10 ? 'inet6' : 'inet', iface: g.iface, refCnt: g.users, group: g.group };
}

export const GROUPS_HEADER = 'IPv6/IPv4 Group Memberships\nInterface       RefCnt Group\n--------------- ------ ---------------------\n';

export function renderGroup(r: GroupRow, names: Names, numericHosts: boolean): string {
  const addr = r.family === 'inet'
    ? inet4Name(r.group, names, { numeric: numericHosts, mask: Uint8Array.of(0, 0xff, 0xff, 0xff) })
    : inet6Name(r.group, names, numericHosts);
  return `${padEnd(r.iface, 15)} ${padEnd(String(r.refCnt), 6)} ${addr}\n`;
}
