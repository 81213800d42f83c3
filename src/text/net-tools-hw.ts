/**
 * net-tools' hardware types, as Debian's build of ifconfig 2.10 knows them:
 * the name and title printed on the link line and how the hardware address
 * is written. Facts from net-tools' lib/hw.c and lib/<type>.c.
 */

export interface HwType {
  /** ARPHRD_* as a C short (ARPHRD_NONE 0xfffe is -2; unspec is -1). */
  readonly type: number;
  readonly name: string;
  readonly title: string;
  /** Address length the type knows; 0 when it prints none. */
  readonly alen: number;
  /** Formats the first bytes of the address (8 copied from SIOCGIFHWADDR, the rest zero); absent: no address printed. */
  readonly print?: (b: Uint8Array) => string;
  /** Null addresses are not printed (Ash). */
  readonly suppressNull?: boolean;
}

const hex2 = (x: number): string => x.toString(16).padStart(2, '0');
const HEX2 = (x: number): string => hex2(x).toUpperCase();
const bytesOf = (b: Uint8Array, n: number): number[] => Array.from({ length: n }, (_, i) => b[i] ?? 0);

/** AX.25/NET/ROM callsign: six shifted letters (spaces end it) and an SSID. */
function callsign(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const c = (b[i] ?? 0) >> 1;
    if (c === 0x20 || c === 0) break;
    s += String.fromCharCode(c);
  }
  const ssid = ((b[6] ?? 0) & 0x1e) >> 1;
  return ssid !== 0 ? `${s}-${ssid}` : s;
}

/** The types in net-tools' table order (the first of a type wins). */
export const HW_TYPES: readonly HwType[] = [
  { type: 772, name: 'loop', title: 'Local Loopback', alen: 0 },
  { type: 256, name: 'slip', title: 'Serial Line IP', alen: 0 },
  { type: 257, name: 'cslip', title: 'VJ Serial Line IP', alen: 0 },
  { type: 258, name: 'slip6', title: '6-bit Serial Line IP', alen: 0 },
  { type: 259, name: 'cslip6', title: 'VJ 6-bit Serial Line IP', alen: 0 },
  { type: 264, name: 'adaptive', title: 'Adaptive Serial Line IP', alen: 0 },
  {
    type: 781, name: 'ash', title: 'Ash', alen: 64, suppressNull: true,
    print: (b) => {
      let s = '[';
      for (let i = 0; i < 64 && b[i] !== 0xc9 && b[i] !== 0xff; i++) s += (b[i] ?? 0).toString(16);
      return `${s}]`;
    },
  },
  { type: 1, name: 'ether', title: 'Ethernet', alen: 6, print: (b) => bytesOf(b, 6).map(hex2).join(':') },
  { type: 3, name: 'ax25', title: 'AMPR AX.25', alen: 7, print: callsign },
  { type: 0, name: 'netrom', title: 'AMPR NET/ROM', alen: 7, print: callsign },
  { type: 270, name: 'rose', title: 'AMPR ROSE', alen: 10, print: (b) => bytesOf(b, 5).map(hex2).join('') },
  { type: 768, name: 'tunnel', title: 'IPIP Tunnel', alen: 0, print: () => '' },
  { type: 512, name: 'ppp', title: 'Point-to-Point Protocol', alen: 0 },
  { type: 513, name: 'hdlc', title: '(Cisco)-HDLC', alen: 0 },
  { type: 516, name: 'lapb', title: 'LAPB', alen: 0 },
  { type: 7, name: 'arcnet', title: 'ARCnet', alen: 1, print: (b) => HEX2(b[0] ?? 0) },
  { type: 15, name: 'dlci', title: 'Frame Relay DLCI', alen: 3, print: (b) => String(((((b[1] ?? 0) << 8) | (b[0] ?? 0)) << 16) >> 16) },
  { type: 770, name: 'frad', title: 'Frame Relay Access Device', alen: 0 },
  { type: 776, name: 'sit', title: 'IPv6-in-IPv4', alen: 0 },
  { type: 774, name: 'fddi', title: 'Fiber Distributed Data Interface', alen: 6, print: (b) => bytesOf(b, 6).map(HEX2).join('-') },
  { type: 780, name: 'hippi', title: 'HIPPI', alen: 6, print: (b) => bytesOf(b, 6).map(HEX2).join(':') },
  {
    type: 783, name: 'irda', title: 'IrLAP', alen: 2,
    // The bytes go through a signed char and "%02x": high bytes print as ffffffXX.
    print: (b) => [3, 2, 1, 0].map((i) => { const x = b[i] ?? 0; return x >= 0x80 ? (0xffffff00 | x).toString(16) : hex2(x); }).join(':'),
  },
  { type: 782, name: 'ec', title: 'Econet', alen: 0 },
  {
    type: 271, name: 'x25', title: 'generic X.25', alen: 16,
    print: (b) => {
      let s = '';
      for (let i = 0; i < 16 && b[i]; i++) s += String.fromCharCode(b[i]!);
      return s;
    },
  },
  { type: 27, name: 'eui64', title: 'Generic EUI-64', alen: 8, print: (b) => bytesOf(b, 8).map(HEX2).join(':') },
  { type: -1, name: 'unspec', title: 'UNSPEC', alen: 0, print: (b) => bytesOf(b, 16).map(HEX2).join('-') },
];

const UNSPEC = HW_TYPES[HW_TYPES.length - 1]!;

/** The type for an ARPHRD number (read as a C short, as net-tools stores it); unknown → unspec. */
export function hwType(arphrd: number | null): HwType {
  if (arphrd === null) return UNSPEC;
  const t = (arphrd << 16) >> 16;
  return HW_TYPES.find((h) => h.type === t) ?? UNSPEC;
}

/**
 * The hardware address as ifconfig copies it: the first 8 bytes of the
 * device address, zero after.
 */
export function hwBuffer(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(bytes.subarray(0, 8));
  return out;
}

/** `ether 02:fc:...`, `loop`, `unspec 00-00-...`: the start of ifconfig's link line. */
export function hwText(hw: HwType, bytes: Uint8Array): string {
  const b = hwBuffer(bytes);
  const isNull = b.subarray(0, hw.alen).every((x) => x === 0);
  if (hw.print && !(isNull && hw.suppressNull)) return `${hw.name} ${hw.print(b)}`;
  return hw.name;
}
