import { describe, expect, it } from 'vitest';
import { Getopt, getoptLong, type GetoptResult, type LongOption } from '../../src/cli/getopt.js';

const longs: LongOption[] = [
  { name: 'si', has: 'none', key: 'H' },
  { name: 'sync', has: 'none', key: 'sync' },
  { name: 'size', has: 'required', key: 'S' },
  { name: 'output', has: 'optional', key: 'output' },
];

/** Every result of one scan, then the operands. */
function scan(argv: string[], short: string, long: readonly LongOption[] = longs, env: Record<string, string> = {}, longOnly = false): { results: GetoptResult[]; operands: string[] } {
  const g = new Getopt(argv, { short, long, env, longOnly });
  const results: GetoptResult[] = [];
  for (let r = g.next(); r !== null; r = g.next()) results.push(r);
  return { results, operands: g.operands() };
}

const msg = (argv: string[], short = 'ab:', long: readonly LongOption[] = longs): string => {
  const ev = getoptLong(argv, short, long).items.at(-1);
  return ev?.kind === 'error' ? ev.message : 'no error';
};

describe('getoptLong (glibc)', () => {
  it('clusters, attached and separate arguments, permutation, --', () => {
    const r = getoptLong(['-ab1', 'file', '-b', '2', '--output', '--out=x', '--size=3', '--siz', '4', '--', '-a'], 'ab:', longs);
    expect(r.operands).toEqual(['file', '-a']);
    expect(r.items).toEqual([
      { kind: 'option', key: 'a', name: '-a' },
      { kind: 'option', key: 'b', arg: '1', name: '-b' },
      { kind: 'option', key: 'b', arg: '2', name: '-b' },
      { kind: 'option', key: 'output', name: '--output' },
      { kind: 'option', key: 'output', arg: 'x', name: '--output' },
      { kind: 'option', key: 'S', arg: '3', name: '--size' },
      { kind: 'option', key: 'S', arg: '4', name: '--size' },
    ]);
  });

  it('permutes operands to the end, in order, with those after -- last', () => {
    const r = scan(['x', '-a', 'y', '-b', 'z', 'w', '--', '-a', 'v'], 'ab:');
    expect(r.results.map((x) => [x.c, x.optarg])).toEqual([['a', undefined], ['b', 'z']]);
    expect(r.operands).toEqual(['x', 'y', 'w', '-a', 'v']);
  });

  it("POSIXLY_CORRECT or a leading '+' stops at the first operand; '-' is an operand", () => {
    expect(getoptLong(['x', '-a'], 'a', [], { POSIXLY_CORRECT: '1' }).operands).toEqual(['x', '-a']);
    expect(getoptLong(['x', '-a'], '+a', []).operands).toEqual(['x', '-a']);
    expect(getoptLong(['-a', 'x', '-a'], 'a', []).items).toHaveLength(2);
    expect(getoptLong(['-', '-a'], 'a', []).operands).toEqual(['-']);
  });

  it("a leading '-' returns operands in order as option \\x01", () => {
    const r = scan(['x', '-a', 'y'], '-a');
    expect(r.results.map((x) => [x.c, x.optarg])).toEqual([['\x01', 'x'], ['a', undefined], ['\x01', 'y']]);
    expect(r.operands).toEqual([]);
  });

  it('optional arguments: attached only', () => {
    const r = scan(['-o', 'x', '-ofoo', '--output', 'y', '--output=z'], 'o::');
    expect(r.results.map((x) => [x.c, x.optarg])).toEqual([['o', undefined], ['o', 'foo'], ['output', undefined], ['output', 'z']]);
    expect(r.operands).toEqual(['x', 'y']);
  });

  it('abbreviations: a unique prefix, an exact name beats a prefix, aliases of one option are no ambiguity', () => {
    expect(msg(['--out'])).toBe('no error');
    expect(msg(['--si'])).toBe('no error'); // exact beats prefix
    const alias: LongOption[] = [
      { name: 'message', has: 'none', key: 'T' },
      { name: 'mesg', has: 'none', key: 'T' },
      { name: 'login', has: 'none', key: 'l' },
      { name: 'lookup', has: 'none', key: 'lookup' },
    ];
    expect(getoptLong(['--me'], '', alias).items).toEqual([{ kind: 'option', key: 'T', name: '--message' }]);
    expect(msg(['--lo'], '', alias)).toBe("option '--lo' is ambiguous; possibilities: '--login' '--lookup'");
  });

  it("glibc's messages", () => {
    expect(msg(['-z'])).toBe("invalid option -- 'z'");
    expect(msg(['-b'])).toBe("option requires an argument -- 'b'");
    expect(msg(['--nope'])).toBe("unrecognized option '--nope'");
    expect(msg(['--nope=1'])).toBe("unrecognized option '--nope=1'");
    expect(msg(['--s'])).toBe("option '--s' is ambiguous; possibilities: '--si' '--sync' '--size'");
    expect(msg(['--s=1'])).toBe("option '--s=1' is ambiguous; possibilities: '--si' '--sync' '--size'");
    expect(msg(['--sy=1'])).toBe("option '--sync' doesn't allow an argument");
    expect(msg(['--siz'])).toBe("option '--size' requires an argument");
  });

  it('the list ends at the first error', () => {
    const r = getoptLong(['-a', '-z', '-a'], 'a', []);
    expect(r.items).toEqual([{ kind: 'option', key: 'a', name: '-a' }, { kind: 'error', message: "invalid option -- 'z'" }]);
  });

  it("Getopt reports optopt and the argument's index, and goes on after an error", () => {
    const r = scan(['-az', '--nope', 'x', '-b'], 'ab:');
    expect(r.results).toEqual([
      { c: 'a', index: 0, name: '-a' },
      { c: '?', optopt: 'z', message: "invalid option -- 'z'", index: 0, name: '-z' },
      { c: '?', optopt: '\0', message: "unrecognized option '--nope'", index: 1 },
      { c: '?', optopt: 'b', message: "option requires an argument -- 'b'", index: 3, name: '-b' },
    ]);
    expect(r.operands).toEqual(['x']);
  });

  it("a leading ':' reports a missing argument as ':' without a message", () => {
    const r = scan(['-b'], ':ab:');
    expect(r.results[0]).toEqual({ c: ':', optopt: 'b', index: 0, name: '-b' });
    const z = scan(['-z'], '+:a');
    expect(z.results[0]!.c).toBe('?');
    expect(z.results[0]!.message).toBeUndefined();
  });

  it('peek and optind follow the scan', () => {
    const g = new Getopt(['-a', 'x', '-b'], { short: '+ab' });
    expect(g.next()!.c).toBe('a');
    expect(g.optind).toBe(1);
    expect(g.peek()).toBe('x');
    expect(g.next()).toBeNull();
    expect(g.operands()).toEqual(['x', '-b']);
  });

  it('getopt_long_only: -name is a long option, falling back to short ones', () => {
    const long: LongOption[] = [{ name: 'all', has: 'none', key: 'all' }, { name: 'alpha', has: 'none', key: 'alpha' }];
    expect(scan(['-all', '-ab'], 'ab', long, {}, true).results.map((x) => x.c)).toEqual(['all', 'a', 'b']);
    expect(scan(['-al'], 'ab', long, {}, true).results[0]!.message).toBe("option '-al' is ambiguous; possibilities: '-all' '-alpha'");
    expect(scan(['-xyz'], 'ab', long, {}, true).results[0]!.message).toBe("unrecognized option '-xyz'");
  });
});
