# Bash completion (completions/obl.bash): options from each tool's --help, formats from
# obl-ingest --list-formats, metric names and run labels from the database on the line.
. tests/sh/lib.sh
if ! command -v bash >/dev/null 2>&1; then
	skip "bash completion" "bash not installed"
	exit 0
fi
obl-ingest -q -r baseline "$work/base.db" examples/gpu-h100/baseline/*.json
obl-ingest -q -r cand-fp32 "$work/base.db" examples/gpu-h100/cand-fp32/*.json
# complete WORDS...: what the completion offers for the last word, sorted, on one line
complete_words() {
	bash -c '. completions/obl.bash
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _obl
printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' complete "$@"
}
same_text "$(complete_words obl-compare --met)" "--method --metric " "options of obl-compare from its --help"
same_text "$(complete_words obl-compare --format j)" "json junit " "obl-compare --format: its choices"
same_text "$(complete_words obl-ingest -f hyp)" "hyperfine " "obl-ingest -f: the formats it reads"
same_text "$(complete_words obl-compare "$work/base.db" -m tt)" "ttft_ms " "-m: the metric names of the database on the line"
same_text "$(complete_words obl-compare "$work/base.db" -b "")" "baseline cand-fp32 " "-b: the run labels of the database"
same_text "$(complete_words obl-runs "$work/base.db" re)" "remove rename " "obl-runs: its verbs"
same_text "$(complete_words obl-runs "$work/base.db" remove c)" "cand-fp32 " "obl-runs remove: the run labels"
same_text "$(complete_words obl-history "$work/base.db" -m tt)" "ttft_ms " "obl-history -m: the metric names of the database"
same_text "$(complete_words obl-history --sc)" "--scenario " "obl-history offers --scenario"
same_text "$(complete_words obl-report --history "$work/base.db" -m tt)" "ttft_ms " "obl-report --history -m: the metric names"
