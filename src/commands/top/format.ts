/**
 * top's cell formatting (procps-ng 4.0.2 top.c): justify_pad, make_num,
 * make_str(_utf8), scale_mem, scale_num, scale_pcnt and scale_tics, each
 * giving the cell and the one blank after it. Numbers print as C's printf
 * does (the exact binary value; a tie at %.0f goes to even).
 */
import { stringWidth, wcwidth } from '../../text/wcwidth.js';

/** Blanks kept ready for padding (a row is never wider than SCREENMAX). */
const SCREEN_BLANKS = 512;

/** The blank after every column (COLPADSTR). */
export const COLPAD = ' ';
/** The mark of a cut value (COLPLUSCH). */
export const PLUS = '+';

/** Memory scales: SK_Kb … SK_Eb. */
export const SK = { Kb: 0, Mb: 1, Gb: 2, Tb: 3, Pb: 4, Eb: 5 } as const;
/** Scaled_sfxtab (lower case: Debian's build has no CASEUP_SUFIX). */
const SUFFIX = 'kmgtpe';

/** TICS_AS_*: where scale_tics starts trying. */
export const TICS = { SECS: 0, MINS: 1, HOUR: 2, DAY1: 3, DAY2: 4, WEEK: 5, LAST: 6 } as const;

/**
 * printf("%.{d}f", x) as glibc prints it: the exact binary value rounded to
 * nearest, a tie to even. toFixed rounds by the exact value too but sends a
 * tie up, so ties (which only dyadic values such as 2.5 or 0.25 can be) are
 * found and settled here.
 */
export function cFixed(x: number, d: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const s = x.toFixed(d);
  const wider = x.toFixed(d + 1);
  if (wider.charCodeAt(wider.length - 1) !== 53 /* '5' */ || Number(wider) !== x) return s;
  // x is exactly the (d+1)-digit decimal ending in 5 only when that decimal is dyadic: its digits divisible by 5^(d+1).
  const neg = wider.startsWith('-');
  const digits = BigInt(wider.replace(/[-.]/g, ''));
  if (digits % 5n ** BigInt(d + 1) !== 0n) return s;
  let kept = digits / 10n;
  if (kept % 2n === 1n) kept += 1n;
  let t = kept.toString().padStart(d + 1, '0');
  if (d > 0) t = `${t.slice(0, -d)}.${t.slice(-d)}`;
  return (neg && kept !== 0n ? '-' : neg ? '-' : '') + t;
}

/** printf("%*s") / ("%-*s") of an already-fitting string, in screen cells. */
const BLANKS = ' '.repeat(SCREEN_BLANKS);
function pad(s: string, width: number, right: boolean, cells = s.length): string {
  const room = width - cells;
  if (room <= 0) return s;
  const fill = room <= SCREEN_BLANKS ? BLANKS.slice(0, room) : ' '.repeat(room);
  return right ? fill + s : s + fill;
}

/** justify_pad: "%*.*s " — the string cut to `width` characters, justified, and the column's blank. */
export function justifyPad(s: string, width: number, right: boolean): string {
  const t = s.length > width ? s.slice(0, Math.max(0, width)) : s;
  return pad(t, width, right) + COLPAD;
}

/** make_chr. */
export function makeChr(ch: string, width: number, right: boolean): string {
  return justifyPad(ch, width, right);
}

/** make_num: an integer; one that does not fit ends in '+'; a zero is blank under zero suppression when `noz`. */
export function makeNum(n: number, width: number, right: boolean, noz: boolean, zeroSuppress: boolean): string {
  if (noz && zeroSuppress && n === 0) return justifyPad('', width, right);
  let s = String(n);
  if (s.length > width) s = s.slice(0, width - 1) + PLUS;
  return justifyPad(s, width, right);
}

/** make_str: a byte-width string; one that does not fit is cut and ends in '+'. */
export function makeStr(s: string, width: number, right: boolean): string {
  if (s.length > width) s = s.slice(0, Math.max(0, width - 1)) + PLUS;
  return justifyPad(s, width, right);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The longest prefix of s that takes at most `cells` screen cells. */
function prefixCells(s: string, cells: number): { text: string; cells: number } {
  let used = 0;
  let i = 0;
  for (const ch of s) {
    const w = Math.max(0, wcwidth(ch.codePointAt(0)!));
    if (used + w > cells) break;
    used += w;
    i += ch.length;
  }
  return { text: s.slice(0, i), cells: used };
}

/** make_str_utf8: as make_str, counting screen cells (the string is decoded text). */
export function makeStrUtf8(s: string, width: number, right: boolean): string {
  if (PRINTABLE_ASCII.test(s)) return makeStr(s, width, right);
  let cells = stringWidth(s);
  if (cells > width) {
    const p = prefixCells(s, width - 1);
    s = p.text + PLUS;
    cells = p.cells + 1;
  }
  return pad(s, width, right, cells) + COLPAD;
}

/** scale_mem: KiB shown at the `target` scale or the first larger one that fits; '?' when none does. */
export function scaleMem(target: number, kib: number, width: number, right: boolean, zeroSuppress: boolean): string {
  if (zeroSuppress && kib <= 0) return justifyPad('', width, right);
  let num = Math.fround(kib);
  for (let i = SK.Kb; i < SK.Eb; i++) {
    if (i >= target) {
      const s = i === SK.Kb ? cFixed(num, 0) : cFixed(num, 1) + SUFFIX[i];
      if (s.length <= width) return justifyPad(s, width, right);
    }
    num = Math.fround(num / 1024);
  }
  return justifyPad('?', width, right);
}

/** scale_num: a count as is, else in k/m/g… with one decimal or none; '?' when nothing fits. */
export function scaleNum(n: number, width: number, right: boolean, zeroSuppress: boolean): string {
  if (zeroSuppress && n <= 0) return justifyPad('', width, right);
  let num = Math.fround(n);
  let s = cFixed(num, 0);
  if (s.length <= width) return justifyPad(s, width, right);
  for (const sfx of SUFFIX) {
    num = Math.fround(num / 1024);
    s = cFixed(num, 1) + sfx;
    if (s.length <= width) return justifyPad(s, width, right);
    s = cFixed(num, 0) + sfx;
    if (s.length <= width) return justifyPad(s, width, right);
  }
  return justifyPad('?', width, right);
}

/** scale_pcnt: one decimal (three, then two, for the `xtra` utilization columns), else none; '?' when nothing fits. */
export function scalePcnt(num: number, width: number, right: boolean, xtra: boolean, zeroSuppress: boolean): string {
  if (zeroSuppress && num <= 0) return justifyPad('', width, right);
  if (xtra) {
    for (const d of [3, 2]) {
      const s = cFixed(num, d);
      if (s.length <= width) return justifyPad(s, width, right);
    }
  }
  let s = cFixed(num, 1);
  if (s.length <= width) return justifyPad(s, width, right);
  s = cFixed(num, 0);
  // "%*.0f": the number padded to the width (a '#' flag keeps a trailing point at .0 but is not given here).
  if (s.length <= width) return justifyPad(pad(s, width, true), width, right);
  return justifyPad('?', width, right);
}

/**
 * scale_tics (the non-SCALE_FORMER build): ticks as "M:SS.hh", "M:SS",
 * "H,MM", "Dd+Hh", "Dd", "Ww+Dd", "Ww", starting at `target` (or the toprc's
 * Tics_scaled when that is larger) and going on until one fits.
 */
export function scaleTics(tics: number, hertz: number, width: number, right: boolean, target: number, ticsScaled: number, zeroSuppress: boolean): string {
  let nt = Math.floor((tics * 100) / hertz);
  if (zeroSuppress && nt <= 0) return justifyPad('', width, right);
  const cent = nt % 100;
  const secs = (nt = Math.floor(nt / 100));
  const mins = (nt = Math.floor(nt / 60));
  const hour = (nt = Math.floor(nt / 60));
  const days = (nt = Math.floor(nt / 24));
  const week = Math.floor(nt / 7);
  if (ticsScaled > target) target = ticsScaled;
  const start = Math.max(0, target);
  // The forms in order (the switch's fall-through); each tried when its limit allows, the first that fits wins.
  for (let i = start; i <= TICS.LAST; i++) {
    let s: string | null = null;
    switch (i) {
      case TICS.SECS:
        if (mins < 361) s = `${mins}:${two(secs % 60)}.${two(cent)}`;
        break;
      case TICS.MINS:
        if (mins < 361) s = `${mins}:${two(secs % 60)}`;
        break;
      case TICS.HOUR:
        if (hour < 97) s = `${hour},${two(mins % 60)}`;
        break;
      case TICS.DAY1:
        if (days < 15) s = `${days}d+${hour % 24}h`;
        break;
      case TICS.DAY2:
        // (C jumps into the middle of DAY1's `if`: started at DAY2, the days limit is not checked.)
        if (days < 15 || start === TICS.DAY2) s = `${days}d`;
        break;
      case TICS.WEEK:
        s = `${week}w+${days % 7}d`;
        break;
      default:
        s = `${week}w`;
    }
    if (s !== null && s.length <= width) return justifyPad(s, width, right);
  }
  return justifyPad('?', width, right);
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** hex_make: flags as eight hex digits, zeros shown as '.' when `noz`. */
export function hexMake(n: number, noz: boolean): string {
  const s = (n >>> 0).toString(16).padStart(8, '0');
  return noz ? s.replace(/0/g, '.') : s;
}

/** utf8_justify for headers: "%-*.*s" / "%*.*s" of the name in `width` cells, then the blank. */
export function justifyHeader(name: string, width: number, right: boolean): string {
  const cells = stringWidth(name);
  const t = cells > width ? prefixCells(name, width) : { text: name, cells };
  return pad(t.text, width, right, t.cells) + COLPAD;
}
