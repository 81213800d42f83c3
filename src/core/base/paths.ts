/**
 * Where the kernel's files are read from. psutil's PROCFS_PATH, plus the
 * sysfs root and the utmp file, so every parser can run against a fixture
 * tree. Defaults come from PTOOLS_PROCFS_PATH / PTOOLS_SYSFS_PATH /
 * PTOOLS_UTMP_PATH when set.
 */
let procfs = process.env.PTOOLS_PROCFS_PATH || '/proc';
let sysfs = process.env.PTOOLS_SYSFS_PATH || '/sys';
let utmp = process.env.PTOOLS_UTMP_PATH || '/var/run/utmp';

export function getProcfsPath(): string {
  return procfs;
}
export function setProcfsPath(path: string): void {
  procfs = path.replace(/\/+$/, '') || '/';
}
export function getSysfsPath(): string {
  return sysfs;
}
export function setSysfsPath(path: string): void {
  sysfs = path.replace(/\/+$/, '') || '/';
}
export function getUtmpPath(): string {
  return utmp;
}
export function setUtmpPath(path: string): void {
  utmp = path;
}

/** `${procfs}/a/b` */
export function procPath(...parts: (string | number)[]): string {
  return [procfs, ...parts].join('/');
}
/** `${sysfs}/a/b` */
export function sysPath(...parts: (string | number)[]): string {
  return [sysfs, ...parts].join('/');
}
