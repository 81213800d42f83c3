/**
 * glibc's strtol(3) over a whole string, base 10, as the commands and the
 * signal parser read numbers: leading white space (C isspace) and a sign
 * allowed, then digits to the end; out of range saturates with ERANGE.
 */

/** glibc strtol over the whole string, base 10: undefined unless all of it is a number. */
export function strtolWhole(s: string): { value: bigint; overflow: boolean } | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (!m) return undefined;
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  const max = (1n << 63n) - 1n;
  const min = -(1n << 63n);
  if (v > max) return { value: max, overflow: true };
  if (v < min) return { value: min, overflow: true };
  return { value: v, overflow: false };
}
