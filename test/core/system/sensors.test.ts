import { fixturePath } from '../../helpers/fixtures.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { POWER_TIME_UNKNOWN, POWER_TIME_UNLIMITED } from '../../../src/core/base/constants.js';
import { getSysfsPath, setSysfsPath } from '../../../src/core/base/paths.js';
import {
  batteryFrom,
  fansFrom,
  parsePyFloat,
  parsePyInt,
  sensorsBattery,
  sensorsFans,
  sensorsTemperatures,
  sysfsFromFiles,
  temperaturesFrom,
  type Battery,
  type Fan,
  type Temperature,
} from '../../../src/core/system/sensors.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describePsutil, psutil, PYTHON } from '../../helpers/oracle.js';

const FIX = fixturePath('sensors');
const tree = (name: string) => join(FIX, name);

/** Every file of a fixture tree as a relative path → contents map (directories holding `.keep` stand for unreadable files). */
function loadTree(root: string, dir = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, loadTree(root, rel));
    else out[rel] = readFileSync(join(root, rel), 'utf8');
  }
  return out;
}

type Snapshot = { temps: Record<string, Temperature[]>; tempsF: Record<string, Temperature[]>; fans: Record<string, Fan[]>; battery: Battery | null };
function ours(root: string): Snapshot {
  const saved = getSysfsPath();
  setSysfsPath(root);
  try {
    return { temps: sensorsTemperatures(), tempsF: sensorsTemperatures({ fahrenheit: true }), fans: sensorsFans(), battery: sensorsBattery() };
  } finally {
    setSysfsPath(saved);
  }
}

const t = (label: string, current: number, high: number | null, critical: number | null): Temperature => ({ label, current, high, critical });

// ---------------------------------------------------------------- fixture trees, values derived by hand

describe('sensors on fixture sysfs trees (expected values derived from the files)', () => {
  const saved = getSysfsPath();
  afterEach(() => setSysfsPath(saved));

  it('desktop: hwmon chips, device/ layout, labels, thresholds, junk and unreadable attributes', () => {
    const s = ours(tree('desktop'));
    expect(s.temps).toEqual({
      // hwmon0, then hwmon5 (same chip name: appended); temp1 < temp10 < temp2 as strings
      coretemp: [t('Package id 0', 45, 80, 100), t('Core 8', 41.5, 80, 100), t('Core 0', 43, 80, 100), t('Package id 1', 47, 80, 80)],
      // device/ layout, name read from device/name; max "garbage" → null; crit only → high mirrors it
      it8721: [t('', 38.5, null, null), t('', -5, 95, 95)],
      nvme: [t('Composite', 35.85, 84.85, 84.85)],
      acpitz: [t('', 27.8, 105, 105)],
      // temp1 "garbage" and temp2 (a directory) skipped; a 0 threshold does not count as set;
      // spaces around values and labels are stripped; Python's float() takes "1_000"
      nct6775: [t('', 0, 0, null), t('SYSTIN', 31, null, null), t('underscored', 1, null, null), t('', 52.75, 99, 99)],
      // hwmon4 has no name file: skipped
    });
    // psutil's dict order: first appearance in sorted path order (hwmon0, hwmon1, hwmon10, hwmon2, ...)
    expect(Object.keys(s.temps)).toEqual(['coretemp', 'it8721', 'nvme', 'acpitz', 'nct6775']);
    expect(s.tempsF.coretemp![0]).toEqual(t('Package id 0', 113, 176, 212));
    // thresholds are mirrored after conversion: 0 °C is 32 °F, which counts as set
    expect(s.tempsF.nct6775![0]).toEqual(t('', 32, 32, 32));
    expect(s.tempsF.nct6775![3]).toEqual(t('', 126.95, 32, 210.2));
    expect(s.tempsF.it8721).toEqual([t('', 101.3, null, null), t('', 23, 203, 203)]);
    // fan3_input is a directory: skipped
    expect(s.fans).toEqual({ nvme: [{ label: '', current: 5400 }], nct6775: [{ label: 'CPU fan', current: 1200 }, { label: '', current: 0 }] });
    // energy 30/60 Wh at 15 W: 50 %, 2 h; AC/online 0
    expect(s.battery).toEqual({ percent: 50, secsleft: 7200, powerPlugged: false });
  });

  it('thermal: no hwmon temperatures, so thermal zones with their trip points', () => {
    const s = ours(tree('thermal'));
    expect(s.temps).toEqual({
      acpitz: [t('', 27.8, 105, 105)],
      x86_pkg_temp: [t('', 45, null, null)],
      // thermal_zone10 sorts before thermal_zone2; a "passive" trip point is neither high nor critical
      iwlwifi_1: [t('', 36, null, null)],
      pch_skylake: [t('', 39.5, 90, 90)],
      // zone3 (temp "garbage") and zone4 (no type) skipped
    });
    expect(Object.keys(s.temps)).toEqual(['acpitz', 'x86_pkg_temp', 'iwlwifi_1', 'pch_skylake']);
    expect(s.tempsF.pch_skylake).toEqual([t('', 103.1, 194, 194)]);
    // fans only in device/ (no hwmon dir has fans directly)
    expect(s.fans).toEqual({ thinkpad: [{ label: 'Fan 1', current: 2650 }, { label: '', current: 0 }] });
    // an AC adapter but no battery
    expect(s.battery).toBeNull();
  });

  it('thermal-multi: the lowest-numbered trip point of each type, converted once', () => {
    expect(ours(tree('thermal-multi')).temps).toEqual({ acpitz: [t('', 30, 105, 105)] });
  });

  it('coretemp-platform: platform-only coretemp files yield nothing and suppress the thermal fallback (psutil 5.9.4)', () => {
    const s = ours(tree('coretemp-platform'));
    expect(s.temps).toEqual({});
    expect(s.fans).toEqual({});
  });

  it('batteries: energy, charge, capacity, status, AC adapters, time_to_empty, sorting', () => {
    // charge 2.0/4.5 Ah, Charging and no AC0/AC: plugged by status
    expect(ours(tree('bat-charge')).battery).toEqual({ percent: (100 * 2000000) / 4500000, secsleft: POWER_TIME_UNLIMITED, powerPlugged: true });
    // capacity only (a name containing "battery"), AC0/online 1
    expect(ours(tree('bat-capacity')).battery).toEqual({ percent: 87, secsleft: POWER_TIME_UNLIMITED, powerPlugged: true });
    // energy_now without energy_full: capacity; no power_now: time_to_empty_now (read as minutes) 90 → 5400 s
    expect(ours(tree('bat-discharging')).battery).toEqual({ percent: 40, secsleft: 5400, powerPlugged: false });
    // energy_full 0 → 0 %; power 0 → unknown; status "Unknown" → plugged unknown
    expect(ours(tree('bat-unknown')).battery).toEqual({ percent: 0, secsleft: POWER_TIME_UNKNOWN, powerPlugged: null });
    // a negative current gives a negative time, as psutil reports it
    expect(ours(tree('bat-negative-current')).battery).toEqual({ percent: 75, secsleft: -7200, powerPlugged: false });
    // BAT10 sorts first; AC/online "garbage" is not 1 → not plugged
    expect(ours(tree('bat-sort')).battery).toEqual({ percent: 20, secsleft: POWER_TIME_UNKNOWN, powerPlugged: false });
    // no energy_full and no capacity: no battery reading
    expect(ours(tree('bat-nothing')).battery).toBeNull();
  });

  it('junk psutil would crash on: skipped or counted unknown', () => {
    const s = ours(tree('junk'));
    // fan1_input "garbage" and hwmon1 (no name) skipped
    expect(s.fans).toEqual({ f71882fg: [{ label: 'ok', current: 900 }] });
    // energy_now "garbage" is unknown: capacity for percent, time_to_empty for time
    expect(s.battery).toEqual({ percent: 61, secsleft: 1800, powerPlugged: false });
  });

  it('an empty or missing sysfs gives {} and null', () => {
    const s = ours(join(FIX, 'no-such-root'));
    expect(s).toEqual({ temps: {}, tempsF: {}, fans: {}, battery: null });
  });

  it('the pure functions over a file map give what the live reader gives', () => {
    for (const name of readdirSync(FIX)) {
      const files = loadTree(tree(name));
      const r = sysfsFromFiles(files);
      const live = ours(tree(name));
      expect(temperaturesFrom(r), name).toEqual(live.temps);
      expect(temperaturesFrom(r, { fahrenheit: true }), name).toEqual(live.tempsF);
      expect(fansFrom(r), name).toEqual(live.fans);
      expect(batteryFrom(r), name).toEqual(live.battery);
    }
  });

  it('chip names that are not plain identifiers stay own keys', () => {
    const r = sysfsFromFiles({ 'class/hwmon/hwmon0/name': '__proto__\n', 'class/hwmon/hwmon0/temp1_input': '1000\n' });
    const res = temperaturesFrom(r);
    expect(Object.getOwnPropertyNames(res)).toEqual(['__proto__']);
    expect(res['__proto__']).toEqual([t('', 1, null, null)]);
  });
});

// ---------------------------------------------------------------- numbers

describe('parsePyFloat / parsePyInt', () => {
  it('follow Python float()/int() on bytes', () => {
    expect(parsePyFloat(' 42000\n')).toBe(42000);
    expect(parsePyFloat('1_000')).toBe(1000);
    expect(parsePyFloat('-4.25e3')).toBe(-4250);
    expect(parsePyFloat('.5')).toBe(0.5);
    expect(parsePyFloat('5.')).toBe(5);
    expect(parsePyFloat('-Infinity')).toBe(-Infinity);
    expect(parsePyFloat('nan')).toBeNaN();
    for (const bad of ['', ' ', 'garbage', '0x10', '1__0', '_1', '1_', '1e', '\u00a012', '1 2']) expect(parsePyFloat(bad), bad).toBeUndefined();
    expect(parsePyInt('\v12\f')).toBe(12);
    expect(parsePyInt('+5')).toBe(5);
    expect(Object.is(parsePyInt('-0'), 0)).toBe(true);
    for (const bad of ['4.2e4', 'nan', '', '1.0', '0x1', 'garbage']) expect(parsePyInt(bad), bad).toBeUndefined();
  });

  it('agree with Python on random numeric-looking strings', () => {
    const piece = fc.constantFrom('0', '1', '7', '9', '_', '.', 'e', 'E', '+', '-', ' ', '\n', '\t', 'x', 'inf', 'nan', 'i', 'n', 'Infinity');
    const samples = fc.sample(fc.array(piece, { maxLength: 8 }).map((a) => a.join('')), 600);
    const py = `
import sys, json
def f(fn, s):
    try:
        v = fn(s.encode())
        return 'nan' if v != v else 'inf' if v == float('inf') else '-inf' if v == float('-inf') else v
    except ValueError:
        return None
print(json.dumps([[f(float, s), f(int, s)] for s in json.load(sys.stdin)]))`;
    const out = JSON.parse(execFileSync(PYTHON, ['-c', py], { input: JSON.stringify(samples), encoding: 'utf8' })) as [number | string | null, number | string | null][];
    // NaN and ±inf travel as strings (JSON has no such numbers)
    const norm = (v: number | undefined) => (v === undefined ? null : Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v);
    samples.forEach((s, i) => {
      const [pf, pi] = out[i]!;
      expect(norm(parsePyFloat(s)) ?? null, JSON.stringify(s)).toEqual(pf === null ? null : pf);
      expect(norm(parsePyInt(s)) ?? null, JSON.stringify(s)).toEqual(pi);
    });
  });

  it('survive fuzzing', () => {
    fuzzParser(parsePyFloat, ['42000\n', '-5000\n', '1_000', '4.2e4']);
    fuzzParser(parsePyInt, ['1200\n', '0\n', '-1500000']);
  });
});

describe('sensor logic under junk sysfs contents', () => {
  it('never throws: any attribute may hold any text, or vanish', () => {
    const trees = readdirSync(FIX).map((n) => loadTree(tree(n)));
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', '0', '-1', '1e308', '1e309', 'nan', 'inf', '99999999999999999999999', 'Full', 'critical', 'high'));
    fc.assert(
      fc.property(fc.nat(trees.length - 1), fc.array(fc.tuple(fc.nat(), fc.option(text)), { maxLength: 12 }), fc.boolean(), (k, edits, f) => {
        const files = { ...trees[k]! };
        const keys = Object.keys(files);
        for (const [i, v] of edits) {
          const key = keys[i % keys.length]!;
          if (v === null) delete files[key];
          else files[key] = v;
        }
        const r = sysfsFromFiles(files);
        const temps = temperaturesFrom(r, { fahrenheit: f });
        for (const list of Object.values(temps)) for (const x of list) expect(typeof x.current).toBe('number');
        const fans = fansFrom(r);
        for (const list of Object.values(fans)) for (const x of list) expect(Number.isInteger(x.current)).toBe(true);
        const b = batteryFrom(r);
        if (b) expect(typeof b.percent).toBe('number');
      }),
      { numRuns: 600 },
    );
  });

  it('numeric attributes fuzzed in place (via fuzzParser)', () => {
    const base = loadTree(tree('desktop'));
    fuzzParser((s) => temperaturesFrom(sysfsFromFiles({ ...base, 'class/hwmon/hwmon0/temp1_input': s, 'class/hwmon/hwmon0/temp1_max': s })), ['45000\n']);
    fuzzParser((s) => fansFrom(sysfsFromFiles({ ...base, 'class/hwmon/hwmon3/fan1_input': s })), ['1200\n']);
    fuzzParser((s) => batteryFrom(sysfsFromFiles({ ...base, 'class/power_supply/BAT0/energy_now': s, 'class/power_supply/AC/online': s })), ['30000000\n', '1\n']);
  });
});

// ---------------------------------------------------------------- psutil as the oracle

describePsutil('sensors vs psutil on this machine', () => {
  // This machine has no /sys/class/hwmon, no thermal zones and an empty
  // /sys/class/power_supply: all empty, but still compared.
  it('sensorsTemperatures() equals psutil.sensors_temperatures() (both °C and °F)', () => {
    expect(sensorsTemperatures()).toEqual(psutil('psutil.sensors_temperatures()'));
    expect(sensorsTemperatures({ fahrenheit: true })).toEqual(psutil('psutil.sensors_temperatures(fahrenheit=True)'));
  });
  it('sensorsFans() equals psutil.sensors_fans()', () => {
    expect(sensorsFans()).toEqual(psutil('psutil.sensors_fans()'));
  });
  it('sensorsBattery() equals psutil.sensors_battery() (None → null)', () => {
    const p = psutil<{ percent: number; secsleft: number; power_plugged: boolean | null } | null>('psutil.sensors_battery()');
    expect(sensorsBattery()).toEqual(p && { percent: p.percent, secsleft: p.secsleft, powerPlugged: p.power_plugged });
  });
});

// psutil honours no sysfs root, so for the fixture trees it runs in a private
// mount namespace with the tree bind-mounted over /sys/class (and
// /sys/devices/platform where the tree has one). Needs root and unshare(1);
// the real /sys is untouched.
const ORACLE_PY = `
import json, psutil
def conv(o):
    if hasattr(o, '_asdict'): return {k: conv(v) for k, v in o._asdict().items()}
    if isinstance(o, dict): return {str(k): conv(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)): return [conv(v) for v in o]
    return o
out = {}
for key, f in [('temps', psutil.sensors_temperatures), ('tempsF', lambda: psutil.sensors_temperatures(fahrenheit=True)),
               ('fans', psutil.sensors_fans), ('battery', psutil.sensors_battery)]:
    try: out[key] = {'ok': conv(f())}
    except Exception as e: out[key] = {'error': type(e).__name__}
print(json.dumps(out))
`;
type Outcome<T> = { ok: T } | { error: string };
type PsutilSnapshot = {
  temps: Outcome<Record<string, Temperature[]>>;
  tempsF: Outcome<Record<string, Temperature[]>>;
  fans: Outcome<Record<string, Fan[]>>;
  battery: Outcome<{ percent: number; secsleft: number; power_plugged: boolean | null } | null>;
};
function psutilOn(root: string, env: NodeJS.ProcessEnv = {}): PsutilSnapshot {
  const script = 'mount --bind "$1/class" /sys/class && if [ -d "$1/devices/platform" ]; then mount --bind "$1/devices/platform" /sys/devices/platform; fi && exec "$2" -c "$3"';
  const out = execFileSync('unshare', ['-m', 'sh', '-c', script, 'sh', root, PYTHON, ORACLE_PY], { encoding: 'utf8', env: { ...process.env, ...env } });
  return JSON.parse(out) as PsutilSnapshot;
}
function canBindSys(): boolean {
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind "${tree('desktop')}/class" /sys/class && test -f /sys/class/power_supply/BAT0/status`]);
  return r.status === 0;
}
const battery = (p: PsutilSnapshot['battery']) => {
  if (!('ok' in p)) return p;
  return { ok: p.ok && { percent: p.ok.percent, secsleft: p.ok.secsleft, powerPlugged: p.ok.power_plugged } };
};

const bindOk = canBindSys();
describePsutil('sensors vs psutil on the fixture trees (bind-mounted over /sys/class)', () => {
  const run = bindOk ? it : it.skip;
  const skipNote = bindOk ? '' : ' [SKIPPED: cannot bind-mount in a private mount namespace (needs root)]';

  const same = ['desktop', 'thermal', 'coretemp-platform', 'bat-charge', 'bat-capacity', 'bat-discharging', 'bat-unknown', 'bat-negative-current', 'bat-sort', 'bat-nothing'];
  for (const name of same) {
    run(`${name}: equal${skipNote}`, () => {
      const p = psutilOn(tree(name));
      const o = ours(tree(name));
      // exact: the same files, the same float arithmetic
      expect({ ok: o.temps }).toEqual(p.temps);
      expect({ ok: o.tempsF }).toEqual(p.tempsF);
      expect({ ok: o.fans }).toEqual(p.fans);
      expect({ ok: o.battery }).toEqual(battery(p.battery));
      // the key order too (psutil's dict order)
      if ('ok' in p.temps) expect(Object.keys(o.temps)).toEqual(Object.keys(p.temps.ok));
    });
  }

  run(`junk: psutil raises where ptools skips${skipNote}`, () => {
    const p = psutilOn(tree('junk'));
    expect(p.fans).toEqual({ error: 'ValueError' }); // int(b'garbage')
    expect(p.battery).toEqual({ error: 'TypeError' }); // 100.0 * b'garbage'
    const o = ours(tree('junk'));
    expect({ ok: o.temps }).toEqual(p.temps);
  });

  run(`thermal-multi: psutil's value depends on the hash seed; ptools gives its unslipped value${skipNote}`, () => {
    // psutil walks trip points in set order and divides an already converted
    // value by 1000 again for each later trip point. Over several seeds it
    // yields 105 (critical trip point walked last), 0.105 or 0.000105.
    const seen = new Set<number>();
    for (let seed = 0; seed < 12; seed++) {
      const p = psutilOn(tree('thermal-multi'), { PYTHONHASHSEED: String(seed) });
      if (!('ok' in p.temps)) throw new Error('psutil failed');
      const [x] = p.temps.ok.acpitz!;
      expect(x!.high).toBe(x!.critical);
      seen.add(x!.critical!);
    }
    for (const v of seen) expect([105, 105 / 1000, 105 / 1000 / 1000]).toContain(v);
    expect(seen.has(105)).toBe(true);
    expect(ours(tree('thermal-multi')).temps).toEqual({ acpitz: [t('', 30, 105, 105)] });
  });
});

describe('fixture sanity', () => {
  it('unreadable attributes are directories (EISDIR for us and for Python)', () => {
    expect(statSync(join(tree('desktop'), 'class/hwmon/hwmon3/temp2_input')).isDirectory()).toBe(true);
    expect(statSync(join(tree('desktop'), 'class/hwmon/hwmon3/fan3_input')).isDirectory()).toBe(true);
  });
});
