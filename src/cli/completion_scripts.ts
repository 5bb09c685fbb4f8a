/**
 * The shell side of completion. Each script asks `<program> __complete <words…>` for candidates and
 * knows no commands itself, so it never goes stale. The answer is one candidate per line (a tab, then a
 * description, may follow) and a last line `:<directive>`: bit 1 = no space after the candidate,
 * bit 2 = complete file names instead.
 */
export type Shell = "bash" | "zsh" | "fish" | "powershell";

export const shells: Shell[] = ["bash", "zsh", "fish", "powershell"];

/** The completion script for `shell`, for a program called `program`. */
export function completionScript(shell: Shell, program: string): string {
  const fn = `_${program.replace(/[^A-Za-z0-9_]/g, "_")}`;
  switch (shell) {
    case "bash":
      return bashScript(program, fn);
    case "zsh":
      return zshScript(program, fn);
    case "fish":
      return fishScript(program, fn);
    case "powershell":
      return powershellScript(program);
  }
}

function bashScript(program: string, fn: string): string {
  return `# bash completion for ${program}: source <(${program} completion bash)
${fn}() {
    local cur="\${COMP_WORDS[COMP_CWORD]}" i w q line directive=0 out
    local -a words=()
    # ${program} sees words without the quotes typed around them ('flux-sys); nor does readline's text.
    q="\${cur:0:1}"
    [[ "$q" == "'" || "$q" == '"' ]] && cur="\${cur:1}" && cur="\${cur%"$q"}"
    # Bash splits --flag=value at the '='; ${program} wants the word whole.
    for ((i = 1; i <= COMP_CWORD; i++)); do
        w="\${COMP_WORDS[i]}"
        q="\${w:0:1}"
        [[ "$q" == "'" || "$q" == '"' ]] && w="\${w:1}" && w="\${w%"$q"}"
        if ((i > 1)) && [[ "$w" == "=" || "\${COMP_WORDS[i-1]}" == "=" ]]; then
            words[\${#words[@]}-1]+="$w"
        else
            words+=("$w")
        fi
    done
    ((\${#words[@]})) || words=("")
    # What bash will replace is only its own last piece of the word: keep the rest off the candidates.
    local typed="\${words[\${#words[@]}-1]}"
    local keep="\${typed%"$cur"}"
    out=$("\${COMP_WORDS[0]}" __complete "\${words[@]}" 2>/dev/null) || return 0
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -z "$line" ]] && continue
        if [[ "$line" == :* ]]; then
            directive="\${line#:}"
            continue
        fi
        line="\${line%%$'\\t'*}"
        COMPREPLY+=("\${line#"$keep"}")
    done <<<"$out"
    if ((directive & 2)); then
        COMPREPLY=()
        while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
        compopt -o filenames 2>/dev/null
    fi
    if ((directive & 1)); then compopt -o nospace 2>/dev/null; fi
    return 0
}
complete -F ${fn} ${program}
`;
}

function zshScript(program: string, fn: string): string {
  return `#compdef ${program}
# zsh completion for ${program}: source <(${program} completion zsh)
${fn}() {
    local out line value desc directive=0
    local -a candidates
    # The words as the command will see them: (Q) drops the quotes typed around earlier words; for the
    # one under the cursor, which may have an open quote ('flux-sys) that (Q) keeps, zsh's $PREFIX.
    out=$("\${words[1]}" __complete "\${(@Q)words[2,CURRENT-1]}" "$PREFIX" 2>/dev/null) || return 1
    for line in "\${(@f)out}"; do
        [[ -z "$line" ]] && continue
        if [[ "$line" == :* ]]; then
            directive="\${line#:}"
            continue
        fi
        value="\${line%%$'\\t'*}"
        desc=""
        [[ "$line" == *$'\\t'* ]] && desc="\${line#*$'\\t'}"
        candidates+=("\${value//:/\\\\:}\${desc:+:$desc}")
    done
    if ((directive & 2)); then
        _files
        return
    fi
    if ((directive & 1)); then
        _describe -t values '${program}' candidates -S ''
    else
        _describe -t values '${program}' candidates
    fi
}
if (( $+functions[compdef] )); then
    compdef ${fn} ${program}
else
    print -u2 "${program} completion: run 'autoload -U compinit && compinit' first"
fi
`;
}

function fishScript(program: string, fn: string): string {
  return `# fish completion for ${program}: ${program} completion fish | source
function _${fn}_complete
    set -l args (commandline -opc)
    set -l prog $args[1]
    set -e args[1]
    # -o unquotes the words before the cursor; the one under it comes as typed ('flux-sys).
    set -l current (commandline -ct)
    set current (string unescape -- "$current")
    set -l directive 0
    set -l found
    # Quoted: an empty word (the cursor after a space) must still reach ${program} as a word.
    for line in ($prog __complete $args "$current" 2>/dev/null)
        if string match -q -- ':*' $line
            set directive (string sub -s 2 -- $line)
        else if test -n "$line"
            set -a found $line
        end
    end
    if test (math "bitand($directive, 2)") -ne 0
        __fish_complete_path "$current"
        return
    end
    printf '%s\\n' $found
end
complete -c ${program} -f -a '(_${fn}_complete)'
`;
}

function powershellScript(program: string): string {
  return `# PowerShell completion for ${program}: ${program} completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName '${program}' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $elements = @($commandAst.CommandElements | Where-Object { $_.Extent.StartOffset -lt $cursorPosition } | ForEach-Object { $_.Extent.Text })
    $program = $elements[0]
    $words = @($elements | Select-Object -Skip 1)
    $quoted = @($words | ForEach-Object { "'" + ($_ -replace "'", "''") + "'" })
    if ($wordToComplete -eq '') {
        # The cursor follows a space: a new, empty word. Older PowerShell drops '' on the way to a program.
        if ($PSVersionTable.PSVersion -lt [version]'7.3.0') { $quoted += '\`"\`"' } else { $quoted += "''" }
    }
    $out = @(Invoke-Expression "& '$program' __complete $($quoted -join ' ') 2>\`$null")
    $directive = 0
    $results = @()
    foreach ($line in $out) {
        if ($line -like ':*') { $directive = [int]$line.Substring(1); continue }
        if ($line -eq '') { continue }
        $parts = $line -split "\`t", 2
        $desc = if ($parts.Length -gt 1 -and $parts[1]) { $parts[1] } else { $parts[0] }
        $results += [System.Management.Automation.CompletionResult]::new($parts[0], $parts[0], 'ParameterValue', $desc)
    }
    if (($directive -band 2) -ne 0) { return }
    $results
}
`;
}
