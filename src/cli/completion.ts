/**
 * `ptools completion bash|zsh|fish`: a completion script for `ptools` and
 * `pps`, made from the commands' own grammars (the getopt tables their
 * parsers read, ps's option tables and format keywords): options, the
 * options that take a value, the words a value is made of (ps -o, --sort,
 * comma-separated), and what the operands are (pids, files, commands,
 * interfaces).
 *
 * bash and zsh share one set of data functions (plain `case` statements,
 * which both shells read); fish gets its own `complete` declarations.
 */
import type { Command, Grammar } from './command.js';
import { aliases, commands } from './registry.js';
import { version } from './version.js';

export type Shell = 'bash' | 'zsh' | 'fish';

/** One command's grammar, flattened. */
interface Spec {
  readonly name: string;
  readonly summary: string;
  /** Short options: the letter and whether it takes a (separate) argument. */
  readonly shorts: ReadonlyArray<{ readonly letter: string; readonly has: 'none' | 'required' | 'optional' }>;
  readonly longs: ReadonlyArray<{ readonly name: string; readonly has: 'none' | 'required' | 'optional' }>;
  readonly values: Readonly<Record<string, readonly string[]>>;
  readonly operands: NonNullable<Grammar['operands']>;
}

/** glibc's optstring → letters with their argument kind ('?' is left out: it is a glob character in shells). */
export function shortOptions(optstring: string): Spec['shorts'] {
  const s = optstring.replace(/^[+-]/, '').replace(/^:/, '');
  const out: Array<Spec['shorts'][number]> = [];
  for (let i = 0; i < s.length; i++) {
    const letter = s[i]!;
    let has: 'none' | 'required' | 'optional' = 'none';
    if (s[i + 1] === ':') {
      has = s[i + 2] === ':' ? 'optional' : 'required';
      i += has === 'optional' ? 2 : 1;
    }
    if (letter !== '?' && letter !== ':') out.push({ letter, has });
  }
  return out;
}

function specOf(command: Command): Spec {
  const g = command.grammar;
  const seen = new Set<string>();
  const longs = (g.long ?? []).filter((l) => !seen.has(l.name) && seen.add(l.name)).map((l) => ({ name: l.name, has: l.has }));
  return {
    name: command.name,
    summary: command.summary,
    shorts: shortOptions(g.short ?? ''),
    longs,
    values: g.values ?? {},
    operands: g.operands ?? 'files',
  };
}

/** Every command's spec, by name (each command module is loaded). */
async function specs(): Promise<Spec[]> {
  const out: Spec[] = [];
  for (const name of Object.keys(commands).sort()) {
    const { command } = await commands[name]!.load();
    out.push({ ...specOf(command), summary: commands[name]!.summary });
  }
  return out;
}

/** A word in single quotes for sh. */
function q(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function optionWords(s: Spec): string[] {
  return [...s.shorts.map((o) => `-${o.letter}`), ...s.longs.map((l) => `--${l.name}`)];
}

/** Spellings whose value is the next word: short and long options with a required argument, and every option with value words. */
function argOptions(s: Spec): string[] {
  const out = new Set<string>([
    ...s.shorts.filter((o) => o.has === 'required').map((o) => `-${o.letter}`),
    ...s.longs.filter((l) => l.has === 'required').map((l) => `--${l.name}`),
    ...Object.keys(s.values),
  ]);
  return [...out];
}

/** The data functions bash and zsh share. */
function shData(all: Spec[]): string {
  const lines: string[] = [];
  lines.push('_ptools_commands() { echo ' + q(all.map((s) => s.name).join(' ')) + '; }');
  lines.push('_ptools_options() {', '  case $1 in');
  for (const s of all) lines.push(`    ${s.name}) echo ${q(optionWords(s).join(' '))} ;;`);
  lines.push('  esac', '}');
  lines.push('# Options whose value is the next word.', '_ptools_takes_arg() {', '  case "$1 $2" in');
  const takes = all.flatMap((s) => argOptions(s).map((o) => q(`${s.name} ${o}`)));
  if (takes.length) lines.push(`    ${takes.join('|')}) return 0 ;;`);
  lines.push('  esac', '  return 1', '}');
  lines.push('# The words an option value is made of (comma-separated lists).', '_ptools_values() {', '  case "$1 $2" in');
  for (const s of all) {
    // Options sharing one word list share one case arm.
    const byWords = new Map<string, string[]>();
    for (const [opt, words] of Object.entries(s.values)) {
      const key = words.join(' ');
      byWords.set(key, [...(byWords.get(key) ?? []), opt]);
    }
    for (const [words, opts] of byWords) lines.push(`    ${opts.map((o) => q(`${s.name} ${o}`)).join('|')}) echo ${q(words)} ;;`);
  }
  lines.push('  esac', '}');
  lines.push('# What the operands are: pids, files, commands, interfaces or none.', '_ptools_operands() {', '  case $1 in');
  for (const s of all) lines.push(`    ${s.name}) echo ${s.operands} ;;`);
  lines.push('  esac', '}');
  return lines.join('\n');
}

function header(shell: Shell): string {
  const how = {
    bash: "# Load it with: source <(ptools completion bash)   (or save it in ~/.local/share/bash-completion/completions/ptools)",
    zsh: '# Load it with: source <(ptools completion zsh)   (after compinit; or save it as _ptools in a directory of $fpath)',
    fish: '# Load it with: ptools completion fish | source   (or save it in ~/.config/fish/completions/ptools.fish)',
  }[shell];
  return `# ${shell} completion for ptools ${version()} and its multi-call names (pps), made by \`ptools completion ${shell}\`.\n${how}\n`;
}

function bash(all: Spec[]): string {
  const top = [...all.map((s) => s.name), 'help', 'completion', '--help', '--version', '-h', '-V'].join(' ');
  return `${header('bash')}
${shData(all)}

# Completes the arguments of command $1, whose first argument is COMP_WORDS[$2].
_ptools_complete() {
  local cmd=$1 first=$2 cur=\${COMP_WORDS[COMP_CWORD]} prev= opt= head=
  (( COMP_CWORD > first )) && prev=\${COMP_WORDS[COMP_CWORD-1]}
  # --opt=value: '=' is usually a word of its own (COMP_WORDBREAKS).
  if [[ $cur == = ]]; then
    opt=$prev cur=
  elif [[ $prev == = ]] && (( COMP_CWORD - 2 >= first )); then
    opt=\${COMP_WORDS[COMP_CWORD-2]}
  elif [[ $cur == --*=* ]]; then
    opt=\${cur%%=*} head=\${cur%%=*}= cur=\${cur#*=}
  elif [[ -n $prev ]] && _ptools_takes_arg "$cmd" "$prev"; then
    opt=$prev
  fi
  if [[ -n $opt ]]; then
    local words
    words=$(_ptools_values "$cmd" "$opt")
    if [[ -n $words ]]; then
      [[ $cur == *,* ]] && head+=\${cur%,*}, && cur=\${cur##*,}
      # A sort key's direction (--sort=-pid).
      [[ $cur == [-+]* ]] && head+=\${cur:0:1} && cur=\${cur:1}
      COMPREPLY=( $(compgen -P "$head" -W "$words" -- "$cur") )
    else
      COMPREPLY=( $(compgen -f -- "$cur") )
    fi
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=( $(compgen -W "$(_ptools_options "$cmd")" -- "$cur") )
    return 0
  fi
  case $(_ptools_operands "$cmd") in
    pids) COMPREPLY=( $(compgen -W "$(cd /proc 2>/dev/null && printf '%s ' [0-9]*)" -- "$cur") ) ;;
    files) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
    commands) COMPREPLY=( $(compgen -c -- "$cur") ) ;;
    interfaces) COMPREPLY=( $(compgen -W "$(cd /sys/class/net 2>/dev/null && printf '%s ' *)" -- "$cur") ) ;;
  esac
  return 0
}

_ptools() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  COMPREPLY=()
  if (( COMP_CWORD == 1 )); then
    COMPREPLY=( $(compgen -W ${q(top)} -- "$cur") )
    return 0
  fi
  case \${COMP_WORDS[1]} in
    help) (( COMP_CWORD == 2 )) && COMPREPLY=( $(compgen -W "$(_ptools_commands) help completion" -- "$cur") ) ;;
    completion) (( COMP_CWORD == 2 )) && COMPREPLY=( $(compgen -W 'bash zsh fish' -- "$cur") ) ;;
    -*) ;;
    *) _ptools_complete "\${COMP_WORDS[1]}" 2 ;;
  esac
  return 0
}

${Object.entries(aliases).map(([alias, name]) => `_ptools_${alias}() {\n  COMPREPLY=()\n  _ptools_complete ${name} 1\n}\ncomplete -F _ptools_${alias} ${alias}`).join('\n')}
complete -F _ptools ptools
`;
}

function zsh(all: Spec[]): string {
  const names = ['ptools', ...Object.keys(aliases)];
  return `#compdef ${names.join(' ')}
${header('zsh')}
${shData(all)}

# Completes the arguments of command $1, whose first argument is words[$2].
_ptools_args() {
  local cmd=$1 first=$2 cur=$words[CURRENT] prev= opt=
  (( CURRENT > first )) && prev=$words[CURRENT-1]
  if [[ $cur == --*=* ]]; then
    opt=\${cur%%=*}
    compset -P '*='
    cur=\${cur#*=}
  elif [[ -n $prev ]] && _ptools_takes_arg $cmd $prev; then
    opt=$prev
  fi
  if [[ -n $opt ]]; then
    local -a vals
    vals=(\${=$(_ptools_values $cmd $opt)})
    if (( $#vals )); then
      compset -P '*,'
      compset -P '[-+]'
      compadd -q -S , -a vals
    else
      _files
    fi
    return
  fi
  if [[ $cur == -* ]]; then
    local -a opts
    opts=(\${=$(_ptools_options $cmd)})
    compadd -a opts
    return
  fi
  case $(_ptools_operands $cmd) in
    pids) _pids ;;
    files) _files ;;
    commands) _command_names -e ;;
    interfaces) _net_interfaces ;;
  esac
}

_ptools() {
  case $service in
${Object.entries(aliases).map(([alias, name]) => `    ${alias}) _ptools_args ${name} 2 ;;`).join('\n')}
    *)
      if (( CURRENT == 2 )); then
        local -a cmds
        cmds=(\${=$(_ptools_commands)} help completion)
        compadd -a cmds
        compadd -- --help --version -h -V
        return
      fi
      case $words[2] in
        help) (( CURRENT == 3 )) && { local -a cmds; cmds=(\${=$(_ptools_commands)} help completion); compadd -a cmds } ;;
        completion) (( CURRENT == 3 )) && compadd bash zsh fish ;;
        -*) ;;
        *) _ptools_args $words[2] 3 ;;
      esac
      ;;
  esac
}

if (( $+functions[compdef] )); then
  compdef _ptools ${names.join(' ')}
else
  print -u2 'ptools completion: run compinit first (autoload -Uz compinit && compinit)'
fi
`;
}

function fish(all: Spec[]): string {
  const lines: string[] = [header('fish')];
  const esc = (s: string): string => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  lines.push(
    '# ptools: true while no command has been typed; __ptools_using CMD: true after `ptools CMD`.',
    'function __ptools_needs_command',
    '    set -l t (commandline -opc)',
    '    test (count $t) -eq 1',
    'end',
    'function __ptools_using',
    '    set -l t (commandline -opc)',
    '    test (count $t) -ge 2; and test "$t[2]" = $argv[1]',
    'end',
    'complete -c ptools -f',
    `complete -c ptools -n __ptools_needs_command -s h -l help -d 'print the help and exit'`,
    `complete -c ptools -n __ptools_needs_command -s V -l version -d 'print the version and exit'`,
  );
  for (const s of all) lines.push(`complete -c ptools -n __ptools_needs_command -a ${s.name} -d ${esc(s.summary)}`);
  lines.push(`complete -c ptools -n __ptools_needs_command -a help -d ${esc("print a command's help")}`);
  lines.push(`complete -c ptools -n __ptools_needs_command -a completion -d ${esc('print a completion script')}`);
  lines.push(`complete -c ptools -n '__ptools_using help' -a ${esc(all.map((s) => s.name).join(' '))}`);
  lines.push(`complete -c ptools -n '__ptools_using completion' -a 'bash zsh fish'`);
  const targets = (name: string): Array<{ c: string; cond: string }> => [
    { c: 'ptools', cond: ` -n '__ptools_using ${name}'` },
    ...Object.entries(aliases).filter(([, n]) => n === name).map(([alias]) => ({ c: alias, cond: '' })),
  ];
  for (const s of all) {
    const wordsFn = new Map<string, string>();
    for (const words of Object.values(s.values)) {
      const key = words.join(' ');
      if (!wordsFn.has(key)) {
        const fn = `__ptools_${s.name}_words${wordsFn.size}`;
        wordsFn.set(key, fn);
        lines.push(`function ${fn}`, `    printf '%s\\n' ${words.map(esc).join(' ')}`, 'end');
      }
    }
    const valueArg = (spelling: string): string => {
      const words = s.values[spelling];
      return words ? ` -x -a '(__fish_complete_list , ${wordsFn.get(words.join(' '))})'` : '';
    };
    const operand = { pids: ` -a '(__fish_complete_pids)'`, interfaces: ` -a '(__fish_print_interfaces)'`, commands: ` -a '(__fish_complete_command)'`, files: '', none: '' }[s.operands];
    for (const t of targets(s.name)) {
      // ptools completes no files unless its command takes them (-F); pps only what its operands are.
      if (s.operands === 'files') {
        if (t.c === 'ptools') lines.push(`complete -c ${t.c}${t.cond} -F`);
      } else lines.push(`complete -c ${t.c}${t.cond} -f${operand}`);
      for (const o of s.shorts) lines.push(`complete -c ${t.c}${t.cond} -s ${esc(o.letter)}${valueArg(`-${o.letter}`) || (o.has === 'required' ? ' -r' : '')}`);
      for (const l of s.longs) lines.push(`complete -c ${t.c}${t.cond} -l ${esc(l.name)}${valueArg(`--${l.name}`) || (l.has === 'required' ? ' -r' : '')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The script for `shell`. */
export async function completionScript(shell: Shell): Promise<string> {
  const all = await specs();
  return shell === 'bash' ? bash(all) : shell === 'zsh' ? zsh(all) : fish(all);
}
