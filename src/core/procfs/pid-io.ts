/** /proc/<pid>/io: the one reader. A pure function of the file's text; malformed input raises ParseError. */
import { ParseError } from '../base/errors.js';

/** /proc/<pid>/io. */
export interface PidIo {
  readonly rchar: number;
  readonly wchar: number;
  readonly syscr: number;
  readonly syscw: number;
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly cancelledWriteBytes: number;
}

export function parseIo(text: string, source = 'io'): PidIo {
  const v = new Map<string, number>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    const i = t.indexOf(': ');
    // psutil skips lines that are not "name: value" (its issue 1004).
    if (i < 0) continue;
    const val = t.slice(i + 2).trim();
    if (!/^\d+$/.test(val)) continue;
    v.set(t.slice(0, i), Number(val));
  }
  if (v.size === 0) throw new ParseError(source, 'empty');
  const get = (k: string): number => {
    const x = v.get(k);
    if (x === undefined) throw new ParseError(source, `no "${k}" field`);
    return x;
  };
  return {
    rchar: get('rchar'),
    wchar: get('wchar'),
    syscr: get('syscr'),
    syscw: get('syscw'),
    readBytes: get('read_bytes'),
    writeBytes: get('write_bytes'),
    cancelledWriteBytes: v.get('cancelled_write_bytes') ?? 0,
  };
}
