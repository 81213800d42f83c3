/**
 * core/procfs/net-dev: the one reader of /proc/net/dev. psutil's view of its
 * records is tested in test/core/net/net.test.ts, net-tools' in netif.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/core/base/errors.js';
import { parseNetDev, readNetDev } from '../../../src/core/procfs/net-dev.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { fuzzParser } from '../../helpers/fuzz.js';

// /proc/net/dev captures: test/fixtures/proc/<case>/net/dev.
const fixture = (c: string): string => readFileSync(fixturePath('proc', c, 'net', 'dev'), 'utf8');

describe('parseNetDev: every counter (the records ifconfig and netstat -i print)', () => {
  it('reads all sixteen counters of the net/dev captured here, in file order', () => {
    const d = parseNetDev(fixture('netdev-captured'));
    expect(d.map((x) => x.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
    const lo = d[0]!.counters;
    expect(lo.rxBytes).toBe(31173);
    expect(lo.rxPackets).toBe(486);
    expect(lo.txBytes).toBe(31173);
    expect(Object.keys(lo)).toHaveLength(16);
  });
  it('maps each column to its counter (hand-made: a wide first number glued to the colon, extra fields)', () => {
    const d = parseNetDev(fixture('netdev-edge'));
    expect(d.map((x) => x.name)).toEqual(['lo', 'eth10', 'wg0']);
    expect(d[1]!.counters).toEqual({
      rxBytes: 18446744073709551, rxPackets: 99, rxErrors: 1, rxDropped: 2, rxFifo: 3, rxFrame: 4, rxCompressed: 5, rxMulticast: 6,
      txBytes: 7, txPackets: 8, txErrors: 9, txDropped: 10, txFifo: 11, txCollisions: 12, txCarrier: 13, txCompressed: 14,
    });
  });
  it('rejects short lines and non-numbers with ParseError', () => {
    expect(() => parseNetDev('  lo: 1 2 3\n')).toThrow(ParseError);
    expect(() => parseNetDev(`  lo: ${'x '.repeat(16)}\n`)).toThrow(ParseError);
    expect(() => parseNetDev('garbage\n')).toThrow(ParseError);
  });
  it('survives fuzzing', () => {
    fuzzParser(parseNetDev, [fixture('netdev-captured'), fixture('netdev-edge'), fixture('netdev-netns')]);
  });
});

describe('readNetDev', () => {
  it('reads this machine\'s file: the same records as parsing it', () => {
    const live = readNetDev();
    expect(live.map((e) => e.name)).toEqual(parseNetDev(readFileSync('/proc/net/dev', 'utf8')).map((e) => e.name));
    expect(live.some((e) => e.name === 'lo')).toBe(true);
  });
});
