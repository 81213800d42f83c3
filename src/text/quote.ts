/**
 * gnulib's quoting of names in diagnostics, as coreutils and util-linux
 * print them. Two styles:
 * - `quote` (locale style): 'name' in the C locale, ‘name’ in a UTF-8 one,
 *   with C backslash escapes (\n, \\, \' or \’, octal bytes) for what the
 *   locale cannot show (`nice: invalid adjustment ‘x’`, df's `field 'x' unknown`);
 * - `quoteaf` / `quotef` (shell-escape style): a form a shell reads back,
 *   `'a b'`, `"it's"`, `'x'$'\n''y'` (df's `'a b': No such file or directory`).
 *
 * Whether the locale is UTF-8 is what setlocale(LC_ALL, "") would decide
 * (core/base/locale: a locale that is not installed leaves the C locale).
 * Strings may hold bytes that are not UTF-8 as surrogate escapes
 * (core/base/text-bytes); those are the raw bytes they stand for.
 */
import { utf8Locale } from '../core/base/locale.js';
import { encodeSurrogateEscape } from '../core/base/text-bytes.js';

/** Characters that never need quoting in shell style. */
const SAFE = /^[%+,\-./0-9A-Z\]_a-z@]$/;
/** Shell-special characters (quoted wherever they appear; ':' because quotef quotes it too). */
const SPECIAL = new Set([' ', '!', '"', '$', '&', '(', ')', '*', ';', '<', '=', '>', '[', '^', '`', '|', '?', "'", ':', '\\']);
/** Control characters with a letter escape. */
const C_ESCAPES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v' };

/**
 * The units quoting looks at: characters in a UTF-8 locale (a lone
 * surrogate escape stays one unit: a byte that is not UTF-8), otherwise
 * bytes, as latin1 characters.
 */
function units(s: string, utf8: boolean): string[] {
  return utf8 ? Array.from(s) : Array.from(encodeSurrogateEscape(s).toString('latin1'));
}

/** A surrogate escape (U+DC80..U+DCFF): the byte it stands for, else -1. */
function escapedByte(code: number): number {
  return code >= 0xdc80 && code <= 0xdcff ? code - 0xdc00 : -1;
}

/**
 * Whether glibc's iswprint() holds for a unit: printable ASCII; in a UTF-8
 * locale also every assigned character other than controls and the line and
 * paragraph separators (so format characters such as U+00AD and U+200B,
 * private use and U+FFFD print as they are). In the C locale no byte ≥ 0x80 does.
 */
function printable(u: string, utf8: boolean): boolean {
  const code = u.codePointAt(0)!;
  if (code < 0x80) return code >= 0x20 && code !== 0x7f;
  if (!utf8 || escapedByte(code) >= 0) return false;
  return !/[\p{Cc}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u.test(u);
}

/** The bytes of a unit, for octal escapes. */
function unitBytes(u: string, utf8: boolean): number[] {
  const code = u.codePointAt(0)!;
  if (!utf8) return [code];
  const raw = escapedByte(code);
  return raw >= 0 ? [raw] : Array.from(Buffer.from(u, 'utf8'));
}

function octal(byte: number): string {
  return `\\${byte.toString(8).padStart(3, '0')}`;
}

/**
 * gnulib's quote() (locale quoting style): 'like this' in the C locale,
 * ‘like this’ in a UTF-8 one; backslash and the closing quote escaped with
 * a backslash, control characters as \n or octal, and anything else the
 * locale cannot print as the octal of its bytes.
 */
export function quote(s: string, env: NodeJS.ProcessEnv = {}): string {
  const utf8 = utf8Locale(env);
  const [open, close] = utf8 ? ['\u2018', '\u2019'] : ["'", "'"];
  let out = open;
  for (const u of units(s, utf8)) {
    if (u === '\\' || u === close) out += `\\${u}`;
    else if (u in C_ESCAPES) out += `\\${C_ESCAPES[u]}`;
    else if (u === '\0') out += '\\0';
    else if (printable(u, utf8)) out += u;
    else for (const b of unitBytes(u, utf8)) out += octal(b);
  }
  return out + close;
}

/** Whether a name needs quoting in shell-escape style. */
function needsShellQuoting(u: string[], utf8: boolean): boolean {
  if (u.length === 0) return true;
  for (let i = 0; i < u.length; i++) {
    const c = u[i]!;
    if (SAFE.test(c)) continue;
    if (SPECIAL.has(c) || c in C_ESCAPES) return true;
    if ((c === '#' || c === '~') && i === 0) return true;
    if ((c === '{' || c === '}') && u.length === 1) return true;
    if (!printable(c, utf8)) return true;
    // other printable characters: '#', '~', '{', '}' elsewhere, and in UTF-8 any printable one
  }
  return false;
}

/**
 * gnulib's quotef (shell-escape style, colons quoted too): the name as is
 * when it is plain; otherwise as quoteaf gives it.
 */
export function quotef(s: string, env: NodeJS.ProcessEnv = {}): string {
  const utf8 = utf8Locale(env);
  return needsShellQuoting(units(s, utf8), utf8) ? quoteaf(s, env) : s;
}

/**
 * gnulib's quoteaf (shell-escape style, always quoted: `cannot access 'x'`):
 * in single quotes, with `'\''` for a single quote and `'$'\n''` for control
 * characters (octal escapes for other unprintable bytes). A name whose only
 * trouble is a single quote is given in double quotes instead.
 */
export function quoteaf(s: string, env: NodeJS.ProcessEnv = {}): string {
  const utf8 = utf8Locale(env);
  const u = units(s, utf8);
  // The double-quote form: only safe characters, spaces, single quotes and (in UTF-8) printable text.
  const plain = (c: string, i: number): boolean =>
    c === "'" || c === ' ' || SAFE.test(c) || (i === 0 && (c === '#' || c === '~')) || (c.codePointAt(0)! >= 0x80 && printable(c, utf8));
  if (u.includes("'") && u.every(plain)) return `"${s}"`;
  let out = "'";
  let inEscape = false;
  const startEscape = (): void => {
    if (!inEscape) {
      out += "'$'";
      inEscape = true;
    }
    out += '\\';
  };
  for (const c of u) {
    if (c in C_ESCAPES) {
      startEscape();
      out += C_ESCAPES[c];
    } else if (c === "'") {
      out += "'\\''";
      inEscape = false;
    } else if (!printable(c, utf8)) {
      for (const b of unitBytes(c, utf8)) {
        startEscape();
        out += b.toString(8).padStart(3, '0');
      }
    } else {
      if (inEscape) {
        out += "''";
        inEscape = false;
      }
      out += c;
    }
  }
  return `${out}'`;
}
