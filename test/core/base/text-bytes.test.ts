/**
 * core/text-bytes: bytes ↔ string with Python's surrogateescape, the form
 * --json uses for kernel strings that are not valid UTF-8. Hand cases,
 * round trips on random bytes, and the same inputs decoded by Python itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSurrogateEscape, encodeSurrogateEscape } from '../../../src/core/base/text-bytes.js';
import { PYTHON } from '../../helpers/oracle.js';

const b = (...xs: number[]): Buffer => Buffer.from(xs);
const esc = (...xs: number[]): string => String.fromCharCode(...xs.map((x) => 0xdc00 + x));

/** The awkward inputs: each is decoded below by hand and by Python. */
const CASES: Array<[string, Buffer, string]> = [
  ['empty', b(), ''],
  ['ASCII with controls and NUL', Buffer.from('a\tb\n\x1b[2J\x7f\0z', 'latin1'), 'a\tb\n\x1b[2J\x7f\0z'],
  ['valid 2-, 3- and 4-byte characters', Buffer.from('café €𝄞', 'utf8'), 'café €𝄞'],
  ['C1 controls encoded properly (U+0085)', b(0xc2, 0x85), '\u0085'],
  ['lone continuation bytes', b(0x80, 0x9f, 0xbf), esc(0x80, 0x9f, 0xbf)],
  ['0xff 0xfe', b(0x61, 0xff, 0xfe, 0x62), `a${esc(0xff, 0xfe)}b`],
  ['overlong 2-byte NUL (C0 80)', b(0xc0, 0x80), esc(0xc0, 0x80)],
  ['overlong 2-byte (C1 BF)', b(0xc1, 0xbf), esc(0xc1, 0xbf)],
  ['overlong 3-byte (E0 80 80)', b(0xe0, 0x80, 0x80), esc(0xe0, 0x80, 0x80)],
  ['overlong 4-byte (F0 80 80 80)', b(0xf0, 0x80, 0x80, 0x80), esc(0xf0, 0x80, 0x80, 0x80)],
  ['surrogate encoded in UTF-8 (ED A0 80)', b(0xed, 0xa0, 0x80), esc(0xed, 0xa0, 0x80)],
  ['low surrogate encoded in UTF-8 (ED B2 80)', b(0xed, 0xb2, 0x80), esc(0xed, 0xb2, 0x80)],
  ['above U+10FFFF (F4 90 80 80)', b(0xf4, 0x90, 0x80, 0x80), esc(0xf4, 0x90, 0x80, 0x80)],
  ['5-byte form (F8 88 80 80 80)', b(0xf8, 0x88, 0x80, 0x80, 0x80), esc(0xf8, 0x88, 0x80, 0x80, 0x80)],
  ['6-byte form (FC 84 80 80 80 80)', b(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80), esc(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80)],
  ['3-byte character cut in half at the end', b(0x63, 0x75, 0x74, 0xe2, 0x82), `cut${esc(0xe2, 0x82)}`],
  ['4-byte character cut, then ASCII', b(0xf0, 0x9d, 0x84, 0x41), `${esc(0xf0, 0x9d, 0x84)}A`],
  ['cut character followed by a whole one', b(0xe2, 0x82, 0xe2, 0x82, 0xac), `${esc(0xe2, 0x82)}€`],
  ['lead byte followed by ASCII (C3 28)', b(0xc3, 0x28), `${esc(0xc3)}(`],
  ['largest valid (F4 8F BF BF) and U+FFFF (EF BF BF)', b(0xf4, 0x8f, 0xbf, 0xbf, 0xef, 0xbf, 0xbf), '\u{10ffff}\uffff'],
  ['a BOM is kept', b(0xef, 0xbb, 0xbf, 0x61), '\ufeffa'],
];

describe('decodeSurrogateEscape / encodeSurrogateEscape', () => {
  for (const [name, bytes, want] of CASES) {
    it(`${name}: decoded as Python's surrogateescape does, and back`, () => {
      const s = decodeSurrogateEscape(bytes);
      expect(s).toBe(want);
      expect(encodeSurrogateEscape(s).equals(bytes)).toBe(true);
    });
  }

  it('valid UTF-8 is returned unchanged (decode = toString, encode = Buffer.from)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        expect(decodeSurrogateEscape(Buffer.from(s, 'utf8'))).toBe(s);
        expect(encodeSurrogateEscape(s).equals(Buffer.from(s, 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('any bytes round-trip exactly; only U+DC80..U+DCFF appear as lone surrogates; JSON carries them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (arr) => {
        const s = decodeSurrogateEscape(arr);
        expect(encodeSurrogateEscape(s).equals(Buffer.from(arr))).toBe(true);
        for (const m of s.matchAll(/[\ud800-\udfff]/gu)) {
          // With the u flag a lone surrogate matches by itself; pairs are whole code points.
          const c = m[0].codePointAt(0)!;
          expect(c >= 0xdc80 && c <= 0xdcff).toBe(true);
        }
        const json = JSON.stringify({ v: s });
        // Lone surrogates leave as \udcXX escapes: the JSON text itself is well-formed Unicode.
        expect((json as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
        expect(encodeSurrogateEscape((JSON.parse(json) as { v: string }).v).equals(Buffer.from(arr))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a Uint8Array view (not a Buffer) with an offset decodes the bytes it views', () => {
    const whole = Uint8Array.from([0x41, 0xff, 0x42, 0xc3, 0xa9, 0x43]);
    expect(decodeSurrogateEscape(whole.subarray(1, 5))).toBe(`${esc(0xff)}Bé`);
  });

  it('lone surrogates that no byte gives are refused', () => {
    expect(() => encodeSurrogateEscape('a\ud800b')).toThrow(RangeError);
    expect(() => encodeSurrogateEscape('\udc7f')).toThrow(RangeError);
    expect(() => encodeSurrogateEscape('\udd00')).toThrow(RangeError);
    expect(encodeSurrogateEscape('\ud834\udd1e').equals(Buffer.from('𝄞'))).toBe(true);
  });

  it.skipIf(!existsSync(PYTHON))('agrees with python3 bytes.decode("utf-8", "surrogateescape") on the hand cases and 3000 random inputs', () => {
    const inputs: Buffer[] = CASES.map(([, bytes]) => bytes);
    // Random bytes biased toward UTF-8's structure: lead bytes, continuation bytes, ASCII.
    const byte = fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0x80, max: 0xbf }), fc.constantFrom(0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xf8, 0xfc, 0xff));
    inputs.push(...fc.sample(fc.array(byte, { maxLength: 24 }), { numRuns: 3000, seed: 42 }).map((a) => Buffer.from(a)));
    const script = 'import sys, json\nfor line in sys.stdin:\n    print(json.dumps(bytes.fromhex(line.strip()).decode("utf-8", "surrogateescape")))\n';
    const r = spawnSync(PYTHON, ['-c', script], { input: inputs.map((x) => `${x.toString('hex')}\n`).join(''), encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(0);
    const want = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as string);
    expect(want.length).toBe(inputs.length);
    inputs.forEach((x, i) => expect(decodeSurrogateEscape(x), x.toString('hex')).toBe(want[i]));
  });
});
