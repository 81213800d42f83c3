/**
 * Address text ↔ bytes, as the C library's inet_ntop(3) and inet_pton(3)
 * write and read it. The one implementation every reader and tool uses
 * (sockets, interfaces, routes, multicast groups, utmp, hosts files).
 */

/** 4 bytes (from `off`) as a dotted quad. */
export function inetNtop4(b: Uint8Array, off = 0): string {
  if (b.length < off + 4) throw new RangeError(`an IPv4 address is 4 bytes (${b.length - off} given)`);
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/**
 * 16 bytes as glibc's inet_ntop(AF_INET6) writes them: lowercase hex words
 * without leading zeros; the longest run of two or more zero words (the
 * first on a tie) is '::'; an IPv4-compatible (::a.b.c.d) or IPv4-mapped
 * (::ffff:a.b.c.d) address ends in a dotted quad.
 */
export function inetNtop6(b: Uint8Array): string {
  if (b.length !== 16) throw new RangeError(`an IPv6 address is 16 bytes (${b.length} given)`);
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[2 * i]! << 8) | b[2 * i + 1]!);
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += inetNtop4(b, 12);
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** 32 hex digits (the form of /proc/net/if_inet6, ipv6_route, igmp6) as bytes; null when not 32 hex digits. */
export function hexBytes16(hex: string): Uint8Array | null {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return null;
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/** True for ::ffff:a.b.c.d. */
export function isV4Mapped(b: Uint8Array): boolean {
  return b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** Dotted-quad text → 4 bytes, or null (inet_pton's strict form: four decimal parts, no leading zeros). */
export function inetPton4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const v = Number(p);
    if (v > 255) return null;
    out[i] = v;
  }
  return out;
}

/** IPv6 text → 16 bytes, or null (inet_pton's rules: at most one '::', 1-4 hex digits a group, an optional dotted-quad tail). */
export function inetPton6(text: string): Uint8Array | null {
  if (text.length === 0 || text.length > 45) return null;
  let tail4: Uint8Array | null = null;
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return null;
  if (s.slice(lastColon + 1).includes('.')) {
    tail4 = inetPton4(s.slice(lastColon + 1));
    if (!tail4) return null;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  let words: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return null;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return null;
    words = head;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i]! >> 8;
    out[2 * i + 1] = words[i]! & 0xff;
  }
  if (tail4) out.set(tail4, 12);
  return out;
}

/** 4 or 16 bytes → the numeric text inet_ntop writes for AF_INET or AF_INET6. */
export function inetNtop(b: Uint8Array): string {
  if (b.length === 4) return inetNtop4(b);
  return inetNtop6(b);
}
