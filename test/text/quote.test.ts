/**
 * text/quote: gnulib's quote (locale style) and quotef/quoteaf (shell-escape
 * style), by hand and against the namesakes that print them (coreutils nice
 * and df), in the C locale and in C.UTF-8.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setLocalePath } from '../../src/core/base/paths.js';
import { quote, quoteaf, quotef } from '../../src/text/quote.js';
import { describeCommand } from '../helpers/oracle.js';

describe('quote (locale style)', () => {
  it("'x' in the C locale with backslash escapes, ‘x’ in UTF-8", () => {
    expect(quote('foo')).toBe("'foo'");
    expect(quote("it's")).toBe("'it\\'s'");
    expect(quote("a'b")).toBe("'a\\'b'");
    expect(quote('a\nb\tc\\')).toBe("'a\\nb\\tc\\\\'");
    expect(quote('caf\u00e9')).toBe("'caf\\303\\251'");
    expect(quote('é')).toBe("'\\303\\251'");
    expect(quote('\u0001')).toBe("'\\001'");
    expect(quote('')).toBe("''");
    const utf8 = { LANG: 'C.UTF-8' };
    expect(quote("it's", utf8)).toBe('\u2018it\'s\u2019');
    expect(quote('caf\u00e9', utf8)).toBe('\u2018caf\u00e9\u2019');
    expect(quote('foo', { LC_ALL: 'C.UTF-8' })).toBe('\u2018foo\u2019');
    expect(quote('a\\b\t\x01', utf8)).toBe('\u2018a\\\\b\\t\\001\u2019');
    expect(quote('a\u2019b', utf8)).toBe('\u2018a\\\u2019b\u2019');
    expect(quote('a\nb', { LC_ALL: 'C', LANG: 'C.UTF-8' })).toBe("'a\\nb'");
  });

  it('a byte that is not UTF-8 (a surrogate escape) is that byte in octal, in either locale', () => {
    expect(quote('a\udcffb')).toBe("'a\\377b'");
    expect(quote('a\udcffb', { LC_ALL: 'C.UTF-8' })).toBe('\u2018a\\377b\u2019');
  });
});

describe('quotef / quoteaf (shell-escape style)', () => {
  it('quotef: plain names as they are, shell-escaped otherwise (colons too)', () => {
    expect(quotef('/tmp/x')).toBe('/tmp/x');
    expect(quotef('a@b]c_%+,')).toBe('a@b]c_%+,');
    expect(quotef('')).toBe("''");
    expect(quotef('a b')).toBe("'a b'");
    expect(quotef('a:b')).toBe("'a:b'");
    expect(quotef('~x')).toBe("'~x'");
    expect(quotef('x~')).toBe('x~');
    expect(quotef('$x')).toBe("'$x'");
    expect(quotef("it's")).toBe('"it\'s"');
    expect(quotef("it's $x")).toBe("'it'\\''s $x'");
    expect(quotef('x\ny')).toBe("'x'$'\\n''y'");
    expect(quotef('x\n')).toBe("'x'$'\\n'");
    expect(quotef('é')).toBe("''$'\\303\\251'");
    expect(quotef('é', { LC_ALL: 'C.UTF-8' })).toBe('é');
    expect(quotef('a\udcffb', { LC_ALL: 'C.UTF-8' })).toBe("'a'$'\\377''b'");
    expect(quoteaf('x')).toBe("'x'");
  });
});

describe('the locale is what setlocale would pick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptools-quote-locale-'));
  afterAll(() => {
    setLocalePath('/usr/lib/locale');
    rmSync(dir, { recursive: true, force: true });
  });

  it('an installed UTF-8 locale quotes in UTF-8; one that is not installed leaves the C locale', () => {
    mkdirSync(join(dir, 'en_US.utf8'));
    writeFileSync(join(dir, 'en_US.utf8', 'LC_CTYPE'), '');
    setLocalePath(dir);
    expect(quotef('é', { LANG: 'en_US.UTF-8' })).toBe('é');
    expect(quote("a'b", { LANG: 'en_US.utf8' })).toBe("\u2018a'b\u2019");
    expect(quotef('é', { LANG: 'xx_YY.UTF-8' })).toBe("''$'\\303\\251'");
    expect(quote("a'b", { LANG: 'xx_YY.UTF-8' })).toBe("'a\\'b'");
    setLocalePath('/usr/lib/locale');
  });
});

/** Names that probe each rule: escapes, quotes, C1 controls, format and private-use characters, separators, unassigned code points. */
const SAMPLES = ['a', "it's", 'a\\b', 'a\nb', '\x01', '\x7f', 'é', '\u0085', '\u00a0', '\u00ad', '\u200b', '\ue000', '\ufffd', '\u0378', '\u2028', '\u2029', '日本', '‘x’', 'a’b', '\u{1f600}', 'a b', '', '#x', 'a:b', 'x$y', "a'b c", '\u0300', '\u{e0001}', '\u{10ffff}', '\u00ff', '\ufeff'];
const LOCALES = ['C', 'C.UTF-8'];

describeCommand('nice', 'quote vs coreutils nice (invalid adjustment ‘x’)', () => {
  it.each(LOCALES)('LC_ALL=%s', (LC_ALL) => {
    const env = { LC_ALL, PATH: process.env.PATH };
    for (const s of SAMPLES) {
      const real = spawnSync('nice', ['-n', s, 'true'], { env, encoding: 'utf8' }).stderr.split('\n')[0]!;
      expect(`nice: invalid adjustment ${quote(s, env)}`, JSON.stringify(s)).toBe(real);
    }
  });
});

describeCommand('df', 'quote and quotef vs coreutils df', () => {
  it.each(LOCALES)('LC_ALL=%s: unknown --output fields (quote) and missing files (quotef)', (LC_ALL) => {
    const env = { LC_ALL, PATH: process.env.PATH };
    for (const s of SAMPLES) {
      if (s === '') continue; // df '' says "cannot access ''" (quoteaf), probed below
      const field = spawnSync('df', [`--output=${s}`], { env, encoding: 'utf8' }).stderr.split('\n')[0]!;
      expect(`df: option --output: field ${quote(s, env)} unknown`, JSON.stringify(s)).toBe(field);
      const file = spawnSync('df', ['--', `${s}-nonexistent`], { env, encoding: 'utf8' }).stderr.split('\n')[0]!;
      expect(`df: ${quotef(`${s}-nonexistent`, env)}: No such file or directory`, JSON.stringify(s)).toBe(file);
    }
  });

  it('a UTF-8 locale that is not installed: df stays in the C locale, and so do we', () => {
    const env = { LANG: 'xx_YY.UTF-8', PATH: process.env.PATH };
    for (const s of ['é', "a'b", '日本']) {
      const field = spawnSync('df', [`--output=${s}`], { env, encoding: 'utf8' }).stderr.split('\n')[0]!;
      expect(`df: option --output: field ${quote(s, env)} unknown`).toBe(field);
      const file = spawnSync('df', ['--', `${s}-nonexistent`], { env, encoding: 'utf8' }).stderr.split('\n')[0]!;
      expect(`df: ${quotef(`${s}-nonexistent`, env)}: No such file or directory`).toBe(file);
    }
  });
});
