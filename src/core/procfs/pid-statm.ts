/** /proc/<pid>/statm: the one reader. A pure function of the file's text; malformed input raises ParseError. */
import { ParseError } from '../base/errors.js';

/** /proc/<pid>/statm, in pages. */
export interface PidStatm {
  readonly size: number;
  readonly resident: number;
  readonly shared: number;
  readonly text: number;
  readonly lib: number;
  readonly data: number;
  readonly dirty: number;
}

/** Scratch for the seven numbers (parsing is synchronous). */
const INTS = new Float64Array(7);

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

export function parseStatm(text: string, source = 'statm'): PidStatm {
  const to = text.length;
  let i = 0;
  let k = 0;
  while (k < INTS.length) {
    while (i < to && isSpace(text.charCodeAt(i))) i++;
    if (i >= to) break;
    let v = 0;
    let digits = 0;
    let c = 0;
    while (i < to && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || (i < to && !isSpace(text.charCodeAt(i)))) {
      throw new ParseError(source, `statm: not a number near ${JSON.stringify(text.slice(Math.max(0, i - 10), i + 10))}`);
    }
    INTS[k++] = v;
  }
  if (k < 7) throw new ParseError(source, `expected 7 fields, got ${k}`);
  return { size: INTS[0]!, resident: INTS[1]!, shared: INTS[2]!, text: INTS[3]!, lib: INTS[4]!, data: INTS[5]!, dirty: INTS[6]! };
}
