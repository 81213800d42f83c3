/**
 * ps's option tables (parser.ts UNIX_OPTIONS, BSD_OPTIONS, GNU_OPTIONS: what
 * completion offers) agree with what its parser accepts: a sweep over every
 * letter, and every listed long name.
 */
import { describe, expect, it } from 'vitest';
import { BSD_OPTIONS, GNU_OPTIONS, parseArgs, ParseExit, ParseFailure, UNIX_OPTIONS } from '../../src/commands/ps/parser.js';

const PE = { env: { LC_ALL: 'C' }, columns: 80, rows: 24, isTTY: false, cachedTty: 0, cachedEuid: 0 };

/** The parser's verdict: 'ok' (parsed, or help/version/list), else the failure's message. */
function verdict(argv: string[]): string {
  try {
    parseArgs(argv, PE);
    return 'ok';
  } catch (e) {
    if (e instanceof ParseExit) return 'ok';
    if (e instanceof ParseFailure) return e.message;
    throw e;
  }
}

/** An argument each option with a value accepts. */
function valueFor(letter: string): string {
  return letter === 'o' || letter === 'O' ? 'pid' : letter === 't' ? 'pts/0' : letter === 'C' ? 'init' : ['G', 'U', 'u', 'g'].includes(letter) ? '0' : '1';
}

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];

describe("ps's option tables match its parser", () => {
  it('UNIX options: every listed letter is accepted (with its value), every other one is unsupported', () => {
    const listed = new Map<string, boolean>();
    for (let i = 0; i < UNIX_OPTIONS.length; i++) {
      const takes = UNIX_OPTIONS[i + 1] === ':';
      listed.set(UNIX_OPTIONS[i]!, takes);
      if (takes) i++;
    }
    for (const c of LETTERS) {
      // (A listed letter may still refuse this machine's value, as -t pts/0 without that terminal: known, not unsupported.)
      if (listed.has(c)) expect(verdict(listed.get(c) ? [`-${c}`, valueFor(c)] : [`-${c}`]), `-${c}`).not.toMatch(/unsupported|obsolete/);
      // A BSD letter is taken on the second chance (ps -aux; -x too, which as a UNIX option needs a personality);
      // the rest are unknown to procps.
      else if (!BSD_OPTIONS.includes(c)) expect(verdict([`-${c}`]), `-${c}`).not.toBe('ok');
    }
  });

  it('BSD options: every listed letter is accepted, every other one is unsupported', () => {
    // (t takes an optional terminal: alone, it is ps's own.)
    const takes = new Set(['O', 'k', 'o', 'p', 'q', 'U']);
    for (const c of LETTERS) {
      const v = verdict(takes.has(c) ? [c, valueFor(c === 'k' ? 'o' : c)] : [c]);
      if (BSD_OPTIONS.includes(c)) expect(v, c).not.toMatch(/unsupported|obsolete/);
      else expect(v, c).not.toBe('ok');
    }
  });

  it('GNU long options: every listed name is known to the parser; others are not', () => {
    for (const o of GNU_OPTIONS) {
      const v = verdict(o.has === 'required' ? [`--${o.name}`, o.name === 'format' || o.name === 'sort' ? 'pid' : o.name.match(/user|group|Group|User/i) ? '0' : o.name === 'tty' ? 'pts/0' : '1'] : [`--${o.name}`]);
      expect(v, `--${o.name}`).not.toBe('unknown gnu long option');
    }
    expect(verdict(['--frobnicate'])).toBe('unknown gnu long option');
  });
});
