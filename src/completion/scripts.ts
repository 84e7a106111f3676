// The shell scripts that `wtbhook completion <shell>` prints. Each asks `wtbhook __complete` for
// the candidates of the word being typed, so completion follows the real commands; a line
// ":files" or ":dirs" hands the word to the shell's own file-name completion.

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# wtbhook completion for bash.
# Now:            source <(wtbhook completion bash)
# Every shell:    wtbhook completion bash > ~/.local/share/bash-completion/completions/wtbhook
#                 (or source it from ~/.bashrc)
_wtbhook_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local -a words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  # bash splits "--type=us" into "--type" "=" "us"; right after the "=", the word is empty.
  if [[ $cur == "=" ]]; then
    cur=""
    words+=("")
  fi
  local line
  local -a lines
  COMPREPLY=()
  mapfile -t lines < <(wtbhook __complete "\${words[@]}" 2>/dev/null)
  for line in "\${lines[@]}"; do
    case $line in
      :files)
        compopt -o filenames 2>/dev/null
        mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
        ;;
      :dirs)
        compopt -o filenames 2>/dev/null
        mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
        ;;
      "") ;;
      *) COMPREPLY+=("$line") ;;
    esac
  done
}
complete -F _wtbhook_complete wtbhook
`;

const ZSH = `#compdef wtbhook
# wtbhook completion for zsh.
# Now:            source <(wtbhook completion zsh)        (after compinit)
# Every shell:    wtbhook completion zsh > ~/.zsh/completions/_wtbhook
#                 with fpath=(~/.zsh/completions $fpath) before compinit in ~/.zshrc
_wtbhook() {
  local -a lines candidates
  local line
  lines=("\${(@f)$(wtbhook __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "\${lines[@]}"; do
    case $line in
      (:files) _files ;;
      (:dirs) _files -/ ;;
      ('') ;;
      (*) candidates+=("$line") ;;
    esac
  done
  (( \${#candidates} )) && compadd -- "\${candidates[@]}"
  return 0
}
if [[ "$funcstack[1]" == _wtbhook ]]; then
  _wtbhook "$@"
else
  compdef _wtbhook wtbhook
fi
`;

const FISH = `# wtbhook completion for fish.
# Now:            wtbhook completion fish | source
# Every shell:    wtbhook completion fish > ~/.config/fish/completions/wtbhook.fish
function __wtbhook_complete
    set -l words (commandline -opc)[2..-1]
    set -l current (commandline -ct)
    # Quoted: one word even when the current token is empty.
    for line in (wtbhook __complete $words "$current" 2>/dev/null)
        switch $line
            case :files
                __fish_complete_path (commandline -ct)
            case :dirs
                __fish_complete_directories (commandline -ct) ""
            case ''
            case '*'
                echo $line
        end
    end
end
complete -c wtbhook -f -a '(__wtbhook_complete)'
`;

/** The script that `wtbhook completion <shell>` prints. */
export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
