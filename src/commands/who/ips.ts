/**
 * who --ips (a Debian addition to coreutils 9.1): the text shown for a
 * record's ut_addr_v6 instead of its host. Debian's who prints an IPv6
 * address only for the ranges a remote login can come from (global unicast
 * 2000::/3, unique local fc00::/7, site-local fec0::/10) when more than the
 * first 32 bits are set; an IPv4-mapped address as its IPv4 tail; anything
 * else as the IPv4 address in the first 32 bits. Worked out from the
 * installed who on 300 random addresses (test/commands/who.test.ts keeps
 * checking it).
 */
import { formatUtmpAddr } from '../../core/system/system.js';

/** The 16 bytes behind the text parseUtmp gives for ut_addr_v6 (IPv4 text = first word only). */
export function addrTextToBytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
  const m4 = v4.exec(text);
  if (m4) {
    for (let i = 0; i < 4; i++) out[i] = Number(m4[i + 1]) & 0xff;
    return out;
  }
  let t = text;
  const colon = t.lastIndexOf(':');
  const tail = v4.exec(t.slice(colon + 1));
  if (tail) {
    const q = tail.slice(1, 5).map(Number);
    t = `${t.slice(0, colon + 1)}${((q[0]! << 8) | q[1]!).toString(16)}:${((q[2]! << 8) | q[3]!).toString(16)}`;
  }
  const [head, rest] = t.split('::') as [string, string | undefined];
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16) & 0xffff));
  const h = words(head);
  const r = rest === undefined ? [] : words(rest);
  const all = [...h, ...new Array<number>(Math.max(0, 8 - h.length - r.length)).fill(0), ...r].slice(0, 8);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** What Debian's who --ips prints for these 16 bytes, or null when they are all zero (the host is shown). */
export function whoIpText(b: Uint8Array): string | null {
  if (b.every((x) => x === 0)) return null;
  const v4 = (o: number): string => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return v4(12);
  const beyondFirstWord = b.subarray(4).some((x) => x !== 0);
  const b0 = b[0]!;
  const remoteRange = (b0 & 0xe0) === 0x20 || (b0 & 0xfe) === 0xfc || (b0 === 0xfe && (b[1]! & 0xc0) === 0xc0);
  if (beyondFirstWord && remoteRange) return formatUtmpAddr(b);
  return v4(0);
}
