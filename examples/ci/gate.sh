#!/bin/sh
# gate.sh BASE.db CAND.db [SUMMARY.md]: the pull request's verdict.
# Writes a Markdown summary (the verdict table, then the report with its charts as Mermaid
# blocks) to SUMMARY.md (default summary.md), prints GitHub workflow annotations (::error for
# a regression, ::warning for an inconclusive gating row) on standard output, and exits as
# obl-compare does: 0 no regression, 1 a regression, 2 or 3 on an error.
set -u
base=${1:?usage: gate.sh BASE.db CAND.db [SUMMARY.md]}
cand=${2:?usage: gate.sh BASE.db CAND.db [SUMMARY.md]}
summary=${3:-summary.md}
gate=$(dirname "$0")/perf-gate.txt

obl-compare --gate "$gate" --format github "$base" "$cand"
status=$?
case $status in 0 | 1) ;; *) exit "$status" ;; esac
{
	if [ "$status" -eq 1 ]; then
		echo "## Performance gate: regression"
	else
		echo "## Performance gate: pass"
	fi
	echo
	obl-compare --gate "$gate" --format md "$base" "$cand"
	echo
	echo "<details><summary>Report (charts, capacity, methodology)</summary>"
	echo
	obl-report --gate "$gate" "$base" "$cand"
	echo
	echo "</details>"
} >"$summary"
exit "$status"
