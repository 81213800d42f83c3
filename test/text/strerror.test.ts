/** text/strerror: glibc's strerror texts, checked against the C library itself (through python's os.strerror). */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { errorText, strerror } from '../../src/text/strerror.js';
import { PYTHON } from '../helpers/oracle.js';

const NAMES = ['EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'EAGAIN', 'ENOMEM', 'EACCES', 'EFAULT', 'EBUSY', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE', 'ETXTBSY', 'EFBIG', 'ENOSPC', 'EROFS', 'EPIPE', 'ERANGE', 'ENAMETOOLONG', 'ENOSYS', 'ELOOP', 'EOVERFLOW', 'ECONNRESET', 'ENOTCONN', 'ETIMEDOUT', 'EHOSTDOWN', 'ESTALE', 'EDQUOT', 'ENOMEDIUM'];

describe('strerror', () => {
  it("every text in the table is the C library's", () => {
    const script = 'import errno, json, os, sys\nprint(json.dumps({n: os.strerror(getattr(errno, n)) for n in sys.argv[1:]}))';
    const libc = JSON.parse(execFileSync(PYTHON, ['-c', script, ...NAMES], { encoding: 'utf8', env: { LC_ALL: 'C', PATH: process.env.PATH } })) as Record<string, string>;
    for (const n of NAMES) expect(strerror(n), n).toBe(libc[n]);
  });

  it('an unknown code is given as its name', () => {
    expect(strerror('EWHAT')).toBe('EWHAT');
  });

  it('errorText: glibc texts for Node and addon errors', () => {
    expect(errorText(Object.assign(new Error("ENOENT: no such file or directory, stat '/x'"), { code: 'ENOENT' }))).toBe('No such file or directory');
    expect(errorText(Object.assign(new Error("EWHAT: Some new error, statvfs '/x'"), { code: 'EWHAT' }))).toBe('Some new error');
    expect(errorText(new Error('plain'))).toBe('plain');
  });
});
