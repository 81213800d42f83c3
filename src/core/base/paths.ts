/**
 * Every root the library reads the system from, in one place, so every
 * parser can run against a fixture tree: psutil's PROCFS_PATH, the sysfs
 * root, the utmp file, the /etc directory (services, protocols, hosts,
 * networks), the /dev directory (terminal names) and glibc's compiled
 * locales. Defaults come from PTOOLS_PROCFS_PATH / PTOOLS_SYSFS_PATH /
 * PTOOLS_UTMP_PATH / PTOOLS_ETC_PATH / PTOOLS_LOCALE_PATH when set.
 * ptools/promises' worker thread gets all of them with every call (getRoots/setRoots).
 */
let procfs = process.env.PTOOLS_PROCFS_PATH || '/proc';
let sysfs = process.env.PTOOLS_SYSFS_PATH || '/sys';
let utmp = process.env.PTOOLS_UTMP_PATH || '/var/run/utmp';
let etc = process.env.PTOOLS_ETC_PATH || '/etc';
let dev = '/dev';
let locale = process.env.PTOOLS_LOCALE_PATH || '/usr/lib/locale';

/** A directory root: trailing slashes dropped ('/' stays '/'). */
function dir(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

export function getProcfsPath(): string {
  return procfs;
}
export function setProcfsPath(path: string): void {
  procfs = dir(path);
}
export function getSysfsPath(): string {
  return sysfs;
}
export function setSysfsPath(path: string): void {
  sysfs = dir(path);
}
export function getUtmpPath(): string {
  return utmp;
}
export function setUtmpPath(path: string): void {
  utmp = path;
}
/** Where /etc's databases are read from (services, protocols, hosts, networks). */
export function getEtcPath(): string {
  return etc;
}
export function setEtcPath(path: string): void {
  etc = dir(path);
}
/** Where device nodes are looked up (terminal names). */
export function getDevPath(): string {
  return dev;
}
export function setDevPath(path: string): void {
  dev = dir(path);
}
/** Where compiled locales live (glibc's /usr/lib/locale). */
export function getLocalePath(): string {
  return locale;
}
export function setLocalePath(path: string): void {
  locale = dir(path);
}

/** All the roots at once (what ptools/promises sends its worker with each call). */
export interface Roots {
  readonly procfs: string;
  readonly sysfs: string;
  readonly utmp: string;
  readonly etc: string;
  readonly dev: string;
  readonly locale: string;
}

export function getRoots(): Roots {
  return { procfs, sysfs, utmp, etc, dev, locale };
}
export function setRoots(r: Roots): void {
  setProcfsPath(r.procfs);
  setSysfsPath(r.sysfs);
  setUtmpPath(r.utmp);
  setEtcPath(r.etc);
  setDevPath(r.dev);
  setLocalePath(r.locale);
}

/** `${procfs}/a/b` */
export function procPath(...parts: (string | number)[]): string {
  return [procfs, ...parts].join('/');
}
/** `${sysfs}/a/b` */
export function sysPath(...parts: (string | number)[]): string {
  return [sysfs, ...parts].join('/');
}
/** `${etc}/name` */
export function etcPath(name: string): string {
  return `${etc}/${name}`;
}
