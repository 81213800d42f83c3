#!/usr/bin/env node
/**
 * The CommonJS build of the library, for `require('ptools')` and
 * `require('ptools/promises')` (the `require` condition of package.json's
 * exports). Run after tsc (`npm run compile` does both).
 *
 * One bundle, dist/cjs/ptools.cjs, holds the library once; index.cjs and
 * promises.cjs are views of it, so `require('ptools').setProcfsPath()` also
 * steers `require('ptools/promises')`, as the ESM entry points share their
 * modules. Dependencies stay external (plain `require`). Each module's
 * `import.meta.url` becomes the URL of its ESM twin in dist/, so the addon
 * loader finds the package root and the promises side finds its worker
 * (dist/core/async/worker.js, which runs the ESM library on its own thread).
 *
 * A program that loads both the ESM and the CJS entry points gets two copies
 * of the library (Node's dual-package hazard): error classes from one are not
 * `instanceof` the other's, and path settings are per copy.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'cjs');
const posix = (p) => p.split(sep).join('/');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const importMeta = {
  name: 'ptools-import-meta-cjs',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      // The helpers come from the banner: a module may shadow `require` (esbuild then renames it).
      const r = posix(relative(out, args.path));
      return {
        contents: text
          .replaceAll('import.meta.url', `__ptoolsMetaUrl(${JSON.stringify(r)})`)
          .replaceAll('import.meta.filename', `__ptoolsMetaPath(${JSON.stringify(r)})`)
          .replaceAll('import.meta.dirname', `__ptoolsMetaPath(${JSON.stringify(posix(dirname(r)))})`),
        loader: 'js',
      };
    });
  },
};

await build({
  stdin: {
    contents: "export * as sync from './index.js';\nexport * as promises from './promises.js';\n",
    resolveDir: dist,
    sourcefile: 'cjs-entry.js',
    loader: 'js',
  },
  outfile: join(out, 'ptools.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  plugins: [importMeta],
  banner: {
    js: [
      '// ptools, CommonJS build (scripts/build-cjs.mjs): the ESM library in dist/ bundled once.',
      'var __ptoolsMetaPath = (rel) => require("node:path").join(__dirname, rel);',
      'var __ptoolsMetaUrl = (rel) => require("node:url").pathToFileURL(__ptoolsMetaPath(rel)).href;',
    ].join('\n'),
  },
  legalComments: 'none',
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'error' },
});

for (const [name, view] of [['index', 'sync'], ['promises', 'promises']]) {
  writeFileSync(join(out, `${name}.cjs`), `'use strict';\nmodule.exports = require('./ptools.cjs').${view};\n`);
  // Types for CommonJS consumers: the same declarations as the ESM entry.
  const dts = readFileSync(join(dist, `${name}.d.ts`), 'utf8').length > 0 ? `export * from '../${name}.js';\n` : '';
  writeFileSync(join(out, `${name}.d.cts`), dts);
}
