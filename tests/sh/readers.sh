# Reader tests as data (tests/readers/README.md): one directory per format, each case an input
# and the canonical dump obl-ingest --dump gives of it (or its refusal: the message and exit
# status). A case whose input is in the corpus names it in CASE.corpus (a path inside
# ../shared/corpus, read in place) and is skipped when the corpus is absent.
# OBL_UPDATE=1 rewrites the .expected files from what the tools say now (review the diff).
. tests/sh/lib.sh
top=$(pwd)

# dump CASE-STEM: what the case yields, as compared with CASE.expected
dump() {
	stem=$1
	args=""
	[ -f "$stem.args" ] && args=$(cat "$stem.args")
	if [ -f "$stem.corpus" ]; then
		input=$(cat "$stem.corpus")
		dir=$corpus
	else
		input=""
		for f in "$stem".*; do
			case $f in
			*.expected | *.args | *.corpus) ;;
			*) input=${f#"$top"/} ;;
			esac
		done
		dir=$top
	fi
	# shellcheck disable=SC2086 # args are words
	(cd "$dir" && obl-ingest --dump $args "$input" 2>&1; echo "exit $?")
}

for expected in tests/readers/*/*.expected; do
	[ -f "$expected" ] || continue
	stem=${expected%.expected}
	name=${stem#tests/readers/}
	if [ -f "$stem.corpus" ] && [ -z "$corpus" ]; then
		skip "reader $name" "the corpus (../shared/corpus) is absent"
		continue
	fi
	got=$(dump "$stem")
	if [ "${OBL_UPDATE:-}" = 1 ]; then
		printf '%s\n' "$got" >"$expected"
	fi
	if [ "$got" = "$(cat "$expected")" ]; then
		ok "reader $name"
	else
		not_ok "reader $name: obl-ingest --dump differs from $expected"
		printf '%s\n' "$got" | diff -u "$expected" - | head -20
	fi
done

# Every file of the corpus has its case: read with asserted values, or refused with a reason.
if [ -n "$corpus" ]; then
	missing=$( (cd "$corpus" && find . -type f ! -name PROVENANCE.md ! -name README.md | sed 's|^\./||') |
		sort >"$work/all"
		cat tests/readers/*/*.corpus | sort >"$work/covered"
		comm -23 "$work/all" "$work/covered")
	same_text "$missing" "" "every corpus file has a reader case (tests/readers/*/*.corpus)"
else
	skip "every corpus file has a reader case" "the corpus (../shared/corpus) is absent"
fi
