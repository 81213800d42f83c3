/**
 * uptime: procps-ng 4.0.2's uptime(1), output for output, plus --json.
 *
 * The default line is " HH:MM:SS up <uptime>, N user(s),  load average: a, b, c"
 * with procps' rules (days only when non-zero, "H:MM" from one hour on,
 * "N min" below); -p is the pretty form ("up 1 week, 2 days, 5 minutes");
 * -s the boot moment in local time. Uptime is /proc/uptime's, as procps
 * reads it; users are the utmp USER_PROCESS records with a name.
 */
import { CliExit } from '../../cli/errors.js';
import type { IO } from '../../cli/io.js';
import { isJson, withJson, type Command, type Parsed } from '../../cli/command.js';
import { PtoolsError } from '../../core/base/errors.js';
import { getloadavg } from '../../core/system/cpu.js';
import { roundHalfEven } from '../../core/system/memory.js';
import { UT_TYPES } from '../../core/system/system.js';
import { readUtmpFile } from '../../core/system/sessions.js';
import { uptime as coreUptime } from '../../core/system/uptime.js';
import { getoptLong, type LongOption } from '../../cli/getopt.js';
import { clock, isoSeconds, localTime } from '../../text/time.js';

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

/** The --json document. */
export interface UptimeJson {
  /** When read, ISO 8601 UTC. */
  readonly time: string;
  /** Seconds since boot. */
  readonly uptime: number;
  readonly users: number;
  /** 1, 5 and 15 minute load averages. */
  readonly loadavg: readonly [number, number, number];
  /** The boot moment (-s's second), ISO 8601 UTC. */
  readonly since: string;
}

export function toJson(d: UptimeData): UptimeJson {
  return {
    time: new Date(Math.round(d.now * 1000)).toISOString(),
    uptime: d.uptime,
    users: d.users,
    loadavg: d.loadavg,
    since: new Date(sinceSeconds(d) * 1000).toISOString(),
  };
}

const HELP = `
Usage:
 %s [options]

Options:
 -p, --pretty   show uptime in pretty format
 -h, --help     display this help and exit
 -s, --since    system up since
     --json     print time, uptime, users, load and boot time as JSON
 -V, --version  output version information and exit

For more details see uptime(1).
`;

export function helpText(prog: string): string {
  return HELP.replace('%s', prog);
}

const LONGS: readonly LongOption[] = withJson([
  { name: 'pretty', has: 'none', key: 'p' },
  { name: 'help', has: 'none', key: 'h' },
  { name: 'since', has: 'none', key: 's' },
  { name: 'version', has: 'none', key: 'V' },
]);

const SHORTS = 'phsV';

interface UptimeOptions {
  readonly json: boolean;
  /** -p: "up 2 hours, 3 minutes". */
  readonly pretty: boolean;
  /** -s: the boot time. */
  readonly since: boolean;
}

function parse(argv: string[], io: IO): Parsed<UptimeOptions> {
  const { items, operands } = getoptLong(argv, SHORTS, LONGS, io.env);
  // --json is a mode for the whole run, wherever it appears before an error.
  const firstError = items.findIndex((i) => i.kind === 'error');
  const json = items.slice(0, firstError < 0 ? undefined : firstError).some((i) => i.kind === 'option' && isJson(i.key));
  let pretty = false;
  for (const it of items) {
    if (it.kind === 'error') throw new CliExit(1, `${io.prog}: ${it.message}\n${helpText(io.prog)}`);
    switch (it.key) {
      case 'p':
        pretty = true;
        break;
      case 'h':
        return { kind: 'help', text: helpText(io.prog) };
      case 's':
        // procps prints at once, before looking at later options or operands.
        return { kind: 'run', options: { json, pretty, since: true } };
      case 'V':
        return { kind: 'version' };
    }
  }
  if (operands.length > 0) throw new CliExit(1, helpText(io.prog));
  return { kind: 'run', options: { json, pretty, since: false } };
}

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && typeof err.message === 'string') {
    return `: ${err.message.replace(/^E[A-Z]+: /, '').replace(/, \w+.*$/, '')}`;
  }
  return '';
}

function read(io: IO): UptimeData {
  try {
    return collect();
  } catch (e) {
    if (e instanceof PtoolsError || (e as NodeJS.ErrnoException).code !== undefined) {
      throw new CliExit(1, `${io.prog}: Cannot get system uptime${errnoText(e)}\n`);
    }
    throw e;
  }
}

export const command: Command<UptimeOptions> = {
  name: 'uptime',
  summary: 'tell how long the system has been running (procps-ng uptime)',
  grammar: { short: SHORTS, long: LONGS, operands: 'none' },
  parse,
  run(o, io) {
    const d = read(io);
    if (o.since) io.out(o.json ? `${JSON.stringify(toJson(d))}\n` : `${renderSince(d, io.env)}\n`);
    else if (o.json) io.out(`${JSON.stringify(toJson(d))}\n`);
    else io.out(`${o.pretty ? renderPretty(d.uptime) : renderLine(d, io.env)}\n`);
    return 0;
  },
};
