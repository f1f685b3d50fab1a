import type { Command } from '../command.js';
import type { FlagSpec, OptionSet } from './spec.js';

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

const takesValue = (f: FlagSpec) => f.type !== 'bool';
/** Single quotes for every shell here: ' closes, \' or '' reopens. */
const quote = (text: string, escaped: string) => `'${text.replace(/'/g, escaped)}'`;

/** Completion of command names, flag names and fixed flag values, from the flag tables. */
export function completionScript(shell: Shell, commands: readonly Command[], globals: OptionSet): string {
  const flagsOf = (c: Command) => [...c.flags.filter((f) => !f.refused || f.refused.accepts), ...globals];
  switch (shell) {
    case 'bash':
      return bash(commands, flagsOf);
    case 'zsh':
      return `#compdef sigil\nautoload -U +X bashcompinit && bashcompinit\n${bash(commands, flagsOf)}`;
    case 'fish':
      return fish(commands, flagsOf);
    case 'powershell':
      return powershell(commands, flagsOf);
  }
}

function bash(commands: readonly Command[], flagsOf: (c: Command) => FlagSpec[]): string {
  const q = (text: string) => quote(text, `'\\''`);
  const cases = commands.map((c) => {
    const flags = flagsOf(c);
    const pattern = (f: FlagSpec) => `--${f.name}${f.short ? `|-${f.short}` : ''}`;
    const choices = flags.filter((f) => f.choices).map((f) => `        ${pattern(f)}) COMPREPLY=($(compgen -W ${q(f.choices!.join(' '))} -- "$cur")); return ;;\n`);
    const files = flags.filter((f) => takesValue(f) && !f.choices).map(pattern);
    return (
      `    ${c.name})\n      case "$prev" in\n${choices.join('')}` +
      (files.length ? `        ${files.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;\n` : '') +
      `      esac\n      flags=${q(flags.map((f) => `--${f.name}`).join(' '))} ;;`
    );
  });
  return `# sigil completion for bash: source <(sigil completion bash)
_sigil() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" flags="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  if [[ -z "$cmd" ]]; then
    COMPREPLY=($(compgen -W ${q([...commands.map((c) => c.name), 'help'].join(' '))} -- "$cur"))
    return
  fi
  case "$cmd" in
${cases.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o default -F _sigil sigil
`;
}

function fish(commands: readonly Command[], flagsOf: (c: Command) => FlagSpec[]): string {
  const q = (text: string) => quote(text, "\\'");
  const lines = ['# sigil completion for fish: sigil completion fish | source', 'complete -c sigil -f'];
  for (const c of commands) lines.push(`complete -c sigil -n __fish_use_subcommand -a ${c.name} -d ${q(c.summary)}`);
  for (const c of commands) {
    for (const f of flagsOf(c)) {
      const values = f.choices ? ` -x -a ${q(f.choices.join(' '))}` : takesValue(f) ? ' -r -F' : '';
      lines.push(`complete -c sigil -n '__fish_seen_subcommand_from ${c.name}' -l ${f.name}${f.short ? ` -s ${f.short}` : ''}${values} -d ${q(f.description.slice(0, 80))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function powershell(commands: readonly Command[], flagsOf: (c: Command) => FlagSpec[]): string {
  const q = (text: string) => quote(text, "''");
  const table = commands.map((c) => `  ${q(c.name)} = @(${flagsOf(c).map((f) => q(`--${f.name}`)).join(', ')})`).join('\n');
  return `# sigil completion for PowerShell: sigil completion powershell | Out-String | Invoke-Expression
$sigilFlags = @{
${table}
}
Register-ArgumentCompleter -Native -CommandName sigil -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  $command = $words | Where-Object { $_ -notlike '-*' } | Select-Object -First 1
  if (-not $command -or ($words.Count -eq 1 -and $wordToComplete -eq $command)) {
    $candidates = $sigilFlags.Keys
  } else {
    $candidates = $sigilFlags[$command]
  }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | Sort-Object | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
}
