/**
 * How net-tools turns addresses, ports and users into text: the name
 * lookups (files only, through the core), the special cases ('*' for port 0,
 * '[::]' for the IPv6 any address, 'default' for the default route) and the
 * truncation of address:port to 22 characters without -W.
 */
import { inetPton4, inetPton6, isV4Mapped } from '../../core/net/inet.js';
import { decodeSurrogateEscape, encodeSurrogateEscape } from '../../core/base/text-bytes.js';

/** The name sources; a null answer means "print the number". */
export interface Names {
  /** /etc/hosts: the canonical name of an address (4 or 16 bytes). */
  host(address: Uint8Array): string | null;
  /** /etc/networks: the name of a network number (host order). */
  network(net: number): string | null;
  /** /etc/services (and /etc/protocols for 'raw'). */
  service(port: number, protocol: string): string | null;
  /** /etc/passwd (and NSS): the user name of a uid. */
  user(uid: number): string | null;
}

/** No names at all (what -n gives, and what tests use for pure layout). */
export const NO_NAMES: Names = { host: () => null, network: () => null, service: () => null, user: () => null };

/** The subset of -n that matters here. */
export interface Numeric {
  hosts: boolean;
  ports: boolean;
  users: boolean;
}

function v4num(b: Uint8Array): number {
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

/**
 * An IPv4 address the way net-tools' INET_rresolve prints it. `mask` is the
 * netmask as 4 bytes in address order: 0.0.0.0 prints as 'default' (with
 * `def`) or '*' under an all-zero mask, else as '0.0.0.0'; an address with
 * host bits outside the mask (or `host`) is looked up as a host, otherwise
 * as a network.
 */
export function inet4Name(text: string, names: Names, opts: { numeric: boolean; mask: Uint8Array; def?: boolean; host?: boolean }): string {
  if (opts.numeric) return text;
  const b = inetPton4(text);
  if (!b) return text;
  const ad = v4num(b);
  if (ad === 0) {
    if (opts.mask.every((x) => x === 0)) return opts.def ? 'default' : '*';
    return '0.0.0.0';
  }
  const isHost = opts.host === true || b.some((x, i) => (x & ~opts.mask[i]! & 0xff) !== 0);
  if (isHost) return names.host(b) ?? text;
  return names.network(ad) ?? text;
}

/**
 * The mask net-tools passes for socket addresses: the constant 0xffffff00,
 * which on a little-endian machine lies in memory as 00 ff ff ff — so only
 * the first octet counts as host bits, and only 0.x.y.z addresses are
 * looked up as networks.
 */
const SOCKET_MASK = Uint8Array.of(0x00, 0xff, 0xff, 0xff);

/** IPv6 as INET6_sprint: numeric inet_ntop text, '[::]' for any, else the hosts name; IPv4-mapped ones print as IPv4. */
export function inet6Name(text: string, names: Names, numeric: boolean): string {
  const b = inetPton6(text);
  let out = text;
  if (b && !numeric) {
    if (b.every((x) => x === 0)) return '[::]';
    out = names.host(b) ?? text;
  }
  // fix_v4_address: an IPv4-mapped address shows from its dotted part on.
  if (b && isV4Mapped(b)) {
    const dot = out.indexOf('.');
    if (dot >= 0) {
      const colon = out.lastIndexOf(':', dot);
      if (colon >= 0) out = out.slice(colon + 1);
    }
  }
  return out;
}

// Rows repeat a few addresses thousands of times: remember each answer (as
// net-tools keeps its own cache of names) for the sources it came from.
const hostMemo = new WeakMap<Names, Map<string, string>>();

/** An address of a socket table row (family 2 or 10). */
export function hostText(address: string, family: number, names: Names, numeric: boolean): string {
  let memo = hostMemo.get(names);
  if (!memo || memo.size > 50_000) {
    memo = new Map();
    hostMemo.set(names, memo);
  }
  const key = `${family}${numeric ? 'n' : 'r'}${address}`;
  let t = memo.get(key);
  if (t === undefined) {
    t = family === 2 ? inet4Name(address, names, { numeric, mask: SOCKET_MASK }) : inet6Name(address, names, numeric);
    memo.set(key, t);
  }
  return t;
}

/** get_sname: '*' for 0, else the service name unless numeric. */
export function portText(port: number, protocol: string, names: Names, numeric: boolean): string {
  if (port === 0) return '*';
  if (numeric) return String(port);
  return names.service(port, protocol) ?? String(port);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Byte length of a string as C's strlen sees it (a surrogate-escaped byte is one byte). */
function blen(s: string): number {
  return isAscii(s) ? s.length : encodeSurrogateEscape(s).length;
}

/** The first n bytes, as C cuts them: a character cut in two leaves its first bytes (surrogate-escaped). */
function bslice(s: string, n: number): string {
  if (isAscii(s)) return s.slice(0, n);
  const b = encodeSurrogateEscape(s);
  return b.length <= n ? s : decodeSurrogateEscape(b.subarray(0, n));
}

/**
 * addr_do_one: "host:port", cut to 22 bytes unless wide — the port keeps up
 * to 18 bytes, the host gets the rest.
 */
export function addrPort(host: string, port: string, wide: boolean): string {
  const shortLen = 22;
  if (!wide && blen(host) + blen(port) > shortLen) {
    const portLen = Math.min(blen(port), shortLen - 4);
    const addrLen = shortLen - portLen;
    return `${bslice(host, addrLen)}:${bslice(port, portLen)}`;
  }
  return `${host}:${port}`;
}

/** printf("%-Ns") */
export function padEnd(s: string, n: number): string {
  const l = blen(s);
  return l >= n ? s : s + ' '.repeat(n - l);
}

/** printf("%Nd") */
export function padStart(s: string | number, n: number): string {
  const t = String(s);
  const l = blen(t);
  return l >= n ? t : ' '.repeat(n - l) + t;
}

/** Truncates to at most n bytes (snprintf into an n+1 byte buffer). */
export function truncBytes(s: string, n: number): string {
  return bslice(s, n);
}
