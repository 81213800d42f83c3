/** /proc/uptime: the one parser and reader (system/uptime.ts gives its views). */
import { ParseError } from '../base/errors.js';
import { procPath } from '../base/paths.js';
import { readText } from '../base/read.js';

/** The two numbers of /proc/uptime, in seconds. */
export interface Uptime {
  /** Seconds since boot. */
  readonly uptime: number;
  /** Seconds the CPUs have spent idle, summed over every CPU (may exceed uptime). */
  readonly idle: number;
}

const NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * Parses /proc/uptime ("12345.67 54321.09\n"). Extra fields are ignored; a
 * missing or malformed number is a ParseError (procps rejects fewer than two).
 */
export function parseUptime(text: string): Uptime {
  const f = text.trim().split(/\s+/);
  const [up, idle] = f;
  if (up === undefined || idle === undefined || !NUMBER.test(up) || !NUMBER.test(idle)) {
    throw new ParseError('uptime', `expected two numbers, got ${JSON.stringify(text.slice(0, 80))}`);
  }
  return { uptime: Number(up), idle: Number(idle) };
}

/** The procfs root's uptime, parsed. */
export function readUptime(): Uptime {
  return parseUptime(readText(procPath('uptime')));
}
