/**
 * Imported first by the single binary's entry (main.ts): the cache directory
 * is the bundle's package root, so it is set before any other module of the
 * bundle evaluates its `import.meta.url`.
 */
import { boot } from './boot.js';

boot();
