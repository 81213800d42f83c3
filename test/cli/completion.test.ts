/**
 * `ptools completion bash|zsh|fish`: made from the commands' grammars, and
 * loaded and driven in the real shells (zsh and fish when installed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.js';
import { completionScript, shortOptions } from '../../src/cli/completion.js';
import { bufferIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { commands } from '../../src/cli/registry.js';
import { formatKeywords } from '../../src/commands/ps/format.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

let dir: string;
let scripts: Record<'bash' | 'zsh' | 'fish', string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ptools-completion-'));
  scripts = { bash: await completionScript('bash'), zsh: await completionScript('zsh'), fish: await completionScript('fish') };
  for (const [shell, text] of Object.entries(scripts)) writeFileSync(join(dir, `ptools.${shell}`), text);
  // `ptools` on PATH, for `source <(ptools completion bash)`.
  symlinkSync(join(root, 'bin', 'ptools'), join(dir, 'ptools'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(shell: string, args: string[], script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(shell, [...args, script], { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH ?? ''}`, HOME: dir, LC_ALL: 'C' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the scripts come from the grammars', () => {
  it('shortOptions reads glibc optstrings', () => {
    expect(shortOptions('+:n:a::b')).toEqual([{ letter: 'n', has: 'required' }, { letter: 'a', has: 'optional' }, { letter: 'b', has: 'none' }]);
    expect(shortOptions('A:x64?Z').map((o) => o.letter)).toEqual(['A', 'x', '6', '4', 'Z']);
  });

  it("every command, each of its options, and ps's format keywords are in every script", async () => {
    for (const [name, entry] of Object.entries(commands)) {
      const { command } = (await entry.load()) as { command: Command };
      const g = command.grammar;
      for (const l of g.long ?? []) {
        expect(scripts.bash, `${name} --${l.name}`).toMatch(new RegExp(`^ {4}${name}\\) echo '[^']*--${l.name}( |')`, 'm'));
        expect(scripts.fish, `${name} --${l.name}`).toContain(`-n '__ptools_using ${name}' -l '${l.name}'`);
      }
      for (const o of shortOptions(g.short ?? '')) expect(scripts.bash, `${name} -${o.letter}`).toMatch(new RegExp(`^ {4}${name}\\) echo '(-\\S+ )*-${o.letter.replace(/[#@!]/, '\\$&')}[ ']`, 'm'));
    }
    const keywords = formatKeywords();
    expect(keywords).toContain('pid');
    expect(keywords.length).toBeGreaterThan(100);
    expect(scripts.bash).toContain(`echo '${keywords.join(' ')}'`);
  });

  it('ptools completion SHELL prints the script', async () => {
    const io = bufferIO();
    expect(await run(['completion', 'fish'], io)).toBe(0);
    expect(io.stdout()).toBe(scripts.fish);
  });
});

describe('bash', () => {
  const drive = (lines: string): string => sh('bash', ['-c'], `source <(ptools completion bash) || exit 9
d() { local fn=$1; shift; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); COMPREPLY=(); "$fn"; printf '%s\\n' "\${COMPREPLY[*]}"; }
${lines}`).stdout;

  it('source <(ptools completion bash) registers ptools and pps', () => {
    const r = sh('bash', ['-c'], 'source <(ptools completion bash) && complete -p pps && complete -p ptools');
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toBe('complete -F _ptools_pps pps\ncomplete -F _ptools ptools\n');
  });

  it('commands, options, option values (comma lists, sort directions, --opt=value), pids', () => {
    const lines = drive([
      "d _ptools ptools fr",
      "d _ptools ptools help p",
      "d _ptools ptools completion ''",
      'd _ptools ptools free --se',
      'd _ptools_pps pps -o pi',
      'd _ptools_pps pps -o pid,%c',
      'd _ptools_pps pps --sort = -pi',
      'd _ptools_pps pps --sort=pid,rs',
      'd _ptools_pps pps o us',
      "d _ptools ptools kill -s KI",
      `d _ptools ptools kill ${process.pid}`,
      'd _ptools ptools netstat --js',
    ].join('\n')).split('\n');
    expect(lines.slice(0, 12)).toEqual([
      'free',
      'pmap ps',
      'bash zsh fish',
      '--seconds',
      'pid pidns',
      'pid,%cpu',
      '-pid -pidns',
      '--sort=pid,rss --sort=pid,rssize --sort=pid,rsz',
      'user userns uss',
      'KILL',
      expect.stringMatching(new RegExp(`(^| )${process.pid}( |$)`)),
      '--json',
    ]);
  });
});

describe.skipIf(!has('zsh'))('zsh', () => {
  it('loads after compinit, registers _ptools for ptools and pps, and offers what bash offers', () => {
    const r = sh('zsh', ['-f', '-c'], `autoload -Uz compinit && compinit -u -d ${dir}/zcompdump
source <(ptools completion zsh) || exit 9
print -r -- "$_comps[ptools] $_comps[pps]"
# The completion system's builtins only work inside a completion widget: stand-ins print what is offered.
compadd() { local -a out; while (( $# )); do case $1 in -a) shift; out+=(\${(P)1});; -S) shift;; --) shift; out+=("$@"); break;; -*) ;; *) out+=("$1");; esac; shift; done; print -r -- "\${out[@]}"; }
compset() { return 1 }
_files() { print FILES }; _pids() { print PIDS }; _net_interfaces() { print IFACES }; _command_names() { print COMMANDS }
t() { service=$1; shift; words=("$@"); CURRENT=$#words; _ptools }
t ptools ptools completion ''
t pps pps -o ''
t ptools ptools kill -s ''
t ptools ptools kill ''
t ptools ptools ifconfig ''
t ptools ptools nice ''
t ptools ptools df ''
t ptools ptools netstat -`);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('_ptools _ptools');
    expect(lines[1]).toBe('bash zsh fish');
    expect(lines[2]!.split(' ')).toEqual(formatKeywords());
    expect(lines[3]!.split(' ')).toContain('KILL');
    expect(lines.slice(4, 8)).toEqual(['PIDS', 'IFACES', 'COMMANDS', 'FILES']);
    expect(lines[8]!.split(' ')).toContain('--continuous');
  });

  it('is valid zsh (zsh -n)', () => {
    expect(sh('zsh', ['-n'], join(dir, 'ptools.zsh'))).toMatchObject({ status: 0, stderr: '' });
  });
});

describe.skipIf(!has('fish'))('fish', () => {
  it('ptools completion fish | source: commands, options, keyword lists', () => {
    const r = sh('fish', ['-c'], `ptools completion fish | source
complete -C'ptools fr'
complete -C'pps -o pi'
complete -C'pps --sort=pid,rs'
complete -C'ptools free --sec'
complete -C'ptools help p'`);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'free\tdisplay amount of free and used memory (procps-ng free)',
      'pid',
      'pidns',
      '--sort=pid,rss',
      '--sort=pid,rssize',
      '--sort=pid,rsz',
      '--seconds',
      'pmap',
      'ps',
      '',
    ]);
  });

  it('is valid fish (fish -n)', () => {
    expect(sh('fish', ['-n'], join(dir, 'ptools.fish'))).toMatchObject({ status: 0, stderr: '' });
  });
});
