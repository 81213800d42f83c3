/**
 * /proc/<pid>/cmdline and /proc/<pid>/environ: NUL-separated vectors. The
 * one reader of each; the strings are whatever the caller decoded the bytes
 * to (surrogateescape text for psutil, latin1 byte strings for ps).
 */

/**
 * The exact strings of a NUL-separated vector: one terminating NUL dropped,
 * split at every other NUL. '' → []. (ps's and pmap's --json argv, ps's
 * environment list.)
 */
export function splitVector(raw: string): string[] {
  if (raw === '') return [];
  const data = raw.endsWith('\0') ? raw.slice(0, -1) : raw;
  return data.split('\0');
}

/**
 * /proc/<pid>/cmdline → argv as psutil reads it. Arguments end with NUL; a
 * program that rewrote its title into one string (setproctitle) leaves
 * spaces instead, so psutil's rule applies: no trailing NUL → split on
 * spaces; one NUL-ended string that contains spaces → split that on spaces
 * too. Empty (zombies, kernel threads) → [].
 */
export function parseCmdline(text: string): string[] {
  if (text === '') return [];
  const sep = text.endsWith('\0') ? '\0' : ' ';
  const data = text.endsWith(sep) ? text.slice(0, -1) : text;
  const args = data.split(sep);
  if (sep === '\0' && args.length === 1 && data.includes(' ')) return data.split(' ');
  return args;
}

/** /proc/<pid>/environ → { NAME: value }; stops at an empty entry; entries without '=' are skipped (psutil). */
export function parseEnviron(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let pos = 0;
  for (;;) {
    const next = text.indexOf('\0', pos);
    if (next <= pos) break;
    const eq = text.indexOf('=', pos);
    if (eq > pos && eq < next) out[text.slice(pos, eq)] = text.slice(eq + 1, next);
    pos = next + 1;
  }
  return { ...out };
}
