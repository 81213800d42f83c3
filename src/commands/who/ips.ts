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
import { inetNtop4, inetNtop6, isV4Mapped } from '../../core/net/inet.js';

/** What Debian's who --ips prints for these 16 bytes, or null when they are all zero (the host is shown). */
export function whoIpText(b: Uint8Array): string | null {
  if (b.every((x) => x === 0)) return null;
  if (isV4Mapped(b)) return inetNtop4(b, 12);
  const beyondFirstWord = b.subarray(4).some((x) => x !== 0);
  const b0 = b[0]!;
  const remoteRange = (b0 & 0xe0) === 0x20 || (b0 & 0xfe) === 0xfc || (b0 === 0xfe && (b[1]! & 0xc0) === 0xc0);
  if (beyondFirstWord && remoteRange) return inetNtop6(b);
  return inetNtop4(b);
}
