/**
 * procps's two text-cleaning passes over kernel strings (held as latin1
 * "byte strings"): the library's escape when a field is read, and ps's own
 * when it is printed (which also cuts to the column's room, in screen cells).
 * In the C locale every control byte becomes '.' and every byte ≥ 0x80 '?';
 * in a UTF-8 locale control characters become '?', valid multibyte characters
 * pass and count their display width. The library's pass lives in
 * src/text/procps-escape.ts (pmap prints it too).
 */
import { escAll, leadLen } from './procps-escape.js';

export { libEscape } from './procps-escape.js';

const ASCII_CLEAN = /^[\x20-\x7e]*$/;

/** Display width of a code point (a small wcwidth: 0 for combining marks, 2 for East Asian wide). */
function wcwidth(cp: number): number {
  if (cp >= 0x300 && /\p{Mn}|\p{Me}/u.test(String.fromCodePoint(cp))) return 0;
  if (cp === 0x200b) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

/** Decodes one UTF-8 character at i (strictly: no overlongs, surrogates or > U+10FFFF); null when invalid. */
function decodeAt(s: string, i: number): { cp: number; len: number } | null {
  const b = s.charCodeAt(i);
  const n = leadLen(b);
  if (n < 2 || i + n > s.length) return null;
  let cp = b & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
  for (let k = 1; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if ((c & 0xc0) !== 0x80) return null;
    cp = (cp << 6) | (c & 0x3f);
  }
  if ((n === 3 && cp < 0x800) || (n === 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  return { cp, len: n };
}

export interface Escaped {
  /** The text to print (UTF-16; for UTF-8 output, multibyte characters decoded). */
  text: string;
  /** Screen cells it takes. */
  cells: number;
}

/**
 * ps's own escape at print time, cut to `maxCells` cells. The input is a
 * byte string (already library-escaped).
 */
export function psEscape(s: string, maxCells: number, utf8: boolean): Escaped {
  if (maxCells <= 0) return { text: '', cells: 0 };
  if (ASCII_CLEAN.test(s)) {
    const text = s.length > maxCells ? s.slice(0, maxCells) : s;
    return { text, cells: text.length };
  }
  if (!utf8) {
    const cut = s.length > maxCells ? s.slice(0, maxCells) : s;
    const text = escAll(cut);
    return { text, cells: text.length };
  }
  let text = '';
  let cells = 0;
  for (let i = 0; i < s.length && cells < maxCells; ) {
    const b = s.charCodeAt(i);
    if (b < 0x80) {
      text += b >= 0x20 && b < 0x7f ? s[i] : '?';
      cells++;
      i++;
      continue;
    }
    const d = decodeAt(s, i);
    if (!d) {
      text += '?';
      cells++;
      i++;
      continue;
    }
    const ch = String.fromCodePoint(d.cp);
    if (/\p{Cc}|\p{Cs}|\p{Co}|\p{Cn}/u.test(ch)) {
      text += '?';
      cells++;
      i += d.len;
      continue;
    }
    const w = wcwidth(d.cp);
    if (w > maxCells - cells) break;
    text += ch;
    cells += w;
    i += d.len;
  }
  return { text, cells };
}

/** Display width of printable text (ASCII fast path). */
export function textCells(s: string): number {
  if (ASCII_CLEAN.test(s)) return s.length;
  let w = 0;
  for (const ch of s) w += wcwidth(ch.codePointAt(0)!);
  return w;
}
