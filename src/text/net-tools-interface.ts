/**
 * net-tools' interface printer, shared by ifconfig and netstat -ie (net-tools
 * links the same code into both): which interfaces to show, their rows, and
 * the long and short (-s / netstat -i) layouts.
 */
import { hwaddrBytes, netIfDetails, netIfNames, netIfSnapshot, type NetIfDetails } from '../core/net/netif.js';
import { hwText, hwType } from './net-tools-hw.js';

// ------------------------------------------------------------------ collect

export interface IfconfigData {
  interfaces: NetIfDetails[];
  /** The name whose details could not be fetched (net-tools stops there). */
  missing?: string;
}

const IFF_UP = 0x1;

/** The interfaces to show: all that are up (every one with `all`), or the one named. */
export function collect(opts: { readonly all: boolean; readonly iface?: string | undefined }): IfconfigData {
  const snap = netIfSnapshot();
  if (opts.iface !== undefined) {
    const d = netIfDetails(opts.iface, snap);
    return d ? { interfaces: [d] } : { interfaces: [], missing: opts.iface };
  }
  const out: NetIfDetails[] = [];
  for (const name of netIfNames(snap)) {
    const d = netIfDetails(name, snap);
    if (!d) return { interfaces: out, missing: name };
    if (d.flags & IFF_UP || opts.all) out.push(d);
  }
  return { interfaces: out };
}

// ------------------------------------------------------------------ rows

/** Flag bits and the names net-tools prints, in its order. */
const LONG_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'UP'], [0x2, 'BROADCAST'], [0x4, 'DEBUG'], [0x8, 'LOOPBACK'], [0x10, 'POINTOPOINT'],
  [0x20, 'NOTRAILERS'], [0x40, 'RUNNING'], [0x80, 'NOARP'], [0x100, 'PROMISC'], [0x200, 'ALLMULTI'],
  [0x800, 'SLAVE'], [0x400, 'MASTER'], [0x1000, 'MULTICAST'], [0x8000, 'DYNAMIC'],
];
const SHORT_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x200, 'A'], [0x2, 'B'], [0x4, 'D'], [0x8, 'L'], [0x1000, 'M'], [0x8000, 'd'], [0x100, 'P'],
  [0x20, 'N'], [0x80, 'O'], [0x10, 'P'], [0x800, 's'], [0x400, 'm'], [0x40, 'R'], [0x1, 'U'],
];

/** IPv6 scope bits → net-tools' names. */
export function scopeNames(scope: number): string[] {
  const names: string[] = [];
  let s = scope;
  if (s & 0x80) {
    names.push('compat');
    s -= 0x80;
  }
  if (s === 0) names.push('global');
  if (s & 0x20) names.push('link');
  if (s & 0x40) names.push('site');
  if (s & 0x10) names.push('host');
  return names;
}

/** One interface, raw values (the --json object). Byte counts in bytes. */
export interface IfconfigRow {
  name: string;
  /** SIOCGIFFLAGS' 16 bits. */
  flags: number;
  flagNames: string[];
  mtu: number;
  inet: { address: string; netmask: string; broadcast: string | null; destination: string | null } | null;
  inet6: { address: string; prefixlen: number; scopeid: number; scope: string[] }[];
  /** ARPHRD_* number; null when unknown. */
  type: number | null;
  /** net-tools' hardware type name and title: 'ether'/'Ethernet', 'loop'/'Local Loopback', 'unspec'/'UNSPEC'... */
  hwType: string;
  hwTitle: string;
  hwaddr: string | null;
  txqueuelen: number | null;
  /** SIOCGIFMAP: the device's resources (irq, I/O base, shared memory, DMA, port); null when unknown. */
  device: { irq: number; baseAddr: number; memStart: number; memEnd: number; dma: number; port: number } | null;
  rx: { packets: number; bytes: number; errors: number; dropped: number; overruns: number; frame: number; compressed: number; multicast: number } | null;
  tx: { packets: number; bytes: number; errors: number; dropped: number; overruns: number; carrier: number; collisions: number; compressed: number } | null;
}

export function toRows(data: IfconfigData): IfconfigRow[] {
  return data.interfaces.map((d) => {
    const hw = hwType(d.type);
    const s = d.stats;
    return {
      name: d.name,
      flags: d.flags,
      flagNames: LONG_FLAGS.filter(([bit]) => d.flags & bit).map(([, n]) => n),
      mtu: d.mtu,
      inet: d.inet ? { ...d.inet, destination: d.flags & 0x10 ? d.inet.destination ?? d.inet.address : null } : null,
      inet6: d.inet6.map((a) => ({ address: a.address, prefixlen: a.prefixlen, scopeid: a.scope, scope: scopeNames(a.scope) })),
      type: d.type,
      hwType: hw.name,
      hwTitle: hw.title,
      hwaddr: d.hwaddr,
      txqueuelen: d.txqueuelen,
      device: d.map ? { irq: d.map.irq, baseAddr: d.map.baseAddr, memStart: d.map.memStart, memEnd: d.map.memEnd, dma: d.map.dma, port: d.map.port } : null,
      rx: s
        ? { packets: s.rxPackets, bytes: s.rxBytes, errors: s.rxErrors, dropped: s.rxDropped, overruns: s.rxFifo, frame: s.rxFrame, compressed: s.rxCompressed, multicast: s.rxMulticast }
        : null,
      tx: s
        ? { packets: s.txPackets, bytes: s.txBytes, errors: s.txErrors, dropped: s.txDropped, overruns: s.txFifo, carrier: s.txCarrier, collisions: s.txCollisions, compressed: s.txCompressed }
        : null,
    };
  });
}

// ------------------------------------------------------------------ text

/**
 * net-tools' human figure: one decimal, truncated, binary units; a unit is
 * used only when the count is strictly above it (1024 bytes is '1024.0 B').
 */
export function humanBytes(n: number): string {
  const v = BigInt(Math.trunc(n));
  const units: ReadonlyArray<[bigint, string]> = [
    [1n << 50n, 'PiB'], [1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB'],
  ];
  let short = v * 10n;
  let unit = 'B';
  if (v > 1n << 60n) {
    short = v / ((1n << 60n) / 10n);
    unit = 'EiB';
  } else {
    for (const [size, name] of units) {
      if (v > size) {
        short /= size;
        unit = name;
        break;
      }
    }
  }
  return `${short / 10n}.${short % 10n} ${unit}`;
}

/** "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>" with net-tools' edge cases (a short, "flags=0<"). */
export function flagsText(flags: number): string {
  const signed = (flags << 16) >> 16;
  let s = `flags=${signed}<`;
  if (flags === 0) s += '>';
  for (const [bit, name] of LONG_FLAGS) if (flags & bit) s += `${name},`;
  // net-tools turns a final ',' into '>' and otherwise drops the last character.
  return s.endsWith(',') ? `${s.slice(0, -1)}>` : s.slice(0, -1);
}

const PORT_NAMES = ['unknown', '10base2', '10baseT', 'AUI', '100baseT', '100baseTX', '100baseFX'];

/** net-tools' if_port_text[port][0]; its table ends in a NULL row, which glibc's printf shows as '(null)'. */
const portName = (port: number): string => PORT_NAMES[port] ?? '(null)';

/**
 * net-tools' "device" line: shown when the device has an IRQ, shared memory,
 * a DMA channel or an I/O base of at least 0x100 (lower bases are not I/O maps).
 */
export function deviceLine(m: IfconfigRow['device']): string {
  if (!m || !(m.irq || m.memStart || m.dma || m.baseAddr >= 0x100)) return '';
  let out = '        device ';
  if (m.irq) out += `interrupt ${m.irq}  `;
  if (m.baseAddr >= 0x100) out += `base 0x${m.baseAddr.toString(16)}  `;
  if (m.memStart) out += `memory 0x${m.memStart.toString(16)}-${m.memEnd.toString(16)}  `;
  if (m.dma) out += `  dma 0x${m.dma.toString(16)}`;
  return `${out}\n`;
}

const pad = (v: number | string, w: number): string => String(v).padStart(w);

export function renderLong(rows: readonly IfconfigRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${r.name}: ${flagsText(r.flags)}  mtu ${r.mtu}\n`;
    if (r.inet) {
      out += `        inet ${r.inet.address}  netmask ${r.inet.netmask}`;
      if (r.flags & 0x2) out += `  broadcast ${r.inet.broadcast ?? '0.0.0.0'}`;
      if (r.flags & 0x10) out += `  destination ${r.inet.destination ?? '0.0.0.0'}`;
      out += '\n';
    }
    for (const a of r.inet6) {
      const names = a.scope.length ? `<${a.scope.join(',')}>` : '';
      out += `        inet6 ${a.address}  prefixlen ${a.prefixlen}  scopeid 0x${a.scopeid.toString(16)}${names}\n`;
    }
    const hw = hwType(r.type);
    out += `        ${hwText(hw, hwaddrBytes(r.hwaddr))}`;
    if (r.txqueuelen !== null) out += `  txqueuelen ${r.txqueuelen}`;
    out += `  (${hw.title})\n`;
    // IFF_PORTSEL: the port from SIOCGIFMAP (0, 'unknown', when it failed); IFF_AUTOMEDIA adds 'autoselect'.
    if (r.flags & 0x2000) out += `        media ${portName(r.device?.port ?? 0)}${r.flags & 0x4000 ? 'autoselect' : ''}\n`;
    const compress = hw.type === 257 || hw.type === 259;
    if (r.rx && r.tx) {
      out += `        RX packets ${r.rx.packets}  bytes ${r.rx.bytes} (${humanBytes(r.rx.bytes)})\n`;
      if (compress) out += `        RX compressed:${r.rx.compressed}\n`;
      out += `        RX errors ${r.rx.errors}  dropped ${r.rx.dropped}  overruns ${r.rx.overruns}  frame ${r.rx.frame}\n`;
      out += `        TX packets ${r.tx.packets}  bytes ${r.tx.bytes} (${humanBytes(r.tx.bytes)})\n`;
      if (compress) out += `        TX compressed ${r.tx.compressed}\n`;
      out += `        TX errors ${r.tx.errors}  dropped ${r.tx.dropped} overruns ${r.tx.overruns}  carrier ${r.tx.carrier}  collisions ${r.tx.collisions}\n`;
    }
    out += deviceLine(r.device);
    out += '\n';
  }
  return out;
}

export const SHORT_HEADER = 'Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n';

/** The -s table's rows (net-tools prints the header separately, before any error). */
export function renderShort(rows: readonly IfconfigRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${r.name.slice(0, 15).padEnd(15)} ${pad(r.mtu, 5)} `;
    if (r.rx && r.tx) {
      out += `${pad(r.rx.packets, 8)} ${pad(r.rx.errors, 6)} ${pad(r.rx.dropped, 6)} ${String(r.rx.overruns).padEnd(6)} `;
      out += `${pad(r.tx.packets, 8)} ${pad(r.tx.errors, 6)} ${pad(r.tx.dropped, 6)} ${pad(r.tx.overruns, 6)} `;
    } else {
      out += '     - no statistics available -'.padEnd(56);
    }
    if (r.flags === 0) out += '[NO FLAGS]';
    for (const [bit, letter] of SHORT_FLAGS) if (r.flags & bit) out += letter;
    out += '\n';
  }
  return out;
}

