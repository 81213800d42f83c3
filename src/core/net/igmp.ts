/**
 * Multicast group memberships: /proc/net/igmp (IPv4) and /proc/net/igmp6.
 */
import { hexBytes16, inetNtop6 } from './inet.js';
import { ParseError } from '../base/errors.js';
import { readProcNetOptional } from '../base/read.js';

/** One group joined on one interface. */
export interface MulticastGroup {
  /** AF_INET (2) or AF_INET6 (10). */
  readonly family: number;
  readonly ifindex: number;
  readonly iface: string;
  readonly group: string;
  /** How many sockets (or the kernel itself) joined it ("Users" / refcount). */
  readonly users: number;
}

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * /proc/net/igmp: a header, then per interface a line
 * "idx\tname : count querier" followed by its groups, each
 * "\t\t\t\tGROUP users timer:expires\t\treporter" with GROUP a little-endian
 * 32-bit word in hex.
 */
export function parseIgmp(text: string): MulticastGroup[] {
  const source = '/proc/net/igmp';
  const out: MulticastGroup[] = [];
  const lines = text.split('\n');
  let dev: { ifindex: number; iface: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (i === 0 && /^Idx\b/.test(line)) continue;
    if (line.startsWith('\t')) {
      const t = line.trim().split(/\s+/);
      if (!dev || t.length < 2 || t[0]!.length !== 8 || !HEX.test(t[0]!) || !/^\d+$/.test(t[1]!)) {
        throw new ParseError(source, `malformed group line ${JSON.stringify(line)}`);
      }
      const h = t[0]!;
      const group = [6, 4, 2, 0].map((k) => parseInt(h.slice(k, k + 2), 16)).join('.');
      out.push({ family: 2, ifindex: dev.ifindex, iface: dev.iface, group, users: Number(t[1]) });
      continue;
    }
    const m = /^(\d+)\t(.*?)\s*:\s*\d+/.exec(line);
    if (!m) throw new ParseError(source, `malformed interface line ${JSON.stringify(line)}`);
    dev = { ifindex: Number(m[1]), iface: m[2]! };
  }
  return out;
}

/** /proc/net/igmp6: "idx name group(32 hex) users flags timer" per line. */
export function parseIgmp6(text: string): MulticastGroup[] {
  const source = '/proc/net/igmp6';
  const out: MulticastGroup[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    const b = t.length < 4 ? null : hexBytes16(t[2]!);
    if (!b || !/^\d+$/.test(t[0]!) || !/^\d+$/.test(t[3]!)) throw new ParseError(source, `malformed line ${JSON.stringify(line)}`);
    out.push({ family: 10, ifindex: Number(t[0]), iface: t[1]!, group: inetNtop6(b), users: Number(t[3]) });
  }
  return out;
}

/** IPv4 memberships; null when /proc/net/igmp is absent. */
export function multicastGroups(): MulticastGroup[] | null {
  const t = readProcNetOptional('igmp');
  return t === null ? null : parseIgmp(t);
}

/** IPv6 memberships; null when /proc/net/igmp6 is absent. */
export function multicastGroups6(): MulticastGroup[] | null {
  const t = readProcNetOptional('igmp6');
  return t === null ? null : parseIgmp6(t);
}
