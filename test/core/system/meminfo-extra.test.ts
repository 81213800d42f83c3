/** core/meminfo-extra: low/high memory and commit accounting, on fixtures and on this machine vs free. */
import { fixturePath } from '../../helpers/fixtures.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getProcfsPath, setProcfsPath } from '../../../src/core/base/paths.js';
import { memoryDetails, memoryDetailsFrom } from '../../../src/core/system/meminfo-extra.js';
import { parseMeminfo } from '../../../src/core/procfs/meminfo.js';
import { fuzzParser } from '../../helpers/fuzz.js';
import { describeCommand, sh } from '../../helpers/oracle.js';

const FIX = fixturePath('meminfo-extra');
const text = (name: string): string => readFileSync(join(FIX, name, 'meminfo'), 'utf8');
const KiB = 1024;

describe('memoryDetailsFrom', () => {
  it('a 32-bit HIGHMEM kernel: low and high memory, overcommitted', () => {
    expect(memoryDetailsFrom(parseMeminfo(text('highmem')))).toEqual({
      lowTotal: 878948 * KiB,
      lowFree: 125608 * KiB,
      highTotal: 2227208 * KiB,
      highFree: 22512 * KiB,
      commitLimit: 3650224 * KiB,
      committedAs: 5123456 * KiB,
    });
  });
  it('a 64-bit kernel (this machine): no low/high lines → null', () => {
    const d = memoryDetailsFrom(parseMeminfo(text('machine')));
    expect([d.lowTotal, d.lowFree, d.highTotal, d.highFree]).toEqual([null, null, null, null]);
    expect(d.commitLimit).toBe(12342048 * KiB);
    expect(d.committedAs).toBeGreaterThan(0);
  });
  it('numbers beyond 2^32 KiB stay exact', () => {
    const d = memoryDetailsFrom(parseMeminfo(text('huge')));
    expect([d.commitLimit, d.committedAs]).toEqual([999 * KiB, 1023 * KiB]);
    expect(parseMeminfo(text('huge'))['MemTotal']).toBe(5497558138880 * KiB);
  });
  it('survives fuzzing (with the meminfo parser in front)', () => {
    fuzzParser((t) => memoryDetailsFrom(parseMeminfo(t)), [text('highmem'), text('machine'), text('huge')]);
  });
});

describe('memoryDetails() on a fixture tree', () => {
  const saved = getProcfsPath();
  afterEach(() => setProcfsPath(saved));
  it('reads meminfo under the configured procfs root', () => {
    setProcfsPath(join(FIX, 'highmem'));
    expect(memoryDetails().highTotal).toBe(2227208 * KiB);
  });
});

describeCommand('free', 'memoryDetails() vs free -b -v', () => {
  it("CommitLimit equals free's Comm total; Committed_AS within 64 MiB of its used", () => {
    const before = sh('free', ['-b', '-v']).split('\n').find((l) => l.startsWith('Comm:'))!.trim().split(/\s+/).map(Number);
    const d = memoryDetails();
    const after = sh('free', ['-b', '-v']).split('\n').find((l) => l.startsWith('Comm:'))!.trim().split(/\s+/).map(Number);
    // CommitLimit moves only when swap or the overcommit settings change: exact.
    expect(d.commitLimit).toBe(before[1]);
    // Committed_AS moves with every allocation on the machine; free ran just
    // before and after, so ours lies between them give or take 64 MiB (other
    // processes starting or exiting in between, free itself).
    const lo = Math.min(before[2]!, after[2]!) - 64 * 1024 * 1024;
    const hi = Math.max(before[2]!, after[2]!) + 64 * 1024 * 1024;
    expect(d.committedAs!).toBeGreaterThanOrEqual(lo);
    expect(d.committedAs!).toBeLessThanOrEqual(hi);
  });
});
