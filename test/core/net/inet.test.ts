/**
 * core/net/inet: the one inet_ntop / inet_pton, against glibc (through
 * Python's socket module, which calls it) and against each other.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexBytes16, inetNtop, inetNtop4, inetNtop6, inetPton4, inetPton6, isV4Mapped } from '../../../src/core/net/inet.js';
import { PYTHON } from '../../helpers/oracle.js';

describe('inetNtop6 agrees with glibc inet_ntop (through Python)', () => {
  it('on hand-picked and random addresses', () => {
    const picked = [
      '00000000000000000000000000000000', '00000000000000000000000000000001', '00000000000000000000ffff01020304',
      '00000000000000000000000001020304', '00000000000000000000000000010002', '20010db8000000000001000000000001',
      '20010db8000000010000000000000000', 'fe80000000000000000000000000000a', '00010000000000000000000000000000',
      '00000000000000000000ffff00000000', '0000000000000000ffff000001020304', '00000000000000000000000100000000',
    ];
    const random = fc.sample(
      fc.array(fc.constantFrom(0, 0, 0, 0, 1, 0xffff, 0xfe80, 0x1234), { minLength: 8, maxLength: 8 }).map((w) => w.map((x) => x.toString(16).padStart(4, '0')).join('')),
      300,
    );
    const all = [...picked, ...random];
    const script = 'import socket,sys\nfor h in sys.stdin.read().split():\n    print(socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h)))\n';
    const want = execFileSync(PYTHON, ['-c', script], { input: all.join('\n'), encoding: 'utf8' }).trim().split('\n');
    expect(all.map((h) => inetNtop6(hexBytes16(h)!))).toEqual(want);
  });
});

describe('inetPton4 / inetPton6', () => {
  it('inetPton6 inverts formatIP for any 16 bytes; inetPton4 is strict', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      expect(inetPton6(inetNtop(b))).toEqual(b);
    }));
    fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
      expect(inetPton4(inetNtop(b))).toEqual(b);
    }));
    expect(inetPton6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(inetPton6('1::2::3')).toBeNull();
    expect(inetPton6('::ffff:1.2.3')).toBeNull();
    expect(inetPton4('01.2.3.4')).toBeNull();
    expect(inetPton4('1.2.3')).toBeNull();
  });


  it('agree with glibc inet_pton (through Python) on valid and invalid text', () => {
    const texts = [
      '::', '::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::8', 'fe80::1', 'FE80::A:b',
      '::ffff:1.2.3.4', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::ffff:1.2.3.04', '::ffff:256.1.1.1',
      '1:2:3:4:5:6:7:8:9', '1::2::3', ':1::', '1:::2', '12345::', 'g::', '', ':', '1.2.3.4', '::ffff:1.2.3', '1:2:3:4:5:6:7',
      '0000:0000:0000:0000:0000:0000:0000:0001', '00000::1', '::1.2.3.4:5',
    ];
    const script = 'import socket,sys,json\nout=[]\nfor t in json.load(sys.stdin):\n  try: out.append(socket.inet_pton(socket.AF_INET6, t).hex())\n  except OSError: out.append(None)\nprint(json.dumps(out))\n';
    const want = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' })) as (string | null)[];
    expect(texts.map((t) => {
      const b = inetPton6(t);
      return b ? Buffer.from(b).toString('hex') : null;
    })).toEqual(want);
    const texts4 = ['1.2.3.4', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..3.4', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d', ''];
    const script4 = script.replace('AF_INET6', 'AF_INET');
    const want4 = JSON.parse(execFileSync(PYTHON, ['-c', script4], { input: JSON.stringify(texts4), encoding: 'utf8' })) as (string | null)[];
    expect(texts4.map((t) => {
      const b = inetPton4(t);
      return b ? Buffer.from(b).toString('hex') : null;
    })).toEqual(want4);
  });
});

describe('helpers', () => {
  it('inetNtop4 reads 4 bytes at an offset; wrong lengths are RangeErrors', () => {
    expect(inetNtop4(Uint8Array.of(9, 9, 10, 0, 0, 1), 2)).toBe('10.0.0.1');
    expect(() => inetNtop4(Uint8Array.of(1, 2, 3))).toThrow(RangeError);
    expect(() => inetNtop6(new Uint8Array(4))).toThrow(RangeError);
    expect(inetNtop(new Uint8Array(16))).toBe('::');
  });
  it('hexBytes16 takes exactly 32 hex digits; isV4Mapped spots ::ffff:a.b.c.d', () => {
    expect(hexBytes16('0'.repeat(31))).toBeNull();
    expect(hexBytes16('g'.repeat(32))).toBeNull();
    expect(isV4Mapped(hexBytes16('00000000000000000000ffff01020304')!)).toBe(true);
    expect(isV4Mapped(hexBytes16('00000000000000000000fffe01020304')!)).toBe(false);
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      expect(hexBytes16(Buffer.from(b).toString('hex'))).toEqual(b);
    }));
  });
});
