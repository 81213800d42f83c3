/**
 * ptools' version, from package.json (next to dist/ in the package, next to
 * the bundle's root in the single binary). Its own module so that commands
 * can print it without importing the program that loads them.
 */
import { readFileSync } from 'node:fs';

/** The package version ("0.1.0"), or "unknown" when package.json cannot be read. */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}
