/** Reading kernel files: each whole, in one read, through the addon. */
import { native, isErrnoError } from '../../native/index.js';
import { procPath } from './paths.js';
import { decodeSurrogateEscape } from './text-bytes.js';

/**
 * The whole file as text: UTF-8, with any byte that is not valid UTF-8 kept
 * as U+DC80..U+DCFF (psutil's surrogateescape; core/text-bytes), so names
 * and command lines survive whole. Throws the addon's errno error.
 */
export function readText(path: string): string {
  return decodeSurrogateEscape(native.readFile(path));
}

/** The whole file as bytes. */
export function readBytes(path: string): Buffer {
  return native.readFile(path);
}

/** The file as text, or `undefined` when it cannot be read (missing, permission, ...). */
export function tryReadText(path: string): string | undefined {
  try {
    return decodeSurrogateEscape(native.readFile(path));
  } catch (e) {
    if (isErrnoError(e)) return undefined;
    throw e;
  }
}

/** The first line of a sysfs attribute, trimmed, or `undefined`. */
export function tryReadAttr(path: string): string | undefined {
  const t = tryReadText(path);
  return t === undefined ? undefined : t.replace(/\n[\s\S]*$/, '').trim();
}

/** A sysfs attribute as an integer, or `undefined`. */
export function tryReadInt(path: string): number | undefined {
  const t = tryReadAttr(path);
  if (t === undefined || !/^-?\d+$/.test(t)) return undefined;
  return Number(t);
}

/**
 * /proc/net/<parts...> as text, or null when the kernel has no such file
 * (a protocol not built in, a module not loaded) or will not let us read it;
 * any other error is thrown.
 */
export function readProcNetOptional(...parts: string[]): string | null {
  try {
    return readText(procPath('net', ...parts));
  } catch (e) {
    if (isErrnoError(e) && (e.code === 'ENOENT' || e.code === 'EACCES')) return null;
    throw e;
  }
}
