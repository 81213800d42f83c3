/**
 * A controlling terminal's device number → its /dev path, by procps's rules
 * (library devname.c): first the drivers listed in /proc/tty/drivers, then the
 * process's /proc/<pid>/fd/2 link, then the historical name for the major
 * number, then fd/255 (bash's copy of the tty); each candidate must be a node
 * with that very device number. Unlike psutil (which stats every /dev/tty* and
 * /dev/pts/*), this names /dev/console and serial lines the way ps does.
 */
import { readlinkSync, statSync } from 'node:fs';
import { procPath } from '../base/paths.js';
import { tryReadText } from '../base/read.js';
import { getDevPath } from '../base/paths.js';

/** glibc's gnu_dev_major/minor for a dev_t held in a JS number. */
export function devMajor(dev: number): number {
  return Math.floor(dev / 256) & 0xfff | (Math.floor(dev / 2 ** 32) & ~0xfff);
}
export function devMinor(dev: number): number {
  return (dev & 0xff) | (Math.floor(dev / 4096) & ~0xff & 0xfffff00);
}

interface DriverEntry {
  name: string;
  devfs: boolean;
  major: number;
  first: number;
  last: number;
}

/**
 * /proc/tty/drivers → entries, LAST line first (procps builds its list by
 * prepending, so later lines win). The second column is the /dev name.
 */
export function parseTtyDrivers(text: string): DriverEntry[] {
  const out: DriverEntry[] = [];
  let p = 0;
  for (;;) {
    const at = text.indexOf(' /dev/', p);
    if (at < 0) break;
    p = at + 6;
    const end = text.indexOf(' ', p);
    if (end < 0) continue;
    let name = text.slice(p, end);
    let devfs = false;
    if (name.length >= 3 && name.endsWith('%d')) {
      name = name.slice(0, -2);
      devfs = true;
    }
    name = name.slice(0, 15);
    let q = end;
    while (text[q] === ' ') q++;
    const majm = /^\d*/.exec(text.slice(q))![0];
    const major = majm === '' ? 0 : Number(majm);
    q += majm.length;
    while (text[q] === ' ') q++;
    const mm = /^(\d+)(?:-(\d+))?/.exec(text.slice(q, q + 40));
    p = q;
    if (!mm) continue;
    const first = Number(mm[1]);
    const last = mm[2] === undefined ? first : Number(mm[2]);
    out.unshift({ name, devfs, major, first, last });
  }
  return out;
}

let drivers: DriverEntry[] | undefined;
const byDev = new Map<number, string | null>();
const guessed = new Map<number, string | null>();

/** Forgets cached driver lists and names (tests switch /proc and /dev roots). */
export function resetTtyCache(): void {
  drivers = undefined;
  byDev.clear();
  guessed.clear();
}

function dev(p: string): string {
  return getDevPath() + p.slice(4); // "/dev/..." under the configured /dev root
}

function rdevOf(path: string): number | null {
  try {
    const st = statSync(dev(path), { throwIfNoEntry: false });
    return st ? st.rdev : null;
  } catch {
    return null;
  }
}

function matches(path: string, maj: number, min: number): boolean {
  const r = rdevOf(path);
  return r !== null && devMinor(r) === min && devMajor(r) === maj;
}

function driverName(maj: number, min: number): string | null {
  if (!drivers) drivers = parseTtyDrivers(tryReadText(procPath('tty', 'drivers')) ?? '');
  const d = drivers.find((e) => e.major === maj && e.first <= min && e.last >= min);
  if (!d) return null;
  let path = `/dev/${d.name}${min}`;
  let r = rdevOf(path);
  if (r === null) {
    path = `/dev/${d.name}/${min}`;
    r = rdevOf(path);
    if (r === null) {
      if (d.devfs) return null;
      path = `/dev/${d.name}`;
      r = rdevOf(path);
      if (r === null) return null;
    }
  }
  // The first existing candidate decides; a wrong number is a failure, not a reason to look further.
  if (devMinor(r) !== min || devMajor(r) !== maj) return null;
  return path;
}

const LOW_DENSITY = (
  'LU0 LU1 LU2 LU3 FB0 SA0 SA1 SA2 SC0 SC1 SC2 SC3 FW0 FW1 FW2 FW3 ' +
  'AM0 AM1 AM2 AM3 AM4 AM5 AM6 AM7 AM8 AM9 AM10 AM11 AM12 AM13 AM14 AM15 ' +
  'DB0 DB1 DB2 DB3 DB4 DB5 DB6 DB7 SG0 SMX0 SMX1 SMX2 MM0 MM1 CPM0 CPM1 CPM2 CPM3 ' +
  Array.from({ length: 32 }, (_, i) => `IOC${i}`).join(' ') + ' VR0 VR1 ' +
  Array.from({ length: 32 }, (_, i) => `IOC${i + 84}`).join(' ') + ' ' +
  Array.from({ length: 32 }, (_, i) => `SIOC${i}`).join(' ') + ' PSC0 PSC1 PSC2 PSC3 PSC4 PSC5 ' +
  Array.from({ length: 16 }, (_, i) => `AT${i}`).join(' ') + ' ' +
  Array.from({ length: 16 }, (_, i) => `NX${i}`).join(' ') +
  ' J0 UL0 UL1 UL2 UL3 xvc0 PZ0 PZ1 PZ2 PZ3 TX0 TX1 TX2 TX3 TX4 TX5 TX6 TX7 SC0 SC1 SC2 SC3 MAX0 MAX1 MAX2 MAX3'
).split(' ');

const SIMPLE: Record<number, string> = {
  11: 'ttyB', 17: 'ttyH', 19: 'ttyC', 22: 'ttyD', 23: 'ttyD', 24: 'ttyE', 32: 'ttyX', 43: 'ttyI', 46: 'ttyR',
  48: 'ttyL', 57: 'ttyP', 71: 'ttyF', 75: 'ttyW', 78: 'ttyM', 105: 'ttyV', 112: 'ttyM', 148: 'ttyT',
  154: 'ttySR', 164: 'ttyCH', 166: 'ttyACM', 172: 'ttyMX', 174: 'ttySI', 188: 'ttyUSB', 208: 'ttyU',
  216: 'ttyUB', 224: 'ttyY', 227: '3270/tty', 229: 'iseries/vtty', 256: 'ttyEQ',
};

/** The historical name of a terminal device (devices.txt). */
function guessName(maj: number, min: number): string | null {
  let path: string;
  if (maj === 3) {
    if (min > 255) return null;
    path = `/dev/tty${'pqrstuvwxyzabcde'[min >> 4]}${'0123456789abcdef'[min & 15]}`;
  } else if (maj === 4) {
    path = min < 64 ? `/dev/tty${min}` : `/dev/ttyS${min - 64}`;
  } else if (maj >= 136 && maj <= 143) {
    path = `/dev/pts/${min + (maj - 136) * 256}`;
  } else if (maj === 156) {
    path = `/dev/ttySR${min + 256}`;
  } else if (maj === 204) {
    const n = LOW_DENSITY[min];
    if (n === undefined) return null;
    path = `/dev/tty${n}`;
  } else if (SIMPLE[maj] !== undefined) {
    path = `/dev/${SIMPLE[maj]}${min}`;
  } else {
    return null;
  }
  return matches(path, maj, min) ? path : null;
}

function linkName(maj: number, min: number, pid: number, fd: string): string | null {
  let target: string;
  try {
    target = readlinkSync(procPath(pid, 'fd', fd));
  } catch {
    return null;
  }
  if (target.length === 0 || target.length >= 127) return null;
  try {
    const st = statSync(target, { throwIfNoEntry: false });
    if (!st || devMinor(st.rdev) !== min || devMajor(st.rdev) !== maj) return null;
  } catch {
    return null;
  }
  return target;
}

/**
 * The /dev path of terminal `ttyNr` (stat's tty_nr) for process `pid`, or
 * null (no terminal, or no node with that number).
 */
export function ttyPath(ttyNr: number, pid: number): string | null {
  if (ttyNr === 0) return null;
  const maj = devMajor(ttyNr);
  const min = devMinor(ttyNr);
  let d = byDev.get(ttyNr);
  if (d === undefined) {
    d = driverName(maj, min);
    byDev.set(ttyNr, d);
  }
  if (d) return d;
  const l2 = linkName(maj, min, pid, '2');
  if (l2) return l2;
  let g = guessed.get(ttyNr);
  if (g === undefined) {
    g = guessName(maj, min);
    guessed.set(ttyNr, g);
  }
  if (g) return g;
  return linkName(maj, min, pid, '255');
}

/** stat() of a path: its device number when it is a character device, 'notchar' when it is something else, null when it does not exist. */
export function charDevice(path: string): number | 'notchar' | null {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return null;
    return st.isCharacterDevice() ? st.rdev : 'notchar';
  } catch {
    return null;
  }
}

/**
 * A terminal named on a command line (ps -t): a path, or a name tried as
 * /dev/pts/NAME, /dev/NAME, /dev/ttyNAME, /dev/ptyNAME, /dev/NAMEnsole; "-"
 * and "?" mean "no terminal" (device 0). Returns the device number, or the
 * reason it is not usable.
 */
export function lookupTerminal(name: string): number | 'not-found' | 'not-tty' {
  const check = (p: string): number | 'not-tty' | null => {
    const r = charDevice(p);
    return r === null ? null : r === 'notchar' ? 'not-tty' : r;
  };
  if (name.startsWith('/')) return check(name) ?? 'not-found';
  const root = getDevPath();
  for (const p of [`${root}/pts/${name}`, `${root}/${name}`, `${root}/tty${name}`, `${root}/pty${name}`, `${root}/${name}nsole`]) {
    const r = check(p);
    if (r !== null) return r;
  }
  if (name === '-' || name === '?') return 0;
  // A one-character name that exists in the current directory: procps assumes the shell expanded '?'.
  if (name.length === 1 && charDevice(name) !== null) return 0;
  return 'not-found';
}
