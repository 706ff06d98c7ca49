# bash completion for partnerpolicy: subcommands, flags, the values a flag accepts, actions and
# their arguments (can), actions (plan steps), rule ids (explain). Installed as
# share/bash-completion/completions/partnerpolicy.
#
# Every list comes from the program being completed (`partnerpolicy complete ...`, a hidden
# subcommand), so subcommands and flags follow the program and actions and rule ids follow the
# policies in use: a `--policies DIR` already on the command line counts, as it does for the run.
# Only the kinds of flag values (a directory, a file, nothing to offer) are known here.

# Runs `complete WHAT...` of the program on the command line; errors (no such program, policies
# that do not load) give no words rather than noise in the terminal.
_partnerpolicy_words() {
  local program=${COMP_WORDS[0]}
  program=${program/#\~/$HOME}
  "$program" complete "$@" "${_partnerpolicy_policies[@]}" 2>/dev/null
}

_partnerpolicy() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=''
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  COMPREPLY=()
  local -a _partnerpolicy_policies=()

  # The subcommand, a --policies DIR, and the positional arguments before the cursor. A word
  # after a flag that takes a value is that value; "name=value" arrives as three words (bash
  # breaks words at '='), counted as one. Before the subcommand, the flags that take a value are
  # the program's own (--policies), after it the subcommand's.
  local subcommand='' i word
  local value_flags=" $(_partnerpolicy_words value-flags | tr '\n' ' ') "
  local -a positionals=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == --policies ]] && ((i + 1 < COMP_CWORD)); then
      _partnerpolicy_policies=(--policies "${COMP_WORDS[i + 1]}")
    fi
    if [[ $word == -* ]]; then
      [[ $value_flags == *" $word "* ]] && ((i++))
    elif [[ -z $subcommand ]]; then
      subcommand=$word
      value_flags=" $(_partnerpolicy_words value-flags "$subcommand" | tr '\n' ' ') "
    elif [[ $word != = && ${COMP_WORDS[i - 1]} != = ]]; then
      positionals+=("$word")
    fi
  done

  # The value of a flag: its fixed choices (--format, --fail-on), else what kind of value it is.
  if [[ $prev == -* && $value_flags == *" $prev "* ]]; then
    local name=${prev#-}
    name=${name#-}
    local values
    values=$(_partnerpolicy_words values "$subcommand" "$name")
    if [[ -n $values ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
      return 0
    fi
    case $prev in
      --policies | --seeds)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        ;;
      --as | --as-of | --entity | --within | -j | --jobs | --threshold | --max-*) ;;
      *)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        ;;
    esac
    return 0
  fi

  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_partnerpolicy_words flags "$subcommand")" -- "$cur")
    return 0
  fi
  if [[ -z $subcommand ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_partnerpolicy_words subcommands)" -- "$cur")
    return 0
  fi

  # Inside "name=value" (the cursor after '=' or on the value): nothing known to offer.
  [[ $cur == = || $prev == = ]] && return 0

  case $subcommand in
    can)
      if ((${#positionals[@]} == 0)); then
        mapfile -t COMPREPLY < <(compgen -W "$(_partnerpolicy_words actions)" -- "$cur")
      else
        # The action's parameters, as "name=" with the value still to type.
        mapfile -t COMPREPLY < <(compgen -W \
          "$(_partnerpolicy_words arguments "${positionals[0]}")" -- "$cur")
        compopt -o nospace 2>/dev/null
      fi
      ;;
    plan)
      # Each step is one quoted word starting with its action; offered unquoted, to be quoted.
      mapfile -t COMPREPLY < <(compgen -W "$(_partnerpolicy_words actions)" -- "$cur")
      ;;
    explain)
      ((${#positionals[@]} == 0)) &&
        mapfile -t COMPREPLY < <(compgen -W "$(_partnerpolicy_words rules)" -- "$cur")
      ;;
    lint | test)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      ;;
    actions | alerts) ;;  # no positional arguments: flags only
    *)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
  esac
  return 0
}

complete -F _partnerpolicy partnerpolicy
