/**
 * gnulib's quote(), as coreutils 9.1 prints file and argument names in its
 * messages: 'name' in the C locale, ‘name’ in a UTF-8 one, with C-style
 * backslash escapes for what cannot be shown (\n, \t, \\, \', octal bytes).
 */

/** Whether the locale the environment selects for LC_CTYPE is UTF-8. */
export function utf8Locale(env: NodeJS.ProcessEnv): boolean {
  const v = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(v);
}

const LETTER_ESCAPES: Record<number, string> = { 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' };

function octal(byte: number): string {
  return `\\${byte.toString(8).padStart(3, '0')}`;
}

/** quote(arg) in the locale `env` selects. */
export function quote(arg: string, env: NodeJS.ProcessEnv = {}): string {
  const utf8 = utf8Locale(env);
  const [left, right] = utf8 ? ['\u2018', '\u2019'] : ["'", "'"];
  let out = '';
  for (const ch of arg) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === right) out += `\\${ch}`;
    else if (LETTER_ESCAPES[c] !== undefined) out += `\\${LETTER_ESCAPES[c]}`;
    else if (c === 0) out += '\\0';
    else if (c < 0x20 || c === 0x7f) out += octal(c);
    else if (c < 0x80) out += ch;
    else if (utf8 && c >= 0xa0 && c !== 0xfffd) out += ch;
    // Not printable here: each byte of its UTF-8 form in octal.
    else for (const b of Buffer.from(ch, 'utf8')) out += octal(b);
  }
  return left + out + right;
}
