# bash completion for the obl tools: obl-ingest, obl-stats, obl-compare, obl-report, obl-runs,
# obl-history.
# Options come from each tool's --help (so they are always the installed tool's), formats
# from obl-ingest --list-formats, metric names and run labels from the database on the
# command line (obl-runs DB metrics / labels). Installed by make install into
# PREFIX/share/bash-completion/completions/, one name per tool; or: source completions/obl.bash

# The first operand that is an SQLite file (an obl database), or nothing.
_obl_database()
{
	local w
	for w in "${COMP_WORDS[@]:1}"; do
		case $w in -*) continue ;; esac
		if [ -f "$w" ] && [ "$(head -c 15 "$w" 2>/dev/null)" = "SQLite format 3" ]; then
			printf '%s\n' "$w"
			return
		fi
	done
}

# The values an option lists in --help as "(a, b, c)" at the end of its line.
_obl_choices()
{
	"$1" --help 2>/dev/null | grep -E "^ +(-., )?$2 " | sed -n 's/.*(\([^()]*\))$/\1/p' | tr -d ','
}

_obl()
{
	local tool=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
	local db words
	COMPREPLY=()
	case $prev in
	-m | --metric)
		db=$(_obl_database)
		[ -n "$db" ] && words=$(obl-runs "$db" metrics 2>/dev/null)
		;;
	-b | --baseline | -c | --candidate | -r | --run)
		db=$(_obl_database)
		if [ -n "$db" ] && [ "$tool" != obl-ingest ]; then
			words=$(obl-runs "$db" labels 2>/dev/null)
		elif [ "$tool" = obl-ingest ]; then
			return # a new label: nothing to offer
		fi
		;;
	-f | --input-format)
		[ "$tool" = obl-ingest ] && words=$(obl-ingest --list-formats 2>/dev/null | cut -d' ' -f1)
		;;
	--format | --method | --correction | --unit | --family)
		words=$(_obl_choices "$tool" "$prev")
		;;
	-o | --output | -g | --gate | --template)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-t | --tag | -s | --scenario | --threshold | --stat | -a | --alpha | --confidence | \
	--seed | -C | --column | -d | --delimiters | --title | --slo | --by | --ignore-key | \
	--skip-reps | --unit-name)
		return # a value the user types
		;;
	esac
	if [ -n "$words" ]; then
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	if [ "$tool" = obl-runs ] && [ -n "$(_obl_database)" ] && [ "$COMP_CWORD" -ge 2 ]; then
		case $prev in
		remove | rename) COMPREPLY=($(compgen -W "$(obl-runs "$(_obl_database)" labels 2>/dev/null)" -- "$cur")); return ;;
		esac
		case $cur in -*) ;; *)
			[ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "list remove rename labels metrics" -- "$cur")) && return ;;
		esac
	fi
	case $cur in
	-*)
		words=$("$tool" --help 2>/dev/null | grep -oE '(^| )--?[a-zA-Z][-a-zA-Z]*' | tr -d ' ')
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		;;
	*)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
}

complete -o filenames -F _obl obl-ingest obl-stats obl-compare obl-report obl-runs obl-history
