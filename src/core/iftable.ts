/**
 * The kernel interface table as net-tools builds it (netstat -i, ifconfig
 * -s): the interfaces of /proc/net/dev plus the IPv4 alias labels
 * (eth0:1), sorted with net-tools' natural order, each with its flags, MTU
 * and every /proc/net/dev counter.
 */
import { native, isErrnoError } from '../native/index.js';
import { AF_INET } from './constants.js';
import { ParseError } from './errors.js';
import { procPath } from './paths.js';
import { readText } from './read.js';

/** All sixteen counters of a /proc/net/dev line. */
export interface NetDevCounters {
  readonly rxBytes: number;
  readonly rxPackets: number;
  readonly rxErrors: number;
  readonly rxDropped: number;
  /** FIFO overruns ("RX-OVR"). */
  readonly rxFifo: number;
  readonly rxFrame: number;
  readonly rxCompressed: number;
  readonly rxMulticast: number;
  readonly txBytes: number;
  readonly txPackets: number;
  readonly txErrors: number;
  readonly txDropped: number;
  /** FIFO overruns ("TX-OVR"). */
  readonly txFifo: number;
  readonly collisions: number;
  readonly txCarrier: number;
  readonly txCompressed: number;
}

const KEYS: readonly (keyof NetDevCounters)[] = [
  'rxBytes', 'rxPackets', 'rxErrors', 'rxDropped', 'rxFifo', 'rxFrame', 'rxCompressed', 'rxMulticast',
  'txBytes', 'txPackets', 'txErrors', 'txDropped', 'txFifo', 'collisions', 'txCarrier', 'txCompressed',
];

/** /proc/net/dev with every counter, in file order. */
export function parseNetDevFull(text: string): Array<{ name: string; counters: NetDevCounters }> {
  const source = '/proc/net/dev';
  const out: Array<{ name: string; counters: NetDevCounters }> = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.includes('|')) continue;
    // Interface names cannot contain ':'; the first one ends the name.
    const colon = line.indexOf(':');
    if (colon < 0) throw new ParseError(source, `no ':' in ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim();
    if (name === '') throw new ParseError(source, `no interface name in ${JSON.stringify(line)}`);
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (f.length < 16) throw new ParseError(source, `expected 16 counters for ${JSON.stringify(name)}, got ${f.length}`);
    const c: Record<string, number> = {};
    KEYS.forEach((k, i) => {
      if (!/^\d+$/.test(f[i]!)) throw new ParseError(source, `not a number ${JSON.stringify(f[i])} for ${JSON.stringify(name)}`);
      c[k] = Number(f[i]);
    });
    out.push({ name, counters: c as unknown as NetDevCounters });
  }
  return out;
}

/** Trailing ':digits' alias suffix, as net-tools' cutalias: [base, alias number or null]. */
function cutAlias(name: string): [string, string | null] {
  const m = /^(.*):(\d+)$/.exec(name);
  return m ? [m[1]!, m[2]!] : [name, null];
}

function lastNonDigit(name: string): number {
  let pos = name.length;
  while (pos > 0 && name.charCodeAt(pos - 1) >= 48 && name.charCodeAt(pos - 1) <= 57) pos--;
  return pos;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * net-tools' nstrcmp: names compare by their text up to the trailing
 * number, then by that number (eth2 < eth10), then by the alias number
 * (eth0:2 < eth0:10).
 */
export function nstrcmp(ap: string, bp: string): number {
  const [a, aalias] = cutAlias(ap);
  const [b, balias] = cutAlias(bp);
  const ai = lastNonDigit(a);
  const bi = lastNonDigit(b);
  const n = Math.min(ai, bi);
  let r = cmp(a.slice(0, n), b.slice(0, n));
  if (r !== 0) return r;
  if (ai !== bi) return ai > bi ? 1 : -1;
  const av = a.slice(ai) === '' ? 0 : Number(a.slice(ai));
  const bv = b.slice(bi) === '' ? 0 : Number(b.slice(bi));
  if (av !== bv) return av < bv ? -1 : 1;
  r = cmp(a, b);
  if (r !== 0) return r;
  const aa = aalias === null ? -1 : Number(aalias);
  const ba = balias === null ? -1 : Number(balias);
  if (aa !== ba) return aa < ba ? -1 : 1;
  if (aalias !== null && balias !== null) return cmp(aalias, balias);
  return 0;
}

/** One row of the interface table. */
export interface InterfaceEntry {
  readonly name: string;
  /** IFF_* bits (SIOCGIFFLAGS). */
  readonly flags: number;
  readonly mtu: number;
  /** null for an alias label (its counters belong to the base interface). */
  readonly counters: NetDevCounters | null;
}

/**
 * The interface table in net-tools' order. Every interface is listed (up or
 * not); an interface that disappears between the listing and the ioctls is
 * left out.
 */
export function interfaceTable(): InterfaceEntry[] {
  const dev = parseNetDevFull(readText(procPath('net', 'dev')));
  const counters = new Map(dev.map((d) => [d.name, d.counters]));
  const names = new Set(dev.map((d) => d.name));
  // SIOCGIFCONF adds the interfaces with an IPv4 address under their labels (aliases included).
  for (const a of native.getifaddrs()) if (a.family === AF_INET) names.add(a.name);
  const sorted = [...names].sort(nstrcmp);
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
