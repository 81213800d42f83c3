/**
 * /proc/meminfo: the one parser and reader. psutil's virtualMemory and
 * swapMemory (system/memory.ts) and free's extra figures
 * (system/meminfo-extra.ts) are views of this record.
 */
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';

/**
 * /proc/meminfo as `{ key: value }`, keys without the colon ("Active(file)").
 * Values with a "kB" unit are converted to bytes (× 1024); values without a
 * unit (HugePages_Total, HugePages_Free, ...) are page counts and are kept
 * as they are. A missing space after the colon and tabs are accepted.
 */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^([^:\s][^:]*?)\s*:\s*(\d+)(?:\s+(\S+))?$/.exec(line);
    if (!m) throw new ParseError('meminfo', `unexpected line ${JSON.stringify(line.slice(0, 80))}`);
    const unit = m[3];
    let value = Number(m[2]);
    if (unit === 'kB' || unit === 'KB' || unit === 'kb') value *= 1024;
    else if (unit !== undefined) throw new ParseError('meminfo', `unknown unit ${JSON.stringify(unit)} for ${m[1]}`);
    out[m[1]!] = value;
  }
  return out;
}

/** The procfs root's meminfo, parsed. */
export function readMeminfo(): Record<string, number> {
  return parseMeminfo(readText(procPath('meminfo')));
}
