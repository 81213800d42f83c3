/** core/sessions: utmp files, pids of records, terminals' stat and stdin's terminal. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { getUtmpPath, setUtmpPath } from '../../../src/core/base/paths.js';
import { readUtmpFile, stdinTty, ttyDevicePath, ttyStat, utmpPidAlive } from '../../../src/core/system/sessions.js';
import { parseUtmp } from '../../../src/core/system/system.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = join(root, 'test', 'fixtures', 'who', 'sessions.utmp');

describe('readUtmpFile', () => {
  const saved = getUtmpPath();
  afterEach(() => setUtmpPath(saved));
  const dir = mkdtempSync('/tmp/ptools-sessions-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads any utmp-format file; the default is the configured utmp', () => {
    const recs = readUtmpFile(FIXTURE);
    expect(recs).toEqual(parseUtmp(readFileSync(FIXTURE)));
    expect(recs.length).toBe(readFileSync(FIXTURE).length / 384);
    setUtmpPath(FIXTURE);
    expect(readUtmpFile()).toEqual(recs);
  });
  it('a missing file, a directory or an unreadable path has no records (as getutent gives none)', () => {
    expect(readUtmpFile(join(dir, 'missing'))).toEqual([]);
    expect(readUtmpFile(dir)).toEqual([]);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect(readUtmpFile(empty)).toEqual([]);
  });
});

describe('utmpPidAlive', () => {
  it('true for a live pid and for pids <= 0 (not checked); false for an exited one', () => {
    expect(utmpPidAlive(process.pid)).toBe(true);
    expect(utmpPidAlive(1)).toBe(true);
    expect(utmpPidAlive(0)).toBe(true);
    expect(utmpPidAlive(-7)).toBe(true);
    const gone = spawnSync('true').pid!;
    // Unless the pid was handed out again at once: then kill(pid, 0) finds it, as who would.
    const reused = spawnSync('sh', ['-c', `kill -0 ${gone} 2>/dev/null`]).status === 0;
    expect(utmpPidAlive(gone)).toBe(reused);
  });
});

describe('ttyStat', () => {
  const dir = mkdtempSync('/tmp/ptools-tty-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stats /dev/<line> as stat(1) does', () => {
    const st = ttyStat('null')!;
    const [mode, uid, gid, atime] = execFileSync('stat', ['-c', '%f %u %g %X', '/dev/null'], { encoding: 'utf8' }).trim().split(' ');
    expect(st.path).toBe('/dev/null');
    expect(st.mode).toBe(parseInt(mode!, 16));
    expect([st.uid, st.gid, st.atime]).toEqual([Number(uid), Number(gid), Number(atime)]);
    expect(st.groupWritable).toBe((st.mode & 0o020) !== 0);
  });
  it('absolute lines are used as they are; atime and group-write come from the file', () => {
    const f = join(dir, 't');
    writeFileSync(f, '');
    chmodSync(f, 0o620);
    utimesSync(f, 1234567890, 1234567890);
    expect(ttyDevicePath(f)).toBe(f);
    expect(ttyDevicePath('pts/3')).toBe('/dev/pts/3');
    expect(ttyStat(f)).toMatchObject({ path: f, atime: 1234567890, groupWritable: true });
    chmodSync(f, 0o600);
    expect(ttyStat(f)!.groupWritable).toBe(false);
  });
  it('null when the terminal cannot be statted', () => {
    expect(ttyStat('pts/99999')).toBeNull();
    expect(ttyStat(join(dir, 'nope'))).toBeNull();
  });
});

describe('stdinTty', () => {
  it('null when stdin is not a terminal (as here, under vitest)', () => {
    // The test runner's stdin is a pipe or /dev/null, never a terminal.
    expect(spawnSync('tty', { stdio: ['inherit', 'pipe', 'pipe'] }).status).not.toBe(0);
    expect(stdinTty()).toBeNull();
  });

  const compiled = existsSync(join(root, 'dist', 'core', 'sessions.js'));
  (compiled && existsSync('/usr/bin/python3') ? it : it.skip)(
    `on a pseudo-terminal: the name tty(1) prints, without /dev/${compiled ? '' : ' [SKIPPED: needs a compiled dist/]'}`,
    async () => {
      const py = `
import json, os, pty, subprocess, sys
m, s = pty.openpty()
a = subprocess.run(["tty"], stdin=s, capture_output=True, text=True).stdout.strip()
b = subprocess.run([sys.argv[1], "-e", "import(process.argv[1]).then(m => console.log(JSON.stringify(m.stdinTty())))", sys.argv[2]], stdin=s, capture_output=True, text=True)
print(json.dumps([a, b.stdout.strip(), b.stderr]))
`;
      const out = await new Promise<string>((resolve, reject) => {
        const c = spawn('/usr/bin/python3', ['-c', py, process.execPath, join(root, 'dist', 'core', 'sessions.js')]);
        let text = '';
        c.stdout.on('data', (d) => (text += d));
        c.on('error', reject);
        c.on('close', () => resolve(text));
      });
      const [ttyName, ours, err] = JSON.parse(out) as [string, string, string];
      expect(err).toBe('');
      expect(ttyName).toMatch(/^\/dev\/pts\/\d+$/);
      expect(JSON.parse(ours)).toBe(ttyName.slice('/dev/'.length));
    },
  );
});
