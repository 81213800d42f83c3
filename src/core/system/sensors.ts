/**
 * Hardware sensors from sysfs, with psutil's Linux rules: temperatures and
 * fans from hwmon (temperatures fall back to thermal zones), the battery from
 * power_supply.
 *
 * The logic runs over a small `SysfsReader` (list a directory, read a file)
 * so it is pure: the live reader goes through paths.ts/read.ts, and tests can
 * hand it a map of files. sysfs attributes are tiny and often unreadable or
 * junk ("stinky broken mess", says psutil); a bad attribute skips its sensor
 * (or counts as missing), it never throws.
 */
import { readdirSync } from 'node:fs';
import { POWER_TIME_UNKNOWN, POWER_TIME_UNLIMITED } from '../base/constants.js';
import { sysPath } from '../base/paths.js';
import { tryReadText } from '../base/read.js';

/** What the sensor logic needs of sysfs; paths are relative to the sysfs root ("class/hwmon"). */
export interface SysfsReader {
  /** Entry names of a directory; [] when it cannot be listed. */
  list(dir: string): string[];
  /** A file's contents; undefined when it is missing or cannot be read. */
  read(path: string): string | undefined;
}

/** The real sysfs, under the configured root (setSysfsPath). */
export function liveSysfs(): SysfsReader {
  return {
    list(dir) {
      try {
        return readdirSync(sysPath(dir));
      } catch {
        return [];
      }
    },
    read: (path) => tryReadText(sysPath(path)),
  };
}

/** A sysfs made of a map of relative path → contents (directories are implied). */
export function sysfsFromFiles(files: Readonly<Record<string, string>>): SysfsReader {
  const map = new Map(Object.entries(files));
  return {
    list(dir) {
      const prefix = `${dir}/`;
      const names = new Set<string>();
      for (const k of map.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
      return [...names];
    },
    read: (path) => map.get(path),
  };
}

// ---------------------------------------------------------------- numbers as Python reads them

// psutil converts attributes with Python's float()/int() on the raw bytes:
// ASCII whitespace around, '_' between digits, float() also takes inf/nan.
const ASCII_SPACE = /^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g;
const PY_DIGITS = String.raw`\d(?:_?\d)*`;
const PY_INT = new RegExp(`^[+-]?${PY_DIGITS}$`);
const PY_FLOAT = new RegExp(`^[+-]?(?:${PY_DIGITS}(?:\\.(?:${PY_DIGITS})?)?|\\.${PY_DIGITS})(?:[eE][+-]?${PY_DIGITS})?$`);
const PY_FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's float(bytes): the number, or undefined where Python raises ValueError. */
export function parsePyFloat(text: string): number | undefined {
  const t = text.replace(ASCII_SPACE, '');
  if (PY_FLOAT.test(t)) return Number(t.replace(/_/g, ''));
  const m = PY_FLOAT_SPECIAL.exec(t);
  if (!m) return undefined;
  if (m[2]!.toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

/** Python's int(bytes) in base 10: the number, or undefined where Python raises ValueError. */
export function parsePyInt(text: string): number | undefined {
  const t = text.replace(ASCII_SPACE, '');
  // + 0: Python's int has no negative zero
  return PY_INT.test(t) ? Number(t.replace(/_/g, '')) + 0 : undefined;
}

// Python's str.strip() whitespace (it includes \x1c-\x1f, which JS's trim() does not).
const PY_STRIP = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
function pyStrip(s: string): string {
  return s.replace(PY_STRIP, '');
}

/** Python's sorted() on str: by code point (JS's default sort compares UTF-16 units, which differs above U+FFFF). */
function pySort(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => {
    const x = [...a];
    const y = [...b];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
      if (d) return d;
    }
    return x.length - y.length;
  });
}

/** Group entries by name, keeping first-seen order, as a plain object (safe for any key). */
function group<T>(entries: [string, T][]): Record<string, T[]> {
  const m = new Map<string, T[]>();
  for (const [k, v] of entries) {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  return Object.fromEntries(m);
}

// ---------------------------------------------------------------- temperatures

/** A temperature sensor (psutil's shwtemp); °C unless asked for °F. */
export interface Temperature {
  readonly label: string;
  readonly current: number;
  /** The "max" threshold, or the critical one when only that exists; null when neither. */
  readonly high: number | null;
  /** The "crit" threshold, or the high one when only that exists; null when neither. */
  readonly critical: number | null;
}

export interface TemperatureOptions {
  fahrenheit?: boolean;
}

/** Sensor attribute groups ("temp1" for temp1_input/_max/...) under dir, as glob(dir/prefix*_*) finds them. */
function attrBases(r: SysfsReader, dir: string, prefix: string): string[] {
  const out: string[] = [];
  for (const f of r.list(dir)) {
    const us = f.indexOf('_');
    if (f.startsWith(prefix) && us >= 0) out.push(`${dir}/${f.slice(0, us)}`);
  }
  return out;
}

function hwmonDirs(r: SysfsReader): string[] {
  return r.list('class/hwmon').filter((h) => h.startsWith('hwmon')).map((h) => `class/hwmon/${h}`);
}

function dirname(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}

/** A millidegree attribute in degrees, or null when missing or not a number. */
function milli(r: SysfsReader, path: string): number | null {
  const t = r.read(path);
  const v = t === undefined ? undefined : parsePyFloat(t);
  return v === undefined ? null : v / 1000;
}

type RawTemp = [name: string, label: string, current: number, high: number | null, critical: number | null];

function hwmonTemperatures(r: SysfsReader): { found: boolean; temps: RawTemp[] } {
  const bases = new Set<string>();
  for (const h of hwmonDirs(r)) {
    for (const b of attrBases(r, h, 'temp')) bases.add(b);
    // Some kernels (CentOS) put the attributes in an intermediate device/ directory.
    for (const b of attrBases(r, `${h}/device`, 'temp')) bases.add(b);
  }
  // psutil 5.9.4 also globs /sys/devices/platform/coretemp.*/hwmon/hwmon*/temp*_*
  // (for coretemp chips missing from /sys/class/hwmon) but appends whole file
  // names, whose "<file>_input" never exists: they yield no sensor, yet their
  // presence still suppresses the thermal-zone fallback.
  let coretemp = false;
  for (const p of r.list('devices/platform')) {
    if (!p.startsWith('coretemp.')) continue;
    for (const h of r.list(`devices/platform/${p}/hwmon`)) {
      if (h.startsWith('hwmon') && attrBases(r, `devices/platform/${p}/hwmon/${h}`, 'temp').length) coretemp = true;
    }
  }
  const temps: RawTemp[] = [];
  for (const base of pySort(bases)) {
    const input = r.read(`${base}_input`);
    const current = input === undefined ? undefined : parsePyFloat(input);
    if (current === undefined) continue;
    // The chip name sits next to the attributes (in device/ for that layout).
    const name = r.read(`${dirname(base)}/name`);
    if (name === undefined) continue;
    temps.push([pyStrip(name), pyStrip(r.read(`${base}_label`) ?? ''), current / 1000, milli(r, `${base}_max`), milli(r, `${base}_crit`)]);
  }
  return { found: bases.size > 0 || coretemp, temps };
}

/** The trip point names of a thermal zone ("trip_point_0"), lowest number first. */
function tripPoints(r: SysfsReader, zone: string): string[] {
  const names = new Set<string>();
  for (const f of r.list(zone)) if (f.startsWith('trip_point')) names.add(f.split('_').slice(0, 3).join('_'));
  const num = (s: string): number => {
    const n = s.split('_')[2];
    return n !== undefined && /^\d+$/.test(n) ? Number(n) : Infinity;
  };
  return pySort(names).sort((a, b) => num(a) - num(b));
}

function thermalTemperatures(r: SysfsReader): RawTemp[] {
  const temps: RawTemp[] = [];
  const zones = r.list('class/thermal').filter((z) => z.startsWith('thermal_zone'));
  for (const z of pySort(zones)) {
    const zone = `class/thermal/${z}`;
    const t = r.read(`${zone}/temp`);
    const current = t === undefined ? undefined : parsePyFloat(t);
    if (current === undefined) continue;
    const type = r.read(`${zone}/type`);
    if (type === undefined) continue;
    // psutil takes the "critical" and "high" trip points. It walks them in
    // Python set order and, through a slip, divides an already-converted value
    // by 1000 again for every later trip point, so with several trip points
    // its answer depends on PYTHONHASHSEED. We take the lowest-numbered trip
    // point of each type whose temperature reads, converted once.
    let high: number | null = null;
    let critical: number | null = null;
    for (const tp of tripPoints(r, zone)) {
      const kind = pyStrip(r.read(`${zone}/${tp}_type`) ?? '');
      if (kind === 'critical' && critical === null) critical = milli(r, `${zone}/${tp}_temp`);
      else if (kind === 'high' && high === null) high = milli(r, `${zone}/${tp}_temp`);
    }
    temps.push([pyStrip(type), '', current / 1000, high, critical]);
  }
  return temps;
}

// Python truthiness of an optional float: None and 0.0 are false, NaN is true.
const truthy = (x: number | null): x is number => x !== null && x !== 0;

/** Temperatures from a sysfs (pure; sensorsTemperatures() runs it on the live one). */
export function temperaturesFrom(r: SysfsReader, opts: TemperatureOptions = {}): Record<string, Temperature[]> {
  const hw = hwmonTemperatures(r);
  // Thermal zones only when hwmon has no temperature attribute at all.
  const raw = hw.found ? hw.temps : thermalTemperatures(r);
  const conv = (n: number | null): number | null => (n === null || !opts.fahrenheit ? n : (n * 9) / 5 + 32);
  return group(
    raw.map(([name, label, cur, hi, crit]): [string, Temperature] => {
      let high = conv(hi);
      let critical = conv(crit);
      // One threshold stands in for the other (after conversion, as psutil).
      if (truthy(high) && !truthy(critical)) critical = high;
      else if (truthy(critical) && !truthy(high)) high = critical;
      return [name, { label, current: conv(cur)!, high, critical }];
    }),
  );
}

/** Hardware temperatures by chip (psutil.sensors_temperatures()). */
export function sensorsTemperatures(opts: TemperatureOptions = {}): Record<string, Temperature[]> {
  return temperaturesFrom(liveSysfs(), opts);
}

// ---------------------------------------------------------------- fans

/** A fan (psutil's sfan): speed in RPM. */
export interface Fan {
  readonly label: string;
  readonly current: number;
}

/** Fans from a sysfs (pure). */
export function fansFrom(r: SysfsReader): Record<string, Fan[]> {
  const hw = hwmonDirs(r);
  let bases = hw.flatMap((h) => attrBases(r, h, 'fan'));
  // The device/ layout is looked at only when no hwmon dir has fans directly.
  if (!bases.length) bases = hw.flatMap((h) => attrBases(r, `${h}/device`, 'fan'));
  const out: [string, Fan][] = [];
  for (const base of pySort(new Set(bases))) {
    const input = r.read(`${base}_input`);
    // psutil skips an unreadable fan but raises on junk or a missing chip name; we skip those too.
    const current = input === undefined ? undefined : parsePyInt(input);
    if (current === undefined) continue;
    const name = r.read(`${dirname(base)}/name`);
    if (name === undefined) continue;
    out.push([pyStrip(name), { label: pyStrip(r.read(`${base}_label`) ?? ''), current }]);
  }
  return group(out);
}

/** Fan speeds by chip (psutil.sensors_fans()). */
export function sensorsFans(): Record<string, Fan[]> {
  return fansFrom(liveSysfs());
}

// ---------------------------------------------------------------- battery

/** Battery status (psutil's sbattery). */
export interface Battery {
  /** Charge left, 0-100. */
  readonly percent: number;
  /** Seconds until empty, or POWER_TIME_UNLIMITED (plugged in) / POWER_TIME_UNKNOWN. */
  readonly secsleft: number;
  /** Whether AC power is connected; null when it cannot be told. */
  readonly powerPlugged: boolean | null;
}

const PS = 'class/power_supply';

/** Battery status from a sysfs (pure). */
export function batteryFrom(r: SysfsReader): Battery | null {
  const bats = r.list(PS).filter((x) => x.startsWith('BAT') || x.toLowerCase().includes('battery'));
  if (!bats.length) return null;
  // The first by name: usually BAT0.
  const root = `${PS}/${pySort(bats)[0]}`;

  // The first of the alternative files that exists decides. psutil crashes on
  // a non-integer there; we count it as unknown.
  const first = (...paths: string[]): { exists: boolean; value: number | null } => {
    for (const p of paths) {
      const t = r.read(p);
      if (t !== undefined) return { exists: true, value: parsePyInt(t) ?? null };
    }
    return { exists: false, value: null };
  };
  const energyNow = first(`${root}/energy_now`, `${root}/charge_now`).value;
  const powerNow = first(`${root}/power_now`, `${root}/current_now`).value;
  const energyFull = first(`${root}/energy_full`, `${root}/charge_full`).value;
  const timeToEmpty = first(`${root}/time_to_empty_now`).value;

  // energy (float) is more precise than capacity (an integer percent).
  let percent: number;
  if (energyFull !== null && energyNow !== null) {
    percent = energyFull === 0 ? 0 : (100 * energyNow) / energyFull;
  } else {
    const cap = r.read(`${root}/capacity`);
    const v = cap === undefined ? -1 : parsePyInt(cap);
    if (v === undefined || v === -1) return null;
    percent = v;
  }

  // AC adapter first (only "AC0" and "AC", as psutil), else the battery's status.
  let powerPlugged: boolean | null = null;
  const online = first(`${PS}/AC0/online`, `${PS}/AC/online`);
  if (online.exists) {
    powerPlugged = online.value === 1;
  } else {
    const status = pyStrip(r.read(`${root}/status`) ?? '').toLowerCase();
    if (status === 'discharging') powerPlugged = false;
    else if (status === 'charging' || status === 'full') powerPlugged = true;
  }

  let secsleft: number;
  if (powerPlugged) {
    secsleft = POWER_TIME_UNLIMITED;
  } else if (energyNow !== null && powerNow !== null) {
    // charge/current or energy/power: hours left either way.
    secsleft = powerNow === 0 ? POWER_TIME_UNKNOWN : Math.trunc((energyNow / powerNow) * 3600) + 0;
  } else if (timeToEmpty !== null) {
    // psutil reads time_to_empty_now as minutes.
    secsleft = Math.trunc(timeToEmpty * 60) + 0;
    if (secsleft < 0) secsleft = POWER_TIME_UNKNOWN;
  } else {
    secsleft = POWER_TIME_UNKNOWN;
  }
  return { percent, secsleft, powerPlugged };
}

/** Battery status, or null when there is no battery (psutil.sensors_battery()). */
export function sensorsBattery(): Battery | null {
  return batteryFrom(liveSysfs());
}
