/** The one reader of whitespace-separated decimal integers in procfs text (stat's fields, statm). */
import { ParseError } from '../base/errors.js';

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * Reads the whitespace-separated decimal integers of text[from..] in place
 * (no string per number: a scan reads hundreds of lines): the first
 * out.length into `out`, the rest only checked. A token that is not a
 * number (or is negative, unless `signed`) is a ParseError naming field
 * `firstField + k`. Returns how many numbers there were.
 */
export function readInts(text: string, from: number, out: Float64Array, source: string, firstField: number, signed: boolean): number {
  const n = text.length;
  let i = from;
  let k = 0;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let neg = false;
    if (signed && text.charCodeAt(i) === 45) {
      neg = true;
      i++;
    }
    let v = 0;
    let digits = 0;
    let c = 0;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || (i < n && !isSpace(text.charCodeAt(i)))) {
      throw new ParseError(source, `field ${firstField + k} is not a number: ${JSON.stringify(text.slice(start, start + 20))}`);
    }
    if (k < out.length) out[k] = neg ? -v : v;
    k++;
  }
  return k;
}
