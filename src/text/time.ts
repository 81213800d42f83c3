/**
 * Local time as a C program computes it with localtime(3) under the TZ in
 * the command's environment (io.env), so in-process runs honour a TZ given
 * to them: unset → the system zone, "" → UTC, ":Area/City" or "Area/City" →
 * that zone, a POSIX string such as "IST-5:30" or "UTC0" → its standard
 * offset (a DST rule after it is not applied), anything unknown → UTC, as
 * glibc falls back. Shared by who and uptime.
 */

export interface LocalTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Zone = { kind: 'intl'; fmt: Intl.DateTimeFormat } | { kind: 'fixed'; offsetSeconds: number } | { kind: 'local' };

const cache = new Map<string, Zone>();

function intlZone(timeZone: string | undefined): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
}

/** A POSIX TZ string's standard offset east of UTC in seconds ("IST-5:30" → 19800), or null. */
export function posixTzOffset(tz: string): number | null {
  const m = /^(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)([+-]?)(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?(?:[A-Za-z<].*)?$/.exec(tz);
  if (!m) return null;
  const west = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  if (Number(m[2]) > 24) return null;
  return m[1] === '-' ? west : -west;
}

function zoneFor(tz: string | undefined): Zone {
  const key = tz === undefined ? '\0system' : tz;
  const hit = cache.get(key);
  if (hit) return hit;
  let zone: Zone;
  if (tz === undefined) {
    // No TZ for the command: the system zone. When this process has none either, Date's own local
    // time is that zone, without building an Intl formatter (ICU's start-up costs a short command
    // more than all its work); otherwise the system zone through Intl.
    zone = process.env.TZ === undefined ? { kind: 'local' } : { kind: 'intl', fmt: intlZone(undefined) };
  } else {
    const name = tz.startsWith(':') ? tz.slice(1) : tz;
    if (name === '') {
      zone = { kind: 'fixed', offsetSeconds: 0 };
    } else {
      let fmt: Intl.DateTimeFormat | null = null;
      // A zone name (tzdata file); POSIX strings with a digit are not names ("EST5EDT" is both, same result).
      try {
        fmt = intlZone(name);
      } catch {
        fmt = null;
      }
      if (fmt) zone = { kind: 'intl', fmt };
      else zone = { kind: 'fixed', offsetSeconds: posixTzOffset(name) ?? 0 };
    }
  }
  cache.set(key, zone);
  return zone;
}

/** localtime(3) of `epochSeconds` (whole seconds) under the environment's TZ. */
export function localTime(epochSeconds: number, env: NodeJS.ProcessEnv): LocalTime {
  const zone = zoneFor(env.TZ);
  if (zone.kind === 'local') {
    const d = new Date(epochSeconds * 1000);
    return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
  }
  if (zone.kind === 'fixed') {
    const d = new Date((epochSeconds + zone.offsetSeconds) * 1000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const parts: Record<string, string> = {};
  for (const p of zone.fmt.formatToParts(new Date(epochSeconds * 1000))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** "%Y-%m-%d %H:%M" */
export function isoMinutes(t: LocalTime): string {
  return `${String(t.year).padStart(4, '0')}-${p2(t.month)}-${p2(t.day)} ${p2(t.hour)}:${p2(t.minute)}`;
}

/** "%b %e %H:%M" in the C locale */
export function cMinutes(t: LocalTime): string {
  return `${MONTHS[t.month - 1]} ${String(t.day).padStart(2, ' ')} ${p2(t.hour)}:${p2(t.minute)}`;
}

/** "%H:%M:%S" */
export function clock(t: LocalTime): string {
  return `${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
}

/** "%04d-%02d-%02d %02d:%02d:%02d" */
export function isoSeconds(t: LocalTime): string {
  return `${String(t.year).padStart(4, '0')}-${p2(t.month)}-${p2(t.day)} ${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
}
