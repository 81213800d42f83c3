/**
 * The single binary's addon cache (src/sea/cache.ts), as a library: whatever
 * sits at a cached file's name — a FIFO, a socket, a device, a directory, a
 * symlink — is refused without blocking and replaced by a regular file.
 * (test/dist/binary.test.ts runs the binary itself against the same cases.)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureFile, openVerified } from '../../src/sea/cache.js';

const isRoot = process.geteuid?.() === 0;
const want = Buffer.from('the embedded bytes\n'.repeat(100));
const file = { name: 'ptools.node', bytes: () => want };

let dir: string;
let n = 0;
/** A fresh 0700 cache directory per test. */
function freshDir(): string {
  const d = join(dir, `d${n++}`);
  mkdirSync(d, { mode: 0o700 });
  return d;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ptools-sea-cache-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A FIFO's open for reading blocks until a writer comes. If openVerified ever
// opened one again, the test would hang inside a synchronous call that no
// vitest timeout can interrupt; so each FIFO test starts a writer of its own
// that opens the FIFO (through a second name: a hard link, so the replaced
// name is never written) after a few seconds, which releases a blocked
// reader. The test then fails on the time taken instead of hanging.
const RELEASE_AFTER_S = 5;
const writers: ChildProcess[] = [];
function releaseLater(fifo: string): void {
  const alias = `${fifo}.alias`;
  linkSync(fifo, alias);
  const w = spawn('/bin/sh', ['-c', `sleep ${RELEASE_AFTER_S}; exec 3>"$1"`, 'sh', alias], { stdio: 'ignore' });
  writers.push(w);
}
afterEach(() => {
  // Only the writers this file started, by pid; a writer blocked in its open is killed.
  for (const w of writers.splice(0)) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
});

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', ['-m', '600', path]);
  if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr}`);
}

function listen(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(path, () => resolve(s));
  });
}

/** The time a synchronous call takes, in ms. */
function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

describe('openVerified', () => {
  it('a regular file of ours with the right bytes: a descriptor', () => {
    const d = freshDir();
    writeFileSync(join(d, 'ptools.node'), want, { mode: 0o600 });
    const r = openVerified(join(d, 'ptools.node'), want);
    expect('fd' in r).toBe(true);
    if ('fd' in r) closeSync(r.fd);
  });

  it('a FIFO is refused at once, without waiting for a writer', () => {
    const d = freshDir();
    const p = join(d, 'ptools.node');
    mkfifo(p);
    releaseLater(p);
    const [r, ms] = timed(() => openVerified(p, want));
    expect(r).toEqual({ reason: `${p} is a FIFO, not a regular file` });
    expect(ms).toBeLessThan(RELEASE_AFTER_S * 1000);
  });

  it('a listening socket, a directory, a symlink and a missing file are refused', async () => {
    const d = freshDir();
    const sock = join(d, 'sock');
    const server = await listen(sock);
    try {
      expect(openVerified(sock, want)).toEqual({ reason: `${sock} is a socket, not a regular file` });
    } finally {
      await new Promise((r) => server.close(r));
    }
    mkdirSync(join(d, 'dir'));
    expect(openVerified(join(d, 'dir'), want)).toEqual({ reason: `${join(d, 'dir')} is a directory, not a regular file` });
    writeFileSync(join(d, 'target'), want, { mode: 0o600 });
    symlinkSync(join(d, 'target'), join(d, 'link'));
    expect(openVerified(join(d, 'link'), want)).toEqual({ reason: `${join(d, 'link')} is a symbolic link, not a regular file` });
    expect(openVerified(join(d, 'missing'), want)).toMatchObject({ reason: expect.stringMatching(/ENOENT/) as unknown });
  });

  (isRoot ? it : it.skip)(`a character device (a copy of /dev/null) is refused without being opened${isRoot ? '' : ' [SKIPPED: needs root for mknod]'}`, () => {
    const d = freshDir();
    const p = join(d, 'ptools.node');
    const r = spawnSync('mknod', ['-m', '600', p, 'c', '1', '3']);
    expect(r.status, String(r.stderr)).toBe(0);
    expect(openVerified(p, want)).toEqual({ reason: `${p} is a character device, not a regular file` });
  });
});

describe('ensureFile replaces what is not a regular file with one', () => {
  function expectReplaced(d: string): void {
    const st = lstatSync(join(d, 'ptools.node'));
    expect(st.isFile()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    expect(readFileSync(join(d, 'ptools.node')).equals(want)).toBe(true);
  }

  it('a FIFO: replaced at once, and the descriptor is the new regular file', () => {
    const d = freshDir();
    const p = join(d, 'ptools.node');
    mkfifo(p);
    releaseLater(p);
    const logs: string[] = [];
    const [fd, ms] = timed(() => ensureFile(d, file, (m) => logs.push(m)));
    try {
      expect(ms).toBeLessThan(RELEASE_AFTER_S * 1000);
      expect(logs[0]).toBe(`rewriting ${p}: ${p} is a FIFO, not a regular file`);
      expectReplaced(d);
      // The FIFO itself is untouched (its other name still says FIFO).
      expect(lstatSync(`${p}.alias`).isFIFO()).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it('a socket, a symlink and an empty directory are replaced', async () => {
    const sockDir = freshDir();
    const server = await listen(join(sockDir, 'ptools.node'));
    try {
      closeSync(ensureFile(sockDir, file));
      expectReplaced(sockDir);
    } finally {
      await new Promise((r) => server.close(r));
    }
    const linkDir = freshDir();
    writeFileSync(join(linkDir, 'other'), 'not it', { mode: 0o600 });
    symlinkSync(join(linkDir, 'other'), join(linkDir, 'ptools.node'));
    closeSync(ensureFile(linkDir, file));
    expectReplaced(linkDir);
    expect(readFileSync(join(linkDir, 'other'), 'utf8')).toBe('not it'); // the target was not written through the link
    const dirDir = freshDir();
    mkdirSync(join(dirDir, 'ptools.node'));
    closeSync(ensureFile(dirDir, file));
    expectReplaced(dirDir);
  });

  it('a directory with files in it is left alone: ensureFile throws (the caller uses another directory)', () => {
    const d = freshDir();
    mkdirSync(join(d, 'ptools.node'));
    writeFileSync(join(d, 'ptools.node', 'keep'), 'x');
    expect(() => ensureFile(d, file)).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readFileSync(join(d, 'ptools.node', 'keep'), 'utf8')).toBe('x');
  });

  (isRoot ? it : it.skip)(`a character device is replaced, never opened${isRoot ? '' : ' [SKIPPED: needs root for mknod]'}`, () => {
    const d = freshDir();
    expect(spawnSync('mknod', ['-m', '600', join(d, 'ptools.node'), 'c', '1', '3']).status).toBe(0);
    closeSync(ensureFile(d, file));
    expectReplaced(d);
  });
});
