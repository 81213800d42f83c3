/**
 * The small per-process files a process lister reads: /proc/<pid>/autogroup
 * and the files holding one integer (oom_score, oom_score_adj, loginuid).
 * Pure functions of the file's text; malformed input raises ParseError.
 */
import { ParseError } from '../base/errors.js';

/** /proc/<pid>/autogroup: "/autogroup-123 nice 0". */
export function parseAutogroup(text: string, source = 'autogroup'): { id: number; nice: number } {
  const m = /^\/autogroup-(\d+)\s+nice\s+(-?\d+)/.exec(text.trim());
  if (!m) throw new ParseError(source, `unexpected ${JSON.stringify(text.slice(0, 60))}`);
  return { id: Number(m[1]), nice: Number(m[2]) };
}

/** A whole file holding one decimal integer (oom_score, oom_score_adj, loginuid). */
export function parseIntFile(text: string, source: string): number {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) throw new ParseError(source, `not an integer: ${JSON.stringify(t.slice(0, 30))}`);
  return Number(t);
}
