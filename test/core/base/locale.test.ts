/** core/locale: setlocale(LC_ALL, "") emulation, vs python's locale module (the same glibc call). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { effectiveLocale, hardLocale, localeAvailable, normalizeCodeset, utf8Locale } from '../../../src/core/base/locale.js';
import { setLocalePath } from '../../../src/core/base/paths.js';
import { PYTHON } from '../../helpers/oracle.js';

describe('localeAvailable and normalizeCodeset', () => {
  it("normalises codesets as glibc's _nl_normalize_codeset", () => {
    expect(normalizeCodeset('UTF-8')).toBe('utf8');
    expect(normalizeCodeset('ISO-8859-1')).toBe('iso88591');
    expect(normalizeCodeset('8859-1')).toBe('iso88591');
  });
  it('C and POSIX always; C.UTF-8 through the C.utf8 directory; unknown names and paths not', () => {
    expect(localeAvailable('C')).toBe(true);
    expect(localeAvailable('POSIX')).toBe(true);
    expect(localeAvailable('C.UTF-8')).toBe(true);
    expect(localeAvailable('C.utf8')).toBe(true);
    expect(localeAvailable('xx_YY.UTF-8')).toBe(false);
    expect(localeAvailable('')).toBe(false);
    expect(localeAvailable('../../etc')).toBe(false);
  });

  const dir = mkdtempSync(join(tmpdir(), 'ptools-locale-'));
  afterAll(() => {
    setLocalePath('/usr/lib/locale');
    rmSync(dir, { recursive: true, force: true });
  });
  it('finds a locale in a directory of its own or in the locale archive', () => {
    mkdirSync(join(dir, 'de_DE.utf8'));
    writeFileSync(join(dir, 'de_DE.utf8', 'LC_CTYPE'), '');
    writeFileSync(join(dir, 'locale-archive'), Buffer.from('\x00junk\x00fr_FR.utf8\x00more\x00'));
    setLocalePath(dir);
    expect(localeAvailable('de_DE.UTF-8')).toBe(true);
    expect(localeAvailable('fr_FR.UTF-8')).toBe(true);
    expect(localeAvailable('fr_FR.utf8')).toBe(true);
    expect(localeAvailable('es_ES.UTF-8')).toBe(false);
    setLocalePath('/usr/lib/locale');
  });
});

describe('effectiveLocale: precedence and all-or-nothing', () => {
  it('LC_ALL over LC_<CAT> over LANG; an unknown locale anywhere leaves everything C', () => {
    expect(effectiveLocale({}).LC_TIME).toBe('C');
    expect(effectiveLocale({ LANG: 'C.UTF-8' }).LC_TIME).toBe('C.UTF-8');
    expect(effectiveLocale({ LANG: 'C.UTF-8', LC_TIME: 'POSIX' }).LC_TIME).toBe('C'); // glibc's name for POSIX
    expect(effectiveLocale({ LC_ALL: 'C', LC_TIME: 'C.UTF-8' }).LC_TIME).toBe('C');
    expect(effectiveLocale({ LANG: 'C.UTF-8', LC_NUMERIC: 'xx_YY' }).LC_CTYPE).toBe('C');
    expect(hardLocale({ LANG: 'C.UTF-8' }, 'LC_TIME')).toBe(true);
    expect(hardLocale({ LC_ALL: 'POSIX' }, 'LC_TIME')).toBe(false);
    expect(utf8Locale({ LANG: 'C.UTF-8' })).toBe(true);
    expect(utf8Locale({ LANG: 'C' })).toBe(false);
  });

  it("matches python's setlocale(LC_ALL, '') (glibc) for each environment", () => {
    // PYTHONCOERCECLOCALE=0: python would otherwise switch a C LC_CTYPE to C.UTF-8 (PEP 538).
    const envs: Record<string, string>[] = [
      {},
      { LANG: 'C.UTF-8' },
      { LANG: 'C.utf8', LC_TIME: 'C' },
      { LC_ALL: 'POSIX' },
      { LANG: 'xx_YY.UTF-8' },
      { LANG: 'C.UTF-8', LC_MESSAGES: 'nope' },
      { LC_CTYPE: 'C.UTF-8' },
      { LC_ALL: 'C.UTF-8', LANG: 'nope' },
    ];
    for (const env of envs) {
      const out = execFileSync(
        PYTHON,
        ['-c', 'import locale, json\ntry:\n    locale.setlocale(locale.LC_ALL, "")\nexcept locale.Error:\n    pass\nprint(json.dumps([locale.setlocale(locale.LC_TIME), locale.setlocale(locale.LC_CTYPE)]))'],
        { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', PYTHONCOERCECLOCALE: '0', PYTHONUTF8: '0', ...env } },
      );
      // Only LC_TIME is compared: python itself sets LC_CTYPE from the
      // environment at startup, before (and whatever) setlocale(LC_ALL) does.
      // (who's quotes show the all-or-nothing rule for LC_CTYPE: who.test.ts.)
      const [time] = JSON.parse(out) as [string, string];
      expect({ env, time: effectiveLocale(env).LC_TIME }).toEqual({ env, time });
    }
  });
});
