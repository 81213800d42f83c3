/**
 * Time since boot from procfs `uptime`: what procps' uptime(1), top and w
 * print. It is the kernel's CLOCK_BOOTTIME in centiseconds, so it keeps
 * counting across suspend and does not move when the wall clock is set
 * (unlike now − bootTime(), which jumps with the clock).
 */
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

/** Seconds since boot (float, centisecond resolution), from /proc/uptime. */
export function uptime(): number {
  return parseUptime(readText(procPath('uptime'))).uptime;
}

/** /proc/uptime's two numbers: seconds since boot and summed CPU idle seconds. */
export function uptimeInfo(): Uptime {
  return parseUptime(readText(procPath('uptime')));
}
