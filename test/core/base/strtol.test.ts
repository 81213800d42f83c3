/** core/base/strtol: glibc strtol over a whole string, vs the C library itself (through python's ctypes). */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { strtolWhole } from '../../../src/core/base/strtol.js';
import { PYTHON } from '../../helpers/oracle.js';

const CASES = ['0', '42', '-7', '+7', '-0', ' \t\n\v\f\r12', '007', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '99999999999999999999999', '', ' ', '-', '+', '1 ', '1x', 'x1', '0x10', '1.5', '--1', '\u00a01'];

describe('strtolWhole', () => {
  it("agrees with glibc's strtol(s, &end, 10) where end must reach the end (and ERANGE is overflow)", () => {
    const script = `
import ctypes, json, sys
libc = ctypes.CDLL('libc.so.6', use_errno=True)
libc.strtol.restype = ctypes.c_long
libc.strtol.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int]
out = []
for s in json.loads(sys.argv[1]):
    b = s.encode()
    end = ctypes.c_char_p()
    ctypes.set_errno(0)
    v = libc.strtol(b, ctypes.byref(end), 10)
    err = ctypes.get_errno()
    whole = len(b) > 0 and end.value == b'' and any(c.isdigit() for c in s)
    out.append([str(v), err == 34] if whole else None)
print(json.dumps(out))`;
    const libc = JSON.parse(execFileSync(PYTHON, ['-c', script, JSON.stringify(CASES)], { encoding: 'utf8' })) as ([string, boolean] | null)[];
    CASES.forEach((s, i) => {
      const ours = strtolWhole(s);
      expect(ours === undefined ? null : [String(ours.value), ours.overflow], JSON.stringify(s)).toEqual(libc[i]);
    });
  });
});
