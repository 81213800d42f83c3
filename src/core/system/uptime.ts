/**
 * Time since boot from procfs `uptime`: what procps' uptime(1), top and w
 * print. It is the kernel's CLOCK_BOOTTIME in centiseconds, so it keeps
 * counting across suspend and does not move when the wall clock is set
 * (unlike now − bootTime(), which jumps with the clock).
 */
import { readUptime, type Uptime } from '../procfs/uptime.js';

/** Seconds since boot (float, centisecond resolution), from /proc/uptime. */
export function uptime(): number {
  return readUptime().uptime;
}

/** /proc/uptime's two numbers: seconds since boot and summed CPU idle seconds. */
export function uptimeInfo(): Uptime {
  return readUptime();
}
