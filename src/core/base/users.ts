/**
 * uid → user name and gid → group name (and back), through the C library
 * (getpwuid_r / getgrgid_r, so NSS sources count, as in psutil's pwd.getpwuid), cached:
 * a process scan asks for the same few ids hundreds of times.
 *
 * Names found are kept; an id without a name is retried after MISS_TTL_MS
 * (a user may be added while a long-lived monitor runs).
 */
import { native } from '../../native/index.js';

const MISS_TTL_MS = 30_000;

interface Entry {
  name: string | null;
  at: number;
}

const users = new Map<number, Entry>();
const groups = new Map<number, Entry>();

function lookup(cache: Map<number, Entry>, id: number, get: (id: number) => { name: string } | null): string | null {
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && (hit.name !== null || now - hit.at < MISS_TTL_MS)) return hit.name;
  let name: string | null = null;
  try {
    name = get(id)?.name ?? null;
  } catch {
    // An NSS backend failing is a miss, as in Python's KeyError.
    name = null;
  }
  cache.set(id, { name, at: now });
  return name;
}

/** The user name of `uid`, or null when the system has none. */
export function userName(uid: number): string | null {
  return lookup(users, uid, (id) => native.getpwuid(id));
}

/** The group name of `gid`, or null when the system has none. */
export function groupName(gid: number): string | null {
  return lookup(groups, gid, (id) => native.getgrgid(id));
}

/** psutil's username rule: the name, or the uid as a string when it has none. */
export function userNameOrId(uid: number): string {
  return userName(uid) ?? String(uid);
}

/** Forgets every cached name. */
export function clearUserCache(): void {
  users.clear();
  groups.clear();
}

/** The uid of a user name (getpwnam), or null when there is no such user. */
export function uidOfName(name: string): number | null {
  try {
    return native.getpwnam(name)?.uid ?? null;
  } catch {
    return null;
  }
}

/** The gid of a group name (getgrnam), or null when there is no such group. */
export function gidOfName(name: string): number | null {
  try {
    return native.getgrnam(name)?.gid ?? null;
  } catch {
    return null;
  }
}
