/**
 * The kernel's routing tables as /proc shows them: /proc/net/route (IPv4
 * FIB) and /proc/net/ipv6_route (IPv6 FIB and cached routes).
 */
import { hexBytes16, inetNtop6 } from './inet.js';
import { ParseError } from '../base/errors.js';
import { readProcNetOptional } from '../base/read.js';

// linux/route.h and linux/ipv6_route.h
export const RTF_UP = 0x0001;
export const RTF_GATEWAY = 0x0002;
export const RTF_HOST = 0x0004;
export const RTF_REINSTATE = 0x0008;
export const RTF_DYNAMIC = 0x0010;
export const RTF_MODIFIED = 0x0020;
export const RTF_MTU = 0x0040;
export const RTF_WINDOW = 0x0080;
export const RTF_IRTT = 0x0100;
export const RTF_REJECT = 0x0200;
/** A 2.0-era flag net-tools still decodes. */
export const RTF_NOTCACHED = 0x0400;
export const RTF_DEFAULT = 0x00010000;
export const RTF_ALLONLINK = 0x00020000;
export const RTF_ADDRCONF = 0x00040000;
export const RTF_NONEXTHOP = 0x00200000;
export const RTF_EXPIRES = 0x00400000;
export const RTF_CACHE = 0x01000000;
export const RTF_FLOW = 0x02000000;
export const RTF_POLICY = 0x04000000;
export const RTF_LOCAL = 0x80000000;

/** One IPv4 route (a line of /proc/net/route). */
export interface Route4 {
  readonly iface: string;
  readonly destination: string;
  readonly gateway: string;
  readonly genmask: string;
  /** RTF_* bits. */
  readonly flags: number;
  readonly refCnt: number;
  readonly use: number;
  readonly metric: number;
  /** The route's MTU/MSS (the file's MTU column). */
  readonly mtu: number;
  readonly window: number;
  readonly irtt: number;
}

/** One IPv6 route (a line of /proc/net/ipv6_route). */
export interface Route6 {
  readonly destination: string;
  readonly destinationPrefix: number;
  readonly source: string;
  readonly sourcePrefix: number;
  readonly nextHop: string;
  /** 32-bit unsigned metric (0xffffffff for the "unreachable" catch-all). */
  readonly metric: number;
  readonly refCnt: number;
  readonly use: number;
  /** RTF_* bits. */
  readonly flags: number;
  readonly iface: string;
}

const HEX = /^[0-9A-Fa-f]+$/;

/** 8 hex digits of /proc/net/route: the address as a little-endian 32-bit word. */
export function decodeRouteAddress(hex: string, source = '/proc/net/route'): string {
  if (hex.length !== 8 || !HEX.test(hex)) throw new ParseError(source, `bad address ${JSON.stringify(hex)}`);
  const b = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return b.join('.');
}

function num(tok: string | undefined, hex: boolean, source: string, what: string): number {
  if (tok === undefined || !(hex ? HEX.test(tok) : /^-?\d+$/.test(tok)) || tok.length > 16) {
    throw new ParseError(source, `bad ${what} ${JSON.stringify(tok)}`);
  }
  return hex ? parseInt(tok, 16) : Number(tok);
}

/**
 * /proc/net/route. Columns are found by the header's names (as net-tools
 * does), so reordered or extra columns are read right.
 */
export function parseProcNetRoute(text: string): Route4[] {
  const source = '/proc/net/route';
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new ParseError(source, `no ${name} column in header ${JSON.stringify(lines[0] ?? '')}`);
    return i;
  };
  const c = {
    iface: col('Iface'), dest: col('Destination'), gw: col('Gateway'), flags: col('Flags'), ref: col('RefCnt'), use: col('Use'),
    metric: col('Metric'), mask: col('Mask'), mtu: col('MTU'), window: col('Window'), irtt: col('IRTT'),
  };
  const out: Route4[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    if (t.length < header.length) throw new ParseError(source, `short line ${JSON.stringify(line)}`);
    out.push({
      iface: t[c.iface]!,
      destination: decodeRouteAddress(t[c.dest]!, source),
      gateway: decodeRouteAddress(t[c.gw]!, source),
      genmask: decodeRouteAddress(t[c.mask]!, source),
      flags: num(t[c.flags], true, source, 'flags'),
      refCnt: num(t[c.ref], false, source, 'RefCnt'),
      use: num(t[c.use], false, source, 'Use'),
      metric: num(t[c.metric], false, source, 'Metric'),
      mtu: num(t[c.mtu], false, source, 'MTU'),
      window: num(t[c.window], false, source, 'Window'),
      irtt: num(t[c.irtt], false, source, 'IRTT'),
    });
  }
  return out;
}

function v6(hex: string | undefined, source: string): string {
  const b = hex === undefined ? null : hexBytes16(hex);
  if (!b) throw new ParseError(source, `bad IPv6 address ${JSON.stringify(hex)}`);
  return inetNtop6(b);
}

/** /proc/net/ipv6_route: dest plen src slen nexthop metric refcnt use flags iface (all hex but the name). */
export function parseIpv6Route(text: string): Route6[] {
  const source = '/proc/net/ipv6_route';
  const out: Route6[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    if (t.length < 10) throw new ParseError(source, `short line ${JSON.stringify(line)}`);
    out.push({
      destination: v6(t[0], source),
      destinationPrefix: num(t[1], true, source, 'prefix length'),
      source: v6(t[2], source),
      sourcePrefix: num(t[3], true, source, 'source prefix length'),
      nextHop: v6(t[4], source),
      metric: num(t[5], true, source, 'metric'),
      refCnt: num(t[6], true, source, 'refcnt'),
      use: num(t[7], true, source, 'use'),
      flags: num(t[8], true, source, 'flags'),
      iface: t[9]!,
    });
  }
  return out;
}

/** The IPv4 routing table (every line, up or not); null when the kernel has no IPv4. */
export function routes(): Route4[] | null {
  const t = readProcNetOptional('route');
  return t === null ? null : parseProcNetRoute(t);
}

/** The IPv6 routing table (FIB and cache entries; RTF_CACHE tells them apart); null without IPv6. */
export function routes6(): Route6[] | null {
  const t = readProcNetOptional('ipv6_route');
  return t === null ? null : parseIpv6Route(t);
}

/** One line of /proc/net/rt_cache, by the header's column names (the IPv4 routing cache; empty since Linux 3.6). */
export type RtCacheEntry = Readonly<Record<string, string>>;

/** /proc/net/rt_cache: a header line of column names, then rows of the same fields. */
export function parseRtCache(text: string): RtCacheEntry[] {
  const source = '/proc/net/rt_cache';
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/).filter((h) => h !== '');
  if (lines.length > 0 && lines[0]!.trim() !== '' && !header.includes('Iface')) throw new ParseError(source, `unexpected header ${JSON.stringify(lines[0])}`);
  const out: RtCacheEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const t = lines[i]!.trim().split(/\s+/);
    if (t.length < header.length) throw new ParseError(source, `short line ${JSON.stringify(lines[i])}`);
    const row: Record<string, string> = {};
    header.forEach((h, k) => (row[h] = t[k]!));
    out.push(row);
  }
  return out;
}

/** The IPv4 routing cache; null when the kernel has no such file. */
export function routeCache(): RtCacheEntry[] | null {
  const t = readProcNetOptional('rt_cache');
  return t === null ? null : parseRtCache(t);
}
