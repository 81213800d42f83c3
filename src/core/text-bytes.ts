/**
 * Kernel strings are bytes (command names, command lines, paths), not always
 * UTF-8. The library and every `--json` carry them losslessly with Python's
 * "surrogateescape" convention, the one psutil's str values follow: valid
 * UTF-8 is decoded as usual, and each byte that is not part of a valid UTF-8
 * sequence becomes the lone surrogate U+DC00 + byte (U+DC80..U+DCFF).
 * JSON.stringify writes those as `\udcXX` escapes, so the JSON stays
 * well-formed, and `s.encode('utf-8', 'surrogateescape')` in Python (or
 * encodeSurrogateEscape here) gives the exact bytes back.
 */

/** The length of the valid UTF-8 sequence at b[i] (Unicode table 3-7), or 0 when b[i] does not start one. */
function seqLen(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const n = b.length;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => k < n && b[k]! >= lo && b[k]! <= hi;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c === 0xe0) return cont(i + 1, 0xa0) && cont(i + 2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(i + 1) && cont(i + 2) ? 3 : 0;
  // ED A0..BF would encode a surrogate: not UTF-8.
  if (c === 0xed) return cont(i + 1, 0x80, 0x9f) && cont(i + 2) ? 3 : 0;
  if (c === 0xf0) return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (c === 0xf4) return cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  return 0;
}

/** Bytes → string: UTF-8 where valid, U+DC00+byte for every other byte (lossless). */
export function decodeSurrogateEscape(b: Uint8Array): string {
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const fast = buf.toString('utf8');
  // No replacement character: every byte was valid UTF-8.
  if (!fast.includes('\ufffd')) return fast;
  let out = '';
  let run = 0; // start of the pending run of valid bytes
  let i = 0;
  while (i < buf.length) {
    const len = seqLen(buf, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (run < i) out += buf.toString('utf8', run, i);
    out += String.fromCharCode(0xdc00 + buf[i]!);
    i++;
    run = i;
  }
  if (run < buf.length) out += buf.toString('utf8', run, buf.length);
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

/** A byte string held as latin1 (one char per byte, as the bulk reader returns) → the lossless text. */
export function latin1ToText(s: string): string {
  if (ASCII.test(s)) return s;
  return decodeSurrogateEscape(Buffer.from(s, 'latin1'));
}

/** The inverse of decodeSurrogateEscape: U+DC80..U+DCFF become their byte, everything else UTF-8. */
export function encodeSurrogateEscape(s: string): Buffer {
  if (!/[\udc80-\udcff]/.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is a pair, not an escape.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xdc80 && c <= 0xdcff) {
      if (run < i) parts.push(Buffer.from(s.slice(run, i), 'utf8'));
      parts.push(Buffer.of(c - 0xdc00));
      run = i + 1;
    }
  }
  if (run < s.length) parts.push(Buffer.from(s.slice(run), 'utf8'));
  return Buffer.concat(parts);
}
