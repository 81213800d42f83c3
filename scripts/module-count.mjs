#!/usr/bin/env node
// Which of the package's own modules a run loads: the import-cost check.
// Runs each case in its own node with a resolve hook that records every
// file: URL under dist/ (and every bare package) the program resolves, and
// prints one JSON line per case: { case, count, modules, packages }.
//
// usage: node scripts/module-count.mjs [--json]
//   cases: `pps aux`, `ptools free`, `import 'ptools'`, `import 'ptools/promises'`
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

// The hook runs on the loader thread; it reports through a MessagePort.
const HOOKS = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  port.postMessage(r.url);
  return r;
}`;

const REGISTER = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { writeSync } from 'node:fs';
const seen = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (u) => seen.add(u));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => writeSync(3, JSON.stringify([...seen]) + '\\n'));
`;

export const CASES = {
  'pps aux': { argv: [join(ROOT, 'bin', 'pps'), 'aux'] },
  'ptools free': { argv: [join(ROOT, 'bin', 'ptools'), 'free'] },
  "import 'ptools'": { argv: ['--input-type=module', '-e', `await import(${JSON.stringify(join(DIST, 'index.js'))});`] },
  "import 'ptools/promises'": { argv: ['--input-type=module', '-e', `await import(${JSON.stringify(join(DIST, 'promises.js'))});`] },
};

/** Runs one case; returns the package's own modules (paths under dist/, sorted) and the bare packages it loaded. */
export function measure(name) {
  const c = CASES[name];
  const r = spawnSync(process.execPath, ['--import', 'data:text/javascript,' + encodeURIComponent(REGISTER), ...c.argv], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
    env: { ...process.env, LC_ALL: 'C' },
  });
  if (r.status !== 0) throw new Error(`${name}: status ${r.status}: ${r.stderr}`);
  // The hooks thread posts asynchronously; what arrived before exit is in the last line.
  const urls = JSON.parse(r.output[3].trim().split('\n').pop());
  const modules = urls.filter((u) => u.startsWith(`file://${DIST}/`)).map((u) => u.slice(`file://${DIST}/`.length)).sort();
  const packages = [...new Set(urls.filter((u) => u.includes('/node_modules/')).map((u) => u.replace(/.*\/node_modules\/((@[^/]+\/)?[^/]+).*/, '$1')))].sort();
  return { case: name, count: modules.length, modules, packages };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  for (const name of Object.keys(CASES)) {
    const m = measure(name);
    if (json) process.stdout.write(`${JSON.stringify(m)}\n`);
    else process.stdout.write(`${name.padEnd(26)} ${String(m.count).padStart(3)} modules  packages: ${m.packages.join(', ') || '-'}\n`);
  }
}
