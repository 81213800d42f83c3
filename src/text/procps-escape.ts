/**
 * procps-ng's escaping, the one module for it: the library's pass when a
 * field is read (library/escape.c's escape_str and readproc.c's
 * read_unvectored, 4.0.2), shared by the commands that print what libproc2
 * hands them — ps's CMD/COMMAND/ENVIRON/CGROUP fields and pmap's header line
 * — and ps's own pass when it prints a column (which also cuts to the
 * column's room, in screen cells). In the C locale every control byte
 * becomes '.' and every byte ≥ 0x80 '?'; in a UTF-8 locale control
 * characters become '?', valid multibyte characters pass and count their
 * display width.
 *
 * Strings are "byte strings": one char per byte (latin1), as the kernel's
 * bytes are not necessarily UTF-8. The result is a byte string too; in a
 * UTF-8 locale it may still hold invalid UTF-8 (escape_str checks lead bytes
 * only), which a caller prints as bytes.
 */
import { stringWidth, wcwidth } from './wcwidth.js';

/** procps's ESC_tab: the C-locale form of a byte (control bytes '.', bytes ≥ 0x80 '?'). */
function cMap(c: number): string {
  if (c < 0x20 || c === 0x7f) return '.';
  if (c >= 0x80) return '?';
  return String.fromCharCode(c);
}

/** esc_all: the C-locale form of a whole byte string. */
export function escAll(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += cMap(s.charCodeAt(i));
  return out;
}

/** Lead-byte sequence lengths (procps's UTF_tab): -1 for bytes that cannot start a character. */
export function leadLen(b: number): number {
  if (b < 0x80) return 1;
  if (b < 0xc2) return -1;
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  if (b < 0xf5) return 4;
  return -1;
}

const ASCII_CLEAN = /^[\x20-\x7e]*$/;

/**
 * The library's escape_str: applied once when cmdline, environ, comm, cgroup
 * and exe are read. C locale: control bytes become '.', bytes ≥ 0x80 '?'.
 * UTF-8 (esc_ctl): control bytes become '?'; a sequence whose lead byte is
 * valid and which fits passes whole, continuation bytes unchecked; from an
 * impossible lead byte (or a sequence cut by the end) on, the rest is mapped
 * as in the C locale.
 */
export function libEscape(raw: string, utf8: boolean): string {
  if (ASCII_CLEAN.test(raw)) return raw;
  if (!utf8) return escAll(raw);
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const b = raw.charCodeAt(i);
    const n = leadLen(b);
    if (n < 0 || i + n > raw.length) return out + escAll(raw.slice(i));
    if (b < 0x20 || b === 0x7f) out += '?';
    else out += raw.slice(i, i + n);
    i += n;
  }
  return out;
}

/** readproc's MAX_BUFSZ: read_unvectored reads at most this many bytes less one. */
export const PROCPS_MAX_BUFSZ = 128 * 1024;

/**
 * read_unvectored: the first 131071 bytes of a file (when it is longer),
 * trailing NULs dropped, the other NULs and newlines replaced by `sep`, and a
 * blank last byte dropped (one that was not a NUL).
 */
export function unvectored(raw: string, sep: string): string {
  let s = raw.length >= PROCPS_MAX_BUFSZ ? raw.slice(0, PROCPS_MAX_BUFSZ - 1) : raw;
  const n = s.length;
  if (n === 0) return '';
  const lastRaw = s.charCodeAt(n - 1);
  let i = n;
  while (i > 0 && s.charCodeAt(i - 1) === 0) i--;
  s = s.slice(0, i).replace(/[\0\n]/g, sep);
  // The byte at n-1 is dropped when it was (or became) a blank; a trailing NUL already ended the string.
  if (i === n && (lastRaw === 32 || (sep === ' ' && lastRaw === 10))) s = s.slice(0, -1);
  return s;
}

/**
 * libproc2's PIDS_CMDLINE (fill_cmdline_cvt): the command line read as
 * read_unvectored reads it and escaped; an empty file gives escape_command's
 * "[comm]" (" <defunct>" added for a zombie), with comm as stat2proc keeps it
 * (escaped, at most 63 bytes); an escape that leaves nothing gives "?".
 * All three arguments and the result are byte strings.
 */
export function procpsCmdline(cmdline: string, comm: string, state: string, utf8: boolean): string {
  if (cmdline.length > 0) {
    const s = libEscape(unvectored(cmdline, ' '), utf8);
    return s === '' ? '?' : s;
  }
  // escape_command escapes stat2proc's already escaped comm again: the escape is idempotent.
  const cmd = libEscape(comm.slice(0, 63), utf8);
  return `[${cmd}]${state === 'Z' ? ' <defunct>' : ''}`;
}

// ------------------------------------------------------------------ ps's print-time pass

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
  return ASCII_CLEAN.test(s) ? s.length : stringWidth(s);
}
