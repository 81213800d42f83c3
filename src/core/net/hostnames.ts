/**
 * Host name canonicalisation for who --lookup, with the C library's order
 * (nsswitch "files dns"): /etc/hosts through hosts.ts, then DNS.
 * canonicalHost() is getaddrinfo(name, AI_CANONNAME)'s canonical name (the
 * official name of the first hosts line listing the name, else the end of
 * the DNS CNAME chain of a name that resolves); reverseHost() is
 * getnameinfo(NI_NAMEREQD) of an address. Both are asynchronous because DNS
 * is; a name that does not resolve gives null and the caller keeps what it
 * had, as coreutils does. (hosts.ts itself never touches the network; these
 * two are the opt-in that --lookup asks for.)
 */
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { ParseError } from '../base/errors.js';
import { hostName, parseHosts, type HostsEntry } from './hosts.js';
import { etcTable } from './services.js';

function hostsTable(): readonly HostsEntry[] {
  try {
    return etcTable('hosts', parseHosts);
  } catch (e) {
    // A hosts file that is not text is no source of names (as the C library skips it).
    if (e instanceof ParseError) return [];
    throw e;
  }
}

/** The official name of the first hosts entry listing `name` (names compare case-insensitively), or null. */
export function canonicalFromHosts(entries: readonly HostsEntry[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const e of entries) if (e.names.some((n) => n.toLowerCase() === lower)) return e.names[0]!;
  return null;
}

/**
 * getaddrinfo(name, AI_CANONNAME)'s canonical name: a numeric address is its
 * own; then /etc/hosts; then DNS. null when the name does not resolve.
 */
export async function canonicalHost(name: string): Promise<string | null> {
  if (name === '') return null;
  if (isIP(name) !== 0) return name;
  const fromHosts = canonicalFromHosts(hostsTable(), name);
  if (fromHosts !== null) return fromHosts;
  try {
    await dns.lookup(name);
  } catch {
    return null;
  }
  // The name resolves: its canonical name is where its CNAME chain ends.
  let current = name;
  for (let hop = 0; hop < 8; hop++) {
    let next: string[];
    try {
      next = await dns.resolveCname(current);
    } catch {
      break;
    }
    if (next.length === 0 || next[0] === current) break;
    current = next[0]!;
  }
  return current;
}

/** getnameinfo(NI_NAMEREQD) of an address: /etc/hosts, then a DNS PTR lookup; null when nothing names it. */
export async function reverseHost(address: string): Promise<string | null> {
  if (isIP(address) === 0) return null;
  let fromHosts: string | null;
  try {
    fromHosts = hostName(address);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    fromHosts = null;
  }
  if (fromHosts !== null) return fromHosts;
  try {
    const names = await dns.reverse(address);
    return names[0] ?? null;
  } catch {
    return null;
  }
}
