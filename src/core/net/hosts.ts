/**
 * Address → name, from files only: /etc/hosts (host names) and
 * /etc/networks (network names). This is the "files" half of the C
 * library's resolver; the DNS half is deliberately absent, so a lookup can
 * never wait on the network: an address these files do not name is shown as
 * a number.
 */
import { inetPton4, inetPton6 } from './inet.js';
import { ParseError } from '../base/errors.js';
import { etcTable } from './services.js';

/** One /etc/hosts line: an address (4 or 16 bytes) and its names, canonical first. */
export interface HostsEntry {
  readonly family: 4 | 6;
  readonly address: Uint8Array;
  readonly names: readonly string[];
}

/**
 * The lines of a files-database table (/etc/hosts, /etc/networks) as their
 * whitespace-separated fields: comments ('#' to the end) removed, lines with
 * fewer than two fields skipped. Binary data is a ParseError.
 */
function tableLines(text: string, source: string): string[][] {
  if (text.includes('\0')) throw new ParseError(source, 'binary data');
  const out: string[][] = [];
  for (const raw of text.split('\n')) {
    const h = raw.indexOf('#');
    const line = (h < 0 ? raw : raw.slice(0, h)).trim();
    if (line === '') continue;
    const t = line.split(/\s+/);
    if (t.length >= 2) out.push(t);
  }
  return out;
}

/** /etc/hosts in file order; lines whose address does not parse are skipped (as the C library does). */
export function parseHosts(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const t of tableLines(text, 'hosts')) {
    // A zone index (fe80::1%eth0) is not part of the address bytes.
    const addrText = t[0]!.replace(/%.*$/, '');
    const v4 = inetPton4(addrText);
    if (v4) {
      out.push({ family: 4, address: v4, names: t.slice(1) });
      continue;
    }
    const v6 = inetPton6(addrText);
    if (v6) out.push({ family: 6, address: v6, names: t.slice(1) });
  }
  return out;
}

/** One /etc/networks line: `name number aliases`. */
export interface NetworksEntry {
  readonly name: string;
  /** inet_network() of the number: '169.254' → 0xa9fe, '169.254.0.0' → 0xa9fe0000. */
  readonly net: number;
}

/** inet_network(): 1 to 4 dot-separated parts (decimal, 0x hex or 0 octal), each a byte, packed base 256; null if invalid. */
export function inetNetwork(text: string): number | null {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  let v = 0;
  for (const p of parts) {
    let n: number;
    if (/^0[xX][0-9A-Fa-f]+$/.test(p)) n = parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = parseInt(p, 8);
    else if (/^[1-9]\d*$/.test(p)) n = Number(p);
    else return null;
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

/** /etc/networks in file order (malformed lines skipped). */
export function parseNetworks(text: string): NetworksEntry[] {
  const out: NetworksEntry[] = [];
  for (const t of tableLines(text, 'networks')) {
    const net = inetNetwork(t[1]!);
    if (net === null) continue;
    out.push({ name: t[0]!, net });
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The canonical name /etc/hosts gives an address (the first name of the
 * first line with that address), as gethostbyaddr's "files" source answers;
 * null when no line names it. `address` is 4 or 16 bytes, or text. Only
 * lines of the same family match: the files source does not look up an
 * IPv4-mapped address (::ffff:a.b.c.d) as IPv4 (only DNS does), and ::1 is
 * found only if a line names it.
 */
export function lookupHostsEntry(entries: readonly HostsEntry[], address: Uint8Array | string): string | null {
  const bytes = typeof address === 'string' ? inetPton4(address) ?? inetPton6(address) : address;
  if (!bytes || (bytes.length !== 4 && bytes.length !== 16)) return null;
  const family = bytes.length === 4 ? 4 : 6;
  for (const e of entries) if (e.family === family && sameBytes(e.address, bytes)) return e.names[0] ?? null;
  return null;
}

/** The host name /etc/hosts gives this address, or null (no DNS: see the module comment). */
export function hostName(address: Uint8Array | string): string | null {
  return lookupHostsEntry(etcTable('hosts', parseHosts), address);
}

/** The /etc/networks name of a network number (host byte order, as getnetbyaddr takes it), or null. */
export function networkName(net: number): string | null {
  for (const e of etcTable('networks', parseNetworks)) if (e.net === net) return e.name;
  return null;
}
