/**
 * Import cost (scripts/module-count.mjs): each run loads only the modules it
 * uses. A command loads its own folder and the library modules it reads,
 * never another command, the library's index (which loads all of it) or a
 * dependency it does not need; the library's own import loads no command,
 * no CLI and no text emulation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without declarations
import { measure } from '../../scripts/module-count.mjs';

type Measured = { case: string; count: number; modules: string[]; packages: string[] };
const ROOT = join(import.meta.dirname, '..', '..');
const built = existsSync(join(ROOT, 'dist', 'cli', 'main.js'));

const commandsOf = (m: Measured) => [...new Set(m.modules.filter((x) => x.startsWith('commands/')).map((x) => x.split('/')[1]))];

describe.skipIf(!built && !process.env.CI)('modules loaded per run', () => {
  it('pps aux: ps and what it reads, nothing else', () => {
    const m = measure('pps aux') as Measured;
    console.log(`pps aux: ${m.count} modules`);
    expect(commandsOf(m)).toEqual(['ps']);
    expect(m.modules).not.toContain('core/index.js');
    expect(m.modules.filter((x) => x.startsWith('core/net/') || x.startsWith('core/sample/'))).toEqual([]);
    expect(m.packages).toEqual([]);
  });

  it('ptools free: free and the memory readers, nothing else', () => {
    const m = measure('ptools free') as Measured;
    console.log(`ptools free: ${m.count} modules`);
    expect(commandsOf(m)).toEqual(['free']);
    expect(m.modules).not.toContain('core/index.js');
    expect(m.modules.filter((x) => /^core\/(process|net|procfs\/pid|sample)/.test(x))).toEqual([]);
    expect(m.packages).toEqual([]);
  });

  it("import 'ptools' and 'ptools/promises': the library alone", () => {
    for (const name of ["import 'ptools'", "import 'ptools/promises'"]) {
      const m = measure(name) as Measured;
      console.log(`${name}: ${m.count} modules`);
      expect(m.modules.filter((x) => /^(cli|commands|text|sea)\//.test(x)), name).toEqual([]);
      expect(m.packages, name).toEqual([]);
    }
  });
});
