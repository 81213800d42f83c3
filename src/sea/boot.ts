/**
 * The single binary's start: finds (or makes) the per-user cache directory,
 * with the embedded package.json in place, and makes it the bundle's package
 * root: scripts/build-binary.mjs rewrites every `import.meta.url` in the
 * bundle to a path under it, so `new URL('../../package.json',
 * import.meta.url)` reads the embedded package.json.
 */
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getRawAsset } from 'node:sea';
import type { NativeBinding } from '../native/index.js';
import { loadAddon, prepareRoot, type CacheFile, type CacheRoot, type Log } from './cache.js';

/** What the build recorded (esbuild `define`): the version and content hash naming the cache directory. */
export interface SeaManifest {
  version: string;
  key: string;
}
declare const __PTOOLS_SEA_MANIFEST__: SeaManifest;

/** The SEA assets, by the name each has in the cache directory. */
type Embedded = 'package.json' | 'ptools.node';

function embedded(name: Embedded): CacheFile {
  return {
    name,
    // The raw asset is the executable's own memory (no copy); it is only read.
    bytes: () => {
      const raw = getRawAsset(name);
      return typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw as ArrayBuffer);
    },
  };
}

function debugLog(): Log | undefined {
  if (!process.env.PTOOLS_SEA_DEBUG) return undefined;
  // writeSync: the message must not be lost if the process exits right after.
  return (msg) => {
    writeSync(2, `ptools-sea: ${msg}\n`);
  };
}

let root: CacheRoot | undefined;
let failure: unknown;
let log: Log | undefined;

/** Milliseconds spent preparing the cache directory, and loading the addon (for PTOOLS_SEA_DEBUG). */
export const costs = { boot: 0, addon: 0 };

/** Prepares the cache directory and sets the bundle root; never throws. */
export function boot(): void {
  const t0 = performance.now();
  log = debugLog();
  try {
    root = prepareRoot(__PTOOLS_SEA_MANIFEST__, [embedded('package.json')], { log });
  } catch (e) {
    failure = e;
  }
  costs.boot = performance.now() - t0;
  // Without any writable directory the root names a place that does not
  // exist: `--version` then says "unknown" and the addon's error says why.
  (globalThis as { __ptoolsSeaRoot?: string }).__ptoolsSeaRoot = root?.dir ?? '/nonexistent/ptools-sea';
}

/** The embedded addon, written to and verified in the cache, then loaded (for `useBinding`). */
export function loadEmbeddedAddon(): { binding: NativeBinding; path: string } {
  if (!root) throw failure instanceof Error ? failure : new Error(`ptools: no cache directory: ${String(failure)}`);
  const t0 = performance.now();
  const r = loadAddon(root, embedded('ptools.node'), log);
  costs.addon = performance.now() - t0;
  return { binding: r.exports as NativeBinding, path: r.path };
}
