/**
 * Which locale a C program would run in, given its environment: what
 * setlocale(LC_ALL, "") decides. Each category takes LC_ALL, else LC_<CAT>,
 * else LANG, else "C"; if any category names a locale that is not
 * installed, setlocale fails and the whole program stays in "C". Commands
 * need this where their namesakes' output depends on it (who's time format,
 * quotes in diagnostics).
 */
import { existsSync } from 'node:fs';
import { isErrnoError } from '../../native/index.js';
import { getLocalePath } from './paths.js';
import { readBytes } from './read.js';

const CATEGORIES = [
  'LC_CTYPE',
  'LC_NUMERIC',
  'LC_TIME',
  'LC_COLLATE',
  'LC_MONETARY',
  'LC_MESSAGES',
  'LC_PAPER',
  'LC_NAME',
  'LC_ADDRESS',
  'LC_TELEPHONE',
  'LC_MEASUREMENT',
  'LC_IDENTIFICATION',
] as const;

export type LocaleCategory = (typeof CATEGORIES)[number];


/** glibc's _nl_normalize_codeset: letters lowercased, digits kept, the rest dropped ("UTF-8" → "utf8"). */
export function normalizeCodeset(codeset: string): string {
  const alnum = codeset.replace(/[^A-Za-z0-9]/g, '');
  return /^\d+$/.test(alnum) ? `iso${alnum}` : alnum.toLowerCase();
}

/** Whether glibc can load the locale `name` ("C", "POSIX", "C.UTF-8", "de_DE.UTF-8"...). */
export function localeAvailable(name: string): boolean {
  if (name === 'C' || name === 'POSIX') return true;
  // Names with a slash are file names to glibc (only loaded from trusted paths); reject them.
  if (name === '' || name.includes('/') || name.startsWith('.')) return false;
  const m = /^([^.@]*)(?:\.([^@]*))?(@.*)?$/.exec(name);
  const localeDir = getLocalePath();
  const candidates = new Set<string>([name]);
  if (m && m[2] !== undefined) candidates.add(`${m[1]}.${normalizeCodeset(m[2])}${m[3] ?? ''}`);
  for (const c of candidates) {
    if (existsSync(`${localeDir}/${c}/LC_CTYPE`)) return true;
  }
  // The locale archive stores each name NUL-terminated in its string table.
  let archive: Buffer;
  try {
    archive = readBytes(`${localeDir}/locale-archive`);
  } catch (e) {
    if (isErrnoError(e)) return false;
    throw e;
  }
  for (const c of candidates) if (archive.includes(`\0${c}\0`)) return true;
  return false;
}

/** The locale name each category ends up with after setlocale(LC_ALL, ""). */
export function effectiveLocale(env: NodeJS.ProcessEnv): Record<LocaleCategory, string> {
  // glibc names the POSIX locale "C".
  const pick = (cat: LocaleCategory): string => {
    const name = env.LC_ALL || env[cat] || env.LANG || 'C';
    return name === 'POSIX' ? 'C' : name;
  };
  const out = {} as Record<LocaleCategory, string>;
  let ok = true;
  for (const cat of CATEGORIES) {
    out[cat] = pick(cat);
    if (!localeAvailable(out[cat])) ok = false;
  }
  if (!ok) for (const cat of CATEGORIES) out[cat] = 'C';
  return out;
}

/** gnulib's hard_locale(): the category is in a locale other than C/POSIX. */
export function hardLocale(env: NodeJS.ProcessEnv, category: LocaleCategory): boolean {
  const name = effectiveLocale(env)[category];
  return name !== 'C' && name !== 'POSIX';
}

/** Whether the LC_CTYPE locale's character set is UTF-8 (gnulib's quote() then uses ‘…’). */
export function utf8Locale(env: NodeJS.ProcessEnv): boolean {
  const name = effectiveLocale(env).LC_CTYPE;
  const m = /\.([^@]*)/.exec(name);
  return m !== null && normalizeCodeset(m[1]!) === 'utf8';
}
