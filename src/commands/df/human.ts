/**
 * Sizes as coreutils prints and parses them (gnulib human.c, xstrtol.c),
 * learnt from their behaviour and re-expressed here: `humanReadable` turns a
 * count of input units into text in output units (exact integer arithmetic,
 * rounding up by default, autoscaling with K/M/G... for -h/-H), and
 * `humanOptions` parses a --block-size SIZE (1K, MB, MiB, 0x10, 'human-readable', 'si', "'1K").
 * Values are uintmax_t in C; here they are bigints kept within 64 bits.
 */

export const UINTMAX_MAX = (1n << 64n) - 1n;
const MOD = 1n << 64n;

/** human.h's option bits. */
export const HUMAN = {
  ceiling: 0,
  roundToNearest: 1,
  floor: 2,
  groupDigits: 4,
  suppressPointZero: 8,
  autoscale: 16,
  base1024: 32,
  spaceBeforeUnit: 64,
  SI: 128,
  B: 256,
} as const;

const POWER_LETTER = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const EXPONENT_MAX = POWER_LETTER.length - 1;

/** uintmax_t arithmetic wraps modulo 2^64. */
function u64(x: bigint): bigint {
  return ((x % MOD) + MOD) % MOD;
}

// ------------------------------------------------------------ x87 long double

/**
 * A positive x87 extended value: m * 2^e with a 64-bit significand. gnulib
 * falls back on `long double` when a size cannot be converted with integer
 * arithmetic (e.g. 4096-byte blocks shown in units of 1000); its rounding
 * (to nearest, ties to even, 64 bits) decides whether an exact product
 * lands a hair above an integer and is then rounded up, so it is reproduced
 * here exactly rather than with a 53-bit double.
 */
interface LD {
  m: bigint;
  e: number;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** num/den (positive) rounded to 64 significant bits, ties to even. */
function ldFromRational(num: bigint, den: bigint): LD {
  if (num === 0n) return { m: 0n, e: 0 };
  // Choose k so that 2^63 <= num * 2^k / den < 2^64.
  let k = 64 - (bitLength(num) - bitLength(den));
  let q: bigint;
  let r: bigint;
  let d: bigint;
  for (;;) {
    const n2 = k >= 0 ? num << BigInt(k) : num;
    d = k >= 0 ? den : den << BigInt(-k);
    q = n2 / d;
    r = n2 % d;
    if (q >= 1n << 64n) k--;
    else if (q < 1n << 63n) k++;
    else break;
  }
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q += 1n;
  if (q === 1n << 64n) {
    q >>= 1n;
    k--;
  }
  return { m: q, e: -k };
}

function ldRational(x: LD): [bigint, bigint] {
  return x.e >= 0 ? [x.m << BigInt(x.e), 1n] : [x.m, 1n << BigInt(-x.e)];
}

function ldMul(a: LD, b: LD): LD {
  const [an, ad] = ldRational(a);
  const [bn, bd] = ldRational(b);
  return ldFromRational(an * bn, ad * bd);
}

function ldDiv(a: LD, b: LD): LD {
  const [an, ad] = ldRational(a);
  const [bn, bd] = ldRational(b);
  return ldFromRational(an * bd, ad * bn);
}

function ldInt(n: bigint): LD {
  return ldFromRational(n, 1n);
}

/** trunc(x) and whether x was already an integer. */
function ldTrunc(x: LD): [bigint, boolean] {
  const [n, d] = ldRational(x);
  return [n / d, n % d === 0n];
}

/** gnulib's adjust_value for the ceiling/floor styles (values below UINTMAX_MAX). */
function ldAdjust(style: number, x: LD): bigint | LD {
  const [n, d] = ldRational(x);
  if (style === HUMAN.roundToNearest || n >= UINTMAX_MAX * d) return x;
  const [u, exact] = ldTrunc(x);
  return u + (style === HUMAN.ceiling && !exact ? 1n : 0n);
}

/** printf("%.0Lf"): to nearest, ties to even. */
function ldPrint0(x: bigint | LD): string {
  if (typeof x === 'bigint') return x.toString();
  const [n, d] = ldRational(x);
  let q = n / d;
  const r2 = 2n * (n % d);
  if (r2 > d || (r2 === d && (q & 1n) === 1n)) q += 1n;
  return q.toString();
}

// ------------------------------------------------------------ human_readable

/**
 * gnulib's human_readable(n, opts, from, to): `n` units of `from` bytes shown
 * in units of `to` bytes (to must be positive), rounded as `opts` says
 * (ceiling by default), autoscaled when asked (powers of 1024 with
 * base1024, else 1000; one decimal below 10), with SI letters ('k' for
 * 1000, K for 1024) and an optional B/iB. Digits are never grouped (the C
 * locale's grouping is empty).
 */
export function humanReadable(n: bigint, opts: number, from: bigint, to: bigint): string {
  const inexact = opts & (HUMAN.roundToNearest | HUMAN.floor | HUMAN.ceiling);
  const base = opts & HUMAN.base1024 ? 1024n : 1000n;
  const autoscale = (opts & HUMAN.autoscale) !== 0;
  const suppress = (opts & HUMAN.suppressPointZero) !== 0;
  let exponent = -1;
  let text: string;

  let amt: bigint | undefined;
  let tenths = 0;
  let rounding = 0;
  if (to <= from) {
    if (from % to === 0n) {
      const mult = from / to;
      const prod = n * mult;
      if (prod <= UINTMAX_MAX) amt = prod;
    }
  } else if (from !== 0n && to % from === 0n) {
    const divisor = to / from;
    const r10 = u64((n % divisor) * 10n);
    const r2 = u64((r10 % divisor) * 2n);
    amt = n / divisor;
    tenths = Number(r10 / divisor);
    rounding = r2 < divisor ? (0n < r2 ? 1 : 0) : 2 + (divisor < r2 ? 1 : 0);
  }

  if (amt !== undefined) {
    let frac = '';
    if (autoscale) {
      exponent = 0;
      if (base <= amt) {
        const b = Number(base);
        do {
          const r10 = Number(amt % base) * 10 + tenths;
          const r2 = (r10 % b) * 2 + (rounding >> 1);
          amt /= base;
          tenths = Math.floor(r10 / b);
          rounding = r2 < b ? (r2 + rounding !== 0 ? 1 : 0) : 2 + (b < r2 + rounding ? 1 : 0);
          exponent++;
        } while (base <= amt && exponent < EXPONENT_MAX);
        if (amt < 10n) {
          if (inexact === HUMAN.roundToNearest ? 2 < rounding + (tenths & 1) : inexact === HUMAN.ceiling && 0 < rounding) {
            tenths++;
            rounding = 0;
            if (tenths === 10) {
              amt++;
              tenths = 0;
            }
          }
          if (amt < 10n && (tenths || !suppress)) {
            frac = `.${tenths}`;
            tenths = rounding = 0;
          }
        }
      }
    }
    if (
      inexact === HUMAN.roundToNearest
        ? 5 < tenths + (0 < rounding + Number(amt & 1n) ? 1 : 0)
        : inexact === HUMAN.ceiling && 0 < tenths + rounding
    ) {
      amt++;
      if (autoscale && amt === base && exponent < EXPONENT_MAX) {
        exponent++;
        if (!suppress) frac = '.0';
        amt = 1n;
      }
    }
    text = amt.toString() + frac;
  } else {
    // Beyond 64-bit integer arithmetic, or a zero input unit: gnulib's long double path.
    const damt = from === 0n ? ldInt(0n) : ldMul(ldInt(n), ldDiv(ldInt(from), ldInt(to)));
    if (!autoscale) {
      text = ldPrint0(ldAdjust(inexact, damt));
    } else {
      let e = 1n;
      exponent = 0;
      const [dn, dd] = ldRational(damt);
      do {
        e *= base;
        exponent++;
      } while (e * base * dd <= dn && exponent < EXPONENT_MAX);
      const scaled = ldDiv(damt, ldInt(e));
      const adj = ldAdjust(inexact, scaled);
      // "%.1Lf" of an adjusted value: integral under ceiling/floor, so N.0.
      const whole = ldPrint0(adj);
      const [an, ad] = typeof adj === 'bigint' ? [adj, 1n] : ldRational(adj);
      const tenthsDigit = typeof adj === 'bigint' ? 0n : ((an * 10n + ad / 2n) / ad) % 10n;
      text = `${whole}.${tenthsDigit}`;
      if (1 + 2 + (opts & HUMAN.base1024 ? 0 : 1) < text.length || (suppress && text.endsWith('0'))) {
        const ten = ldAdjust(inexact, ldMul(scaled, ldInt(10n)));
        const tenVal = typeof ten === 'bigint' ? ldInt(ten) : ten;
        text = ldPrint0(ldDiv(tenVal, ldInt(10n)));
      }
    }
  }

  let suffix = '';
  if (opts & HUMAN.SI) {
    if (exponent < 0) {
      exponent = 0;
      for (let power = 1n; power < to; power = u64(power * base)) {
        if (++exponent === EXPONENT_MAX) break;
      }
    }
    if ((exponent || opts & HUMAN.B) && opts & HUMAN.spaceBeforeUnit) suffix += ' ';
    if (exponent) suffix += !(opts & HUMAN.base1024) && exponent === 1 ? 'k' : POWER_LETTER[exponent];
    if (opts & HUMAN.B) {
      if (opts & HUMAN.base1024 && exponent) suffix += 'i';
      suffix += 'B';
    }
  }
  return text + suffix;
}

// ------------------------------------------------------------ xstrtoumax

/** xstrtol's result codes (a bit set: 1 overflow, 2 bad suffix, 4 invalid). */
export const LONGINT = { OK: 0, OVERFLOW: 1, INVALID_SUFFIX_CHAR: 2, INVALID: 4 } as const;

export interface StrtoResult {
  err: number;
  /** The value (saturated at UINTMAX_MAX on overflow); undefined when invalid. */
  value?: bigint;
  /** Index in the string just after the number and its suffix. */
  end: number;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && ' \t\n\v\f\r'.includes(c);

/** strtoumax(s, &end, 0) on the part after leading blanks: [value, end, overflow]; end 0 when no digits. */
function strtoumax0(s: string): [bigint, number, boolean] {
  let i = 0;
  while (isSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let radix = 10;
  let digits: RegExp = /[0-9]/;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    radix = 16;
    digits = /[0-9a-fA-F]/;
    i += 2;
  } else if (s[i] === '0') {
    radix = 8;
    digits = /[0-7]/;
  }
  const start = i;
  while (i < s.length && digits.test(s[i]!)) i++;
  if (i === start) return [0n, 0, false];
  let v = 0n;
  const r = BigInt(radix);
  for (let j = start; j < i; j++) v = v * r + BigInt(parseInt(s[j]!, radix));
  if (v > UINTMAX_MAX) return [UINTMAX_MAX, i, true];
  return [neg ? u64(-v) : v, i, false];
}

function scale(x: bigint, by: bigint, times: number): [bigint, boolean] {
  let over = false;
  for (let k = 0; k < times; k++) {
    if (x > UINTMAX_MAX / by) {
      x = UINTMAX_MAX;
      over = true;
    } else x *= by;
  }
  return [x, over];
}

/**
 * gnulib's xstrtoumax(s, base 0, validSuffixes): a C number (decimal, 0x
 * hex, 0 octal) and an optional unit suffix: K/M/G/T/P/E/Z/Y (powers of
 * 1024; with B, e.g. KB, powers of 1000; KiB = K), and the one-letter
 * b (512), B (1024), c (1), w (2) when listed.
 */
export function xstrtoumax(s: string, validSuffixes: string): StrtoResult {
  let q = 0;
  while (isSpace(s[q])) q++;
  if (s[q] === '-') return { err: LONGINT.INVALID, end: 0 };
  let [tmp, end, overflow] = strtoumax0(s);
  let err: number = LONGINT.OK;
  if (end === 0) {
    const c = s[0];
    if (c !== undefined && validSuffixes.includes(c)) tmp = 1n;
    else return { err: LONGINT.INVALID, end: 0 };
  } else if (overflow) {
    err = LONGINT.OVERFLOW;
  }
  if (end >= s.length) return { err, value: tmp, end };
  const c = s[end]!;
  if (!validSuffixes.includes(c)) return { err: err | LONGINT.INVALID_SUFFIX_CHAR, value: tmp, end };
  let base = 1024n;
  let suffixes = 1;
  if ('EGgkKMmPTtYZ'.includes(c) && validSuffixes.includes('0')) {
    const c1 = s[end + 1];
    if (c1 === 'i') {
      if (s[end + 2] === 'B') suffixes += 2;
    } else if (c1 === 'B' || c1 === 'D') {
      base = 1000n;
      suffixes++;
    }
  }
  let over: boolean;
  switch (c) {
    case 'b': [tmp, over] = scale(tmp, 512n, 1); break;
    case 'B': [tmp, over] = scale(tmp, 1024n, 1); break;
    case 'c': over = false; break;
    case 'E': [tmp, over] = scale(tmp, base, 6); break;
    case 'G': case 'g': [tmp, over] = scale(tmp, base, 3); break;
    case 'k': case 'K': [tmp, over] = scale(tmp, base, 1); break;
    case 'M': case 'm': [tmp, over] = scale(tmp, base, 2); break;
    case 'P': [tmp, over] = scale(tmp, base, 5); break;
    case 'T': case 't': [tmp, over] = scale(tmp, base, 4); break;
    case 'w': [tmp, over] = scale(tmp, 2n, 1); break;
    case 'Y': [tmp, over] = scale(tmp, base, 8); break;
    case 'Z': [tmp, over] = scale(tmp, base, 7); break;
    default: return { err: err | LONGINT.INVALID_SUFFIX_CHAR, value: tmp, end };
  }
  if (over) err |= LONGINT.OVERFLOW;
  end += suffixes;
  if (end < s.length) err |= LONGINT.INVALID_SUFFIX_CHAR;
  return { err, value: tmp, end };
}

// ------------------------------------------------------------ block sizes

export interface BlockSize {
  /** human_* option bits for human_readable. */
  opts: number;
  blockSize: bigint;
  /** LONGINT error bits; 0 when the spec was good. */
  err: number;
}

/** argmatch: an exact name, or an unambiguous prefix of one; -1 none, -2 ambiguous. */
function argmatch(arg: string, names: readonly string[]): number {
  let found = -1;
  for (let i = 0; i < names.length; i++) {
    if (names[i] === arg) return i;
    if (names[i]!.startsWith(arg)) found = found === -1 ? i : -2;
  }
  return found;
}

/**
 * gnulib's human_options(spec): the output block size and display options
 * for a SIZE argument. With `spec` undefined: BLOCK_SIZE, then BLOCKSIZE from
 * `env`, else 1024 (512 with POSIXLY_CORRECT). `human-readable`/`si` (or a
 * prefix) autoscale; a size given as a unit without a number (K, MB, MiB)
 * also prints that unit after each value; a leading `'` asks for digit
 * grouping. A zero size is invalid (and falls back to the default).
 */
export function humanOptions(spec: string | undefined, env: NodeJS.ProcessEnv): BlockSize {
  const defaultBlockSize = env.POSIXLY_CORRECT !== undefined ? 512n : 1024n;
  let opts = 0;
  let blockSize = 0n;
  let err: number = LONGINT.OK;
  if (spec === undefined) spec = env.BLOCK_SIZE ?? env.BLOCKSIZE;
  if (spec === undefined) {
    blockSize = defaultBlockSize;
  } else {
    if (spec.startsWith("'")) {
      opts |= HUMAN.groupDigits;
      spec = spec.slice(1);
    }
    const i = argmatch(spec, ['human-readable', 'si']);
    if (i >= 0) {
      opts |= i === 0 ? HUMAN.autoscale | HUMAN.SI | HUMAN.base1024 : HUMAN.autoscale | HUMAN.SI;
      blockSize = 1n;
    } else {
      const r = xstrtoumax(spec, 'eEgGkKmMpPtTyYzZ0');
      if (r.err !== LONGINT.OK) {
        // What is left behind on failure: no options, and the value if one was read.
        blockSize = r.value ?? 0n;
        return blockSize === 0n ? { opts: 0, blockSize: defaultBlockSize, err: LONGINT.INVALID } : { opts: 0, blockSize, err: r.err };
      }
      blockSize = r.value!;
      // A unit with no digits before it (K, MB) prints the unit too.
      for (let k = 0; !/[0-9]/.test(spec[k] ?? ''); k++) {
        if (k === r.end) {
          opts |= HUMAN.SI;
          if (spec[r.end - 1] === 'B') opts |= HUMAN.B;
          if (spec[r.end - 1] !== 'B' || spec[r.end - 2] === 'i') opts |= HUMAN.base1024;
          break;
        }
        if (k >= spec.length) break;
      }
    }
  }
  if (blockSize === 0n) {
    blockSize = defaultBlockSize;
    err = LONGINT.INVALID;
  }
  return { opts, blockSize, err };
}

/** xstrtol_fatal's wording for a bad option argument: `option` is "-B" or "--block-size". */
export function strtolErrorMessage(err: number, option: string, arg: string): string {
  if (err & LONGINT.INVALID) return `invalid ${option} argument '${arg}'`;
  if (err & LONGINT.INVALID_SUFFIX_CHAR) return `invalid suffix in ${option} argument '${arg}'`;
  return `${option} argument '${arg}' too large`;
}
