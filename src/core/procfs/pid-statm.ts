/** /proc/<pid>/statm: the one reader. A pure function of the file's text; malformed input raises ParseError. */
import { ParseError } from '../base/errors.js';
import { readInts } from './ints.js';

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

export function parseStatm(text: string, source = 'statm'): PidStatm {
  const k = readInts(text, 0, INTS, source, 1, false);
  if (k < 7) throw new ParseError(source, `expected 7 fields, got ${k}`);
  return { size: INTS[0]!, resident: INTS[1]!, shared: INTS[2]!, text: INTS[3]!, lib: INTS[4]!, data: INTS[5]!, dirty: INTS[6]! };
}
