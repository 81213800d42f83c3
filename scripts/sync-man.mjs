#!/usr/bin/env node
/**
 * Rewrites package.json's `man` field to list exactly the man pages in man/
 * (npm installs the pages it lists). Run after adding a page; the package
 * test (test/dist/package.test.ts) fails while the list is stale.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'package.json');
const pkg = JSON.parse(readFileSync(file, 'utf8'));
const pages = readdirSync(join(root, 'man')).filter((f) => f.endsWith(".1")).sort().map((f) => `./man/${f}`);
if (JSON.stringify(pkg.man) !== JSON.stringify(pages)) {
  pkg.man = pages;
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log(`package.json man: ${pages.join(', ')}`);
}
