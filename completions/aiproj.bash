# bash completion for aiproj(1)                        -*- shell-script -*-
#
# Installed as $PREFIX/share/bash-completion/completions/aiproj, where
# bash-completion finds it on first use; without bash-completion, source
# this file from ~/.bashrc.  The candidates come from the binary itself
# ("aiproj __complete next -- WORD..."): commands, verbs, options, stage and
# role names, and the projects of the store the line would use.

_aiproj()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prog=${COMP_WORDS[0]}
	local prefix= out c w i
	local -a words=()

	# bash splits "--opt=value" at "=" (COMP_WORDBREAKS): give aiproj
	# "--opt value" instead, which it reads the same way
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == = && ${#words[@]} -gt 0 && ${words[-1]} == --* ]]; then
			continue
		fi
		# a quoted word as the command will see it (roughly)
		w=${w#[\'\"]}
		w=${w%[\'\"]}
		words+=("$w")
	done
	if [[ $cur == = && ${#words[@]} -gt 0 && ${words[-1]} == --* ]]; then
		cur=
	elif [[ $cur == --*=* ]]; then
		# "=" is not a word break here: complete the value after it
		prefix=${cur%%=*}=
		words+=("${cur%%=*}")
		cur=${cur#*=}
	fi
	[[ $prog == \~/* ]] && prog=$HOME/${prog#\~/}

	out=$("$prog" __complete next -- "${words[@]}" "$cur" 2>/dev/null) ||
		return 0
	COMPREPLY=()
	if [[ $out == :file ]]; then
		compopt -o filenames 2>/dev/null
		while IFS= read -r c; do
			[[ -n $c ]] && COMPREPLY+=("$prefix$c")
		done < <(compgen -f -- "$cur")
		return 0
	fi
	while IFS= read -r c; do
		[[ -n $c && $c == "$cur"* ]] && COMPREPLY+=("$prefix$c")
	done <<<"$out"
	return 0
}
complete -F _aiproj aiproj
