/**
 * procps's uptime line (procps_uptime_sprint), its pretty form and the
 * boot moment, shared by uptime and by top's first summary line.
 */
import { getloadavg } from '../core/system/cpu.js';
import { roundHalfEven } from '../core/system/memory.js';
import { UT_TYPES } from '../core/system/system.js';
import { readUtmpFile } from '../core/system/sessions.js';
import { uptime as coreUptime } from '../core/system/uptime.js';
import { clock, isoSeconds, localTime } from './time.js';

export interface UptimeData {
  /** Wall clock when read, seconds since the epoch (float). */
  readonly now: number;
  /** Seconds since boot, from /proc/uptime. */
  readonly uptime: number;
  /** Logged-in users (utmp USER_PROCESS records with a user name). */
  readonly users: number;
  readonly loadavg: readonly [number, number, number];
}

/** Reads the clock, /proc/uptime, utmp and the load averages, in procps' order. */
export function collect(): UptimeData {
  const now = Date.now() / 1000;
  const up = coreUptime();
  const users = readUtmpFile().filter((r) => r.type === UT_TYPES.USER_PROCESS && r.user !== '').length;
  return { now, uptime: up, users, loadavg: getloadavg() };
}

/** Boot moment as procps' -s computes it: now − uptime, rounded to the second. */
export function sinceSeconds(d: Pick<UptimeData, 'now' | 'uptime'>): number {
  return Math.trunc(d.now - d.uptime + 0.5);
}

const plural = (n: number, one: string, many: string): string => (n > 1 ? many : one);

/** C's printf("%.2f") (the exact binary value, ties to even). */
function fixed2(x: number): string {
  return roundHalfEven(x, 2).toFixed(2);
}

/** The default line (procps' procps_uptime_sprint), without the newline. */
export function renderLine(d: UptimeData, env: NodeJS.ProcessEnv): string {
  const t = localTime(Math.floor(d.now), env);
  const secs = Math.trunc(d.uptime);
  const days = Math.trunc(secs / 86400);
  const hours = Math.trunc(secs / 3600) % 24;
  const minutes = Math.trunc(secs / 60) % 60;
  let s = ` ${clock(t)} up `;
  if (days) s += `${days} ${plural(days, 'day', 'days')}, `;
  if (hours) s += `${String(hours).padStart(2)}:${String(minutes).padStart(2, '0')}, `;
  else s += `${minutes} min, `;
  const [a, b, c] = d.loadavg;
  s += `${String(d.users).padStart(2)} ${plural(d.users, 'user', 'users')},  load average: ${fixed2(a)}, ${fixed2(b)}, ${fixed2(c)}`;
  return s;
}

/**
 * The pretty form (procps' procps_uptime_sprint_short), quirks included: a
 * unit is taken out only when strictly more than one of it has passed, so
 * exactly 60 seconds prints "up " alone, as procps 4.0.2 does.
 */
export function renderPretty(uptimeSeconds: number): string {
  let up = uptimeSeconds;
  const take = (unit: number): number => {
    if (up > unit) {
      const n = Math.trunc(Math.trunc(up) / unit);
      up -= n * unit;
      return n;
    }
    return 0;
  };
  const decades = take(60 * 60 * 24 * 365 * 10);
  const years = take(60 * 60 * 24 * 365);
  const weeks = take(60 * 60 * 24 * 7);
  const days = take(60 * 60 * 24);
  const hours = take(60 * 60);
  const minutes = take(60);
  const parts: string[] = [];
  if (decades) parts.push(`${decades} ${plural(decades, 'decade', 'decades')}`);
  if (years) parts.push(`${years} ${plural(years, 'year', 'years')}`);
  if (weeks) parts.push(`${weeks} ${plural(weeks, 'week', 'weeks')}`);
  if (days) parts.push(`${days} ${plural(days, 'day', 'days')}`);
  if (hours) parts.push(`${hours} ${plural(hours, 'hour', 'hours')}`);
  if (minutes || up < 60) parts.push(`${minutes} ${minutes !== 1 ? 'minutes' : 'minute'}`);
  return `up ${parts.join(', ')}`;
}

/** -s: "YYYY-MM-DD HH:MM:SS" of the boot moment in local time. */
export function renderSince(d: Pick<UptimeData, 'now' | 'uptime'>, env: NodeJS.ProcessEnv): string {
  return isoSeconds(localTime(sinceSeconds(d), env));
}
