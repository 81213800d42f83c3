/**
 * The terminal of a process: stat's tty_nr is a device number; the name is
 * found by stat()ing /dev/tty* and /dev/pts/* (psutil builds the same map).
 */
import { readdirSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { getDevPath } from '../base/paths.js';

/** device number → '/dev/...' path. */
export type TerminalMap = ReadonlyMap<number, string>;


function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Builds the map once; callers that need many lookups (a process scan) keep it for the scan. */
export function terminalMap(): TerminalMap {
  const map = new Map<number, string>();
  const add = (path: string): void => {
    try {
      const st = statSync(path, { bigint: true });
      // Device numbers of terminals are small; Number() is exact for them.
      map.set(Number(st.rdev), path);
    } catch {
      // Gone between readdir and stat.
    }
  };
  const devRoot = getDevPath();
  for (const n of list(devRoot)) if (n.startsWith('tty')) add(`${devRoot}/${n}`);
  for (const n of list(`${devRoot}/pts`)) if (!n.startsWith('.')) add(`${devRoot}/pts/${n}`);
  return map;
}

/** tty_nr → path, or null (no terminal, or a device without a node). */
export function terminalName(ttyNr: number, map: TerminalMap = terminalMap()): string | null {
  if (ttyNr === 0) return null;
  return map.get(ttyNr) ?? null;
}

/** terminalMap() with the directory reads and stat() calls on the thread pool. */
export async function terminalMapAsync(): Promise<TerminalMap> {
  const names = async (dir: string): Promise<string[]> => {
    try {
      return await readdir(dir);
    } catch {
      return [];
    }
  };
  const devRoot = getDevPath();
  const [dev, pts] = await Promise.all([names(devRoot), names(`${devRoot}/pts`)]);
  const paths = [
    ...dev.filter((n) => n.startsWith('tty')).map((n) => `${devRoot}/${n}`),
    ...pts.filter((n) => !n.startsWith('.')).map((n) => `${devRoot}/pts/${n}`),
  ];
  const rdevs = await Promise.all(paths.map((p) => stat(p, { bigint: true }).then((st) => Number(st.rdev), () => undefined)));
  const map = new Map<number, string>();
  paths.forEach((p, i) => {
    const r = rdevs[i];
    if (r !== undefined) map.set(r, p);
  });
  return map;
}
