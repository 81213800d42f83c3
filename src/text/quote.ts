/**
 * coreutils' quoting of names in messages, and glibc's strerror texts.
 * `quotef` is gnulib's shell-escape style with ':' also quoted (what df
 * uses for file names: `df: 'a b': No such file or directory`), `quote` the
 * locale style of the C locale (`field 'foo' unknown`).
 */

/** Characters that never need quoting in shell style. */
const SAFE = /[%+,\-./0-9A-Z\]_a-z@]/;
/** Shell-special characters (quoted wherever they appear). */
const SPECIAL = new Set([' ', '!', '"', '$', '&', '(', ')', '*', ';', '<', '=', '>', '[', '^', '`', '|', '?', '\'', ':', '\\']);
const C_ESCAPES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v' };

/** Whether a locale environment means UTF-8 text (else bytes, as in the C locale). */
export function utf8Locale(env: NodeJS.ProcessEnv): boolean {
  const loc = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(loc);
}

function printable(ch: string): boolean {
  return !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u.test(ch);
}

/** The units quoting works on: characters in a UTF-8 locale, bytes (as latin1 chars) otherwise. */
function units(s: string, utf8: boolean): string[] {
  return utf8 ? Array.from(s) : Array.from(Buffer.from(s, 'utf8').toString('latin1'));
}

function needsQuoting(u: string[], utf8: boolean): boolean {
  if (u.length === 0) return true;
  for (let i = 0; i < u.length; i++) {
    const c = u[i]!;
    if (SAFE.test(c) && c.length === 1 && c.charCodeAt(0) < 0x80) continue;
    if (SPECIAL.has(c) || c in C_ESCAPES) return true;
    if ((c === '#' || c === '~') && i === 0) return true;
    if ((c === '{' || c === '}') && u.length === 1) return true;
    const code = c.codePointAt(0)!;
    if (code < 0x80) {
      if (code < 0x20 || code === 0x7f) return true;
      continue; // other printable ASCII: '#', '~', '{', '}', ']' elsewhere
    }
    if (!utf8 || !printable(c)) return true;
  }
  return false;
}

/**
 * gnulib's quotef (shell-escape style, colons quoted too): the name as is
 * when it is plain; otherwise in single quotes, with `'\''` for a quote and
 * `'$'\n''` for control characters (octal escapes for other unprintable
 * bytes; in a non-UTF-8 locale every non-ASCII byte is one). A name whose
 * only trouble is a single quote is given in double quotes instead.
 */
export function quotef(s: string, env: NodeJS.ProcessEnv = {}): string {
  const utf8 = utf8Locale(env);
  if (!needsQuoting(units(s, utf8), utf8)) return s;
  return quoteaf(s, env);
}

/** gnulib's quoteaf: shell-escape style, always in quotes (`cannot access 'x': ...`). */
export function quoteaf(s: string, env: NodeJS.ProcessEnv = {}): string {
  const utf8 = utf8Locale(env);
  const u = units(s, utf8);
  // The double-quote form: only safe characters, spaces and single quotes (and printable text).
  const compat = (c: string, i: number): boolean =>
    c === "'" || c === ' ' || (c.length === 1 && c.charCodeAt(0) < 0x80 && SAFE.test(c)) || (i === 0 && (c === '#' || c === '~')) || (utf8 && c.codePointAt(0)! >= 0x80 && printable(c));
  if (u.includes("'") && u.every(compat)) {
    return `"${s}"`;
  }
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
    const code = c.codePointAt(0)!;
    if (c in C_ESCAPES) {
      startEscape();
      out += C_ESCAPES[c];
      continue;
    }
    if (c === "'") {
      out += "'\\''";
      inEscape = false;
      continue;
    }
    const unprintable = code < 0x20 || code === 0x7f || (code >= 0x80 && (!utf8 || !printable(c)));
    if (unprintable) {
      const bytes = utf8 ? Array.from(Buffer.from(c, 'utf8')) : [code];
      for (const b of bytes) {
        startEscape();
        out += b.toString(8).padStart(3, '0');
      }
      continue;
    }
    if (inEscape) {
      out += "''";
      inEscape = false;
    }
    out += c;
  }
  return `${out}'`;
}

/**
 * gnulib's quote(): 'like this' in the C locale, ‘like this’ in a UTF-8 one,
 * with backslash escapes for the closing quote, backslashes and control
 * characters.
 */
export function quote(s: string, env: NodeJS.ProcessEnv = {}): string {
  const utf8 = utf8Locale(env);
  const close = utf8 ? '\u2019' : "'";
  let out = utf8 ? '\u2018' : "'";
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === close || c === '\\') out += `\\${c}`;
    else if (c in C_ESCAPES) out += `\\${C_ESCAPES[c]}`;
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += c;
  }
  return out + close;
}

/** glibc's strerror() text for the errno codes df can meet. */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EINVAL: 'Invalid argument',
  ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function not implemented',
  ELOOP: 'Too many levels of symbolic links',
  EOVERFLOW: 'Value too large for defined data type',
  ENOTCONN: 'Transport endpoint is not connected',
  ESTALE: 'Stale file handle',
  ETIMEDOUT: 'Connection timed out',
  EHOSTDOWN: 'Host is down',
  ENOMEDIUM: 'No medium found',
  ENOMEM: 'Cannot allocate memory',
  EINTR: 'Interrupted system call',
  EAGAIN: 'Resource temporarily unavailable',
  EFAULT: 'Bad address',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  EROFS: 'Read-only file system',
};

/** The strerror text of an errno error (Node's or the addon's). */
export function strerror(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (STRERROR[code]) return STRERROR[code]!;
  // The addon's messages are "CODE: strerror text, syscall 'path'".
  const m = /^E[A-Z0-9]+: ([^,]+)/.exec(err?.message ?? '');
  if (m) return m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1);
  return err?.message ?? String(e);
}
