/**
 * Kernel strings (command lines, comm, file and socket names) are bytes, not
 * text: nothing makes them valid UTF-8. ptools carries them losslessly as
 * JavaScript strings the way Python's os.fsdecode() (and so psutil) does,
 * with the "surrogateescape" error handler:
 *
 * - every valid UTF-8 sequence becomes its character (so valid UTF-8, the
 *   usual case, is just the text);
 * - every byte that is not part of a valid UTF-8 sequence becomes the lone
 *   surrogate U+DC80 + (byte - 0x80), i.e. U+DC80..U+DCFF.
 *
 * Valid means strict UTF-8 (RFC 3629): no overlong forms (C0 80, E0 80 80),
 * no encoded surrogates (ED A0 80), nothing above U+10FFFF (F4 90 80 80, the
 * old 5- and 6-byte forms), no truncated sequence. An invalid sequence is
 * escaped byte by byte, exactly as Python's bytes.decode('utf-8',
 * 'surrogateescape') escapes it.
 *
 * JSON.stringify writes a lone surrogate as a "\udcXX" escape (well-formed
 * JSON since Node 12), so --json output stays valid, ASCII-safe JSON, and a
 * consumer gets the exact bytes back: in Python
 * `value.encode('utf-8', 'surrogateescape')`, here encodeSurrogateEscape().
 */
import { isUtf8 } from 'node:buffer';

/** Length of the strictly valid UTF-8 sequence at buf[i], or 0 when none starts there. */
function validAt(buf: Uint8Array, i: number): number {
  const b0 = buf[i]!;
  if (b0 < 0x80) return 1;
  const n = buf.length;
  const cont = (k: number): boolean => k < n && (buf[k]! & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (i + 1 >= n) return 0;
    const b1 = buf[i + 1]!;
    // E0: A0..BF (no overlongs); ED: 80..9F (no surrogates); others 80..BF.
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (b1 < lo || b1 > hi) return 0;
    return cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (i + 1 >= n) return 0;
    const b1 = buf[i + 1]!;
    // F0: 90..BF (no overlongs); F4: 80..8F (nothing above U+10FFFF).
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return 0;
    return cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  // 80..BF (a lone continuation byte), C0, C1, F5..FF (5- and 6-byte forms included).
  return 0;
}

/** Bytes → string: valid UTF-8 decoded, every other byte as U+DC80 + (byte - 0x80) (Python's surrogateescape). */
export function decodeSurrogateEscape(buf: Uint8Array): string {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (isUtf8(b)) return b.toString('utf8');
  let out = '';
  let run = 0; // start of the current run of valid bytes
  let i = 0;
  while (i < b.length) {
    const len = validAt(b, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (run < i) out += b.toString('utf8', run, i);
    out += String.fromCharCode(0xdc00 + b[i]!);
    i++;
    run = i;
  }
  if (run < b.length) out += b.toString('utf8', run, b.length);
  return out;
}

/**
 * String → bytes, the inverse of decodeSurrogateEscape: characters as UTF-8,
 * U+DC80..U+DCFF as the single bytes 0x80..0xFF. Any other lone surrogate
 * cannot come from bytes and is a RangeError (as Python's UnicodeEncodeError).
 */
export function encodeSurrogateEscape(s: string): Buffer {
  if (!/[\ud800-\udfff]/.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++; // a surrogate pair: a character above U+FFFF, encoded with its run
        continue;
      }
    } else if (c >= 0xdc80 && c <= 0xdcff) {
      if (run < i) parts.push(Buffer.from(s.slice(run, i), 'utf8'));
      parts.push(Buffer.of(c - 0xdc00));
      run = i + 1;
      continue;
    }
    throw new RangeError(`lone surrogate U+${c.toString(16).toUpperCase()} at index ${i} is not an escaped byte`);
  }
  if (run < s.length) parts.push(Buffer.from(s.slice(run), 'utf8'));
  return Buffer.concat(parts);
}

const ASCII = /^[\x00-\x7f]*$/;

/** A byte string held as latin1 (one char per byte, as the bulk reader returns) → the lossless text. */
export function latin1ToText(s: string): string {
  if (ASCII.test(s)) return s;
  return decodeSurrogateEscape(Buffer.from(s, 'latin1'));
}
