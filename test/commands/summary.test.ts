/** `ptools` with no command: the system summary, from the core API, laid out with cli-table3. */
import { describe, expect, it } from 'vitest';
import { collect, render } from '../../src/commands/summary/index.js';
import * as core from '../../src/index.js';

describe('summary', () => {
  it('collects from the core API', () => {
    const s = collect();
    expect(s.bootTime).toBe(core.bootTime());
    expect(s.cpuLogical).toBe(core.cpuCount());
    expect(s.memory.total).toBe(core.virtualMemory().total);
    expect(s.interfaces.map((i) => i.name)).toEqual(Object.keys(core.netIfAddrs()).sort());
    expect(s.uptime).toBeGreaterThan(0);
    expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it('renders one line per fact and per interface, in aligned columns', () => {
    const s = collect(1_800_000_000);
    const fixed = { ...s, bootTime: 1_800_000_000 - 93_780, uptime: 93_780, users: 1, cpuLogical: 2, cpuPhysical: 1, cpuPercent: 12.34, loadavg: [0.5, 0.25, 0] as [number, number, number] };
    const text = render({
      ...fixed,
      memory: { ...s.memory, total: 8 * 2 ** 30, used: 2 * 2 ** 30, available: 6 * 2 ** 30, percent: 25 },
      swap: { ...s.swap, total: 0 },
      root: { total: 100 * 2 ** 30, used: 40 * 2 ** 30, free: 60 * 2 ** 30, percent: 40 },
      interfaces: [{ name: 'lo', isup: true, addresses: ['127.0.0.1', '::1'] }, { name: 'eth9', isup: false, addresses: [] }],
    });
    expect(text).toBe(
      [
        'booted   2027-01-14T05:57:00.000Z (up 1 day, 02:03), 1 user',
        'cpu      2 logical, 1 physical, 12.3% busy, load 0.50 0.25 0.00',
        'memory   2.0GiB used of 8.0GiB (25%), 6.0GiB available',
        'swap     none',
        'disk /   40.0GiB used of 100.0GiB (40%), 60.0GiB free',
        'net      lo   up   127.0.0.1 ::1',
        'net      eth9 down',
        '',
      ].join('\n'),
    );
    // No interfaces: the facts alone.
    expect(render({ ...s, interfaces: [] }).split('\n').filter((l) => l.startsWith('net'))).toEqual([]);
  });
});
