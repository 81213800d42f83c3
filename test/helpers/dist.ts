/** Whether dist/ holds a compile of every source file at least as new as it (the launchers under bin/ run dist/). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function distFresh(root: string = REPO): boolean {
  const src = join(root, 'src');
  return sources(src).every((s) => {
    const out = join(root, 'dist', relative(src, s)).replace(/\.ts$/, '.js');
    return existsSync(out) && statSync(out).mtimeMs >= statSync(s).mtimeMs;
  });
}
