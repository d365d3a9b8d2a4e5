# bash completion for attrledger. Commands and options are read from the
# tool's own help (`attrledger help --commands`, `attrledger help CMD`), so
# they always match the installed version.
_attrledger() {
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    }
    local prog=${words[0]} cmd="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -C | --ledger | --passphrase-file) ((i++)) ;;
        -*) ;;
        *) cmd=${words[i]}; break ;;
        esac
    done
    case $prev in
    -C | --ledger)
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    esac
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "-C --ledger --json -q --quiet --passphrase-file -h --help --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$("$prog" help --commands 2>/dev/null) help" -- "$cur"))
        fi
        return
    fi
    if [[ $cmd == new && $cur != -* ]]; then
        COMPREPLY=($(compgen -W "$("$prog" new 2>/dev/null | awk 'NR > 1 {print $1}')" -- "$cur"))
        return
    fi
    if [[ $cmd == help ]]; then
        COMPREPLY=($(compgen -W "$("$prog" help --commands 2>/dev/null)" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        local opts
        opts=$("$prog" help "$cmd" 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _attrledger attrledger
