/** glibc's strerror(3) texts, for the errnos the commands can meet. */

const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long',
  ENOEXEC: 'Exec format error',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EPIPE: 'Broken pipe',
  ERANGE: 'Numerical result out of range',
  ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function not implemented',
  ELOOP: 'Too many levels of symbolic links',
  EOVERFLOW: 'Value too large for defined data type',
  ECONNRESET: 'Connection reset by peer',
  ENOTCONN: 'Transport endpoint is not connected',
  ETIMEDOUT: 'Connection timed out',
  EHOSTDOWN: 'Host is down',
  ESTALE: 'Stale file handle',
  EDQUOT: 'Disk quota exceeded',
  ENOMEDIUM: 'No medium found',
};

/** glibc's strerror text for an errno code name ("ESRCH" → "No such process"); the name itself when unknown. */
export function strerror(code: string): string {
  return STRERROR[code] ?? code;
}

/**
 * The strerror text of an errno error (Node's or the addon's). A code not in
 * the table takes the text from the addon's message ("CODE: strerror text,
 * syscall 'path'"); anything else its message.
 */
export function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (STRERROR[code]) return STRERROR[code]!;
  const m = /^E[A-Z0-9]+: ([^,]+)/.exec(err?.message ?? '');
  if (m) return m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1);
  return err?.message ?? String(e);
}
