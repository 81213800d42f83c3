/**
 * Display width of a character in a UTF-8 locale, as glibc's wcwidth(3)
 * gives it for what ptools prints: 0 for combining marks (Mn, Me) and format
 * characters (Cf: zero-width space, direction marks…) except the soft hyphen,
 * which glibc counts as 1; 2 for East Asian wide and fullwidth characters and
 * the emoji blocks; 1 otherwise. Shared by ps's columns and df's table.
 */
export function wcwidth(cp: number): number {
  if (cp >= 0x300 && cp !== 0xad && /\p{Mn}|\p{Me}|\p{Cf}/u.test(String.fromCodePoint(cp))) return 0;
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

/** The display width of a string: the sum of its characters' widths. */
export function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += wcwidth(ch.codePointAt(0)!);
  return w;
}
