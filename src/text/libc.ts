/**
 * Small pieces of glibc that commands reproduce exactly: strtol over a whole
 * string and strerror(3) texts.
 */

/** glibc strtol over the whole string, base 10: undefined unless all of it is a number. */
export function strtolWhole(s: string): { value: bigint; overflow: boolean } | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (!m) return undefined;
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  const max = (1n << 63n) - 1n;
  const min = -(1n << 63n);
  if (v > max) return { value: max, overflow: true };
  if (v < min) return { value: min, overflow: true };
  return { value: v, overflow: false };
}

/** strerror(3) texts (glibc) for the errnos these commands can meet. */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ETXTBSY: 'Text file busy',
  ERANGE: 'Numerical result out of range',
  ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function not implemented',
  ELOOP: 'Too many levels of symbolic links',
  EBADF: 'Bad file descriptor',
  ENOSPC: 'No space left on device',
  EPIPE: 'Broken pipe',
  EFBIG: 'File too large',
  EDQUOT: 'Disk quota exceeded',
  ENXIO: 'No such device or address',
  EROFS: 'Read-only file system',
  ECONNRESET: 'Connection reset by peer',
};

/** glibc's strerror text for an errno code name ("ESRCH" → "No such process"). */
export function strerror(code: string): string {
  return STRERROR[code] ?? code;
}
