/**
 * Host name canonicalisation for who --lookup: what glibc's getaddrinfo
 * with AI_CANONNAME reports (the official name of the first matching
 * /etc/hosts entry, else the name DNS resolves to after CNAMEs), and the
 * reverse, getnameinfo(NI_NAMEREQD) for an address. Both are asynchronous
 * (DNS); a name that does not resolve gives null and the caller keeps what
 * it had, as coreutils does.
 */
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { tryReadText } from './read.js';

/** One /etc/hosts line: an address and its names, the official (canonical) one first. */
export interface HostsEntry {
  readonly address: string;
  readonly names: readonly string[];
}

let hostsPath = process.env.PTOOLS_HOSTS_PATH || '/etc/hosts';

/** The hosts file consulted before DNS (for tests: a fixture). */
export function setHostsPath(path: string): void {
  hostsPath = path;
}
export function getHostsPath(): string {
  return hostsPath;
}

/**
 * Parses hosts(5) text. Comments (#) and blank lines are skipped; a line
 * whose first field is not an IP address, or that has no name, is ignored,
 * as glibc's files backend does. Never throws.
 */
export function parseHosts(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const [address, ...names] = line.split(/\s+/);
    if (address === undefined || names.length === 0) continue;
    // glibc accepts "addr%scope" for IPv6 in hosts; compare without the scope.
    const bare = address.replace(/%.*$/, '');
    if (isIP(bare) === 0) continue;
    out.push({ address: bare, names });
  }
  return out;
}

/** The 16 bytes of an address in text, for comparing spellings ("::1" vs "0::1"). */
function addressKey(a: string): string | null {
  const v = isIP(a);
  if (v === 4) return a.split('.').map((p) => Number(p)).join('.');
  if (v !== 6) return null;
  let text = a.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const q = dotted[1]!.split('.').map(Number);
    text = text.slice(0, dotted.index) + `${((q[0]! << 8) | q[1]!).toString(16)}:${((q[2]! << 8) | q[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const words = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.map((w) => parseInt(w, 16).toString(16)).join(':');
}

function hostsEntries(): HostsEntry[] {
  const text = tryReadText(hostsPath);
  return text === undefined ? [] : parseHosts(text);
}

/** The official name of the first hosts entry listing `name` (case-insensitively), or null. */
export function canonicalFromHosts(entries: readonly HostsEntry[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const e of entries) if (e.names.some((n) => n.toLowerCase() === lower)) return e.names[0]!;
  return null;
}

/** The official name of the first hosts entry for `address`, or null. */
export function nameFromHosts(entries: readonly HostsEntry[], address: string): string | null {
  const key = addressKey(address);
  if (key === null) return null;
  for (const e of entries) if (addressKey(e.address) === key) return e.names[0]!;
  return null;
}

/**
 * getaddrinfo(name, AI_CANONNAME)'s canonical name: a numeric address is
 * its own; then /etc/hosts; then DNS (the end of the CNAME chain of a name
 * that resolves). null when the name does not resolve.
 */
export async function canonicalHost(name: string): Promise<string | null> {
  if (name === '') return null;
  if (isIP(name) !== 0) return name;
  const fromHosts = canonicalFromHosts(hostsEntries(), name);
  if (fromHosts !== null) return fromHosts;
  try {
    await dns.lookup(name);
  } catch {
    return null;
  }
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

/** getnameinfo(NI_NAMEREQD) of an address: /etc/hosts, then DNS PTR; null when it has no name. */
export async function reverseHost(address: string): Promise<string | null> {
  if (isIP(address) === 0) return null;
  const fromHosts = nameFromHosts(hostsEntries(), address);
  if (fromHosts !== null) return fromHosts;
  try {
    const names = await dns.reverse(address);
    return names[0] ?? null;
  } catch {
    return null;
  }
}
