#!/bin/sh
# make valgrind: each tool's main paths under valgrind; fails on a leak or invalid access.
set -u
bin=${1:-build}/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
g=examples/gpu-h100
status=0
run() {
	valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		-q "$@" >/dev/null 2>"$work/err"
	if [ $? -eq 99 ]; then
		echo "valgrind: errors in: $*"
		cat "$work/err"
		status=1
	else
		echo "valgrind: clean: $*"
	fi
}
run "$bin/obl-ingest" -q -r base "$work/b.db" $g/baseline/S1-*.json $g/baseline/meta.json $g/baseline/nvidia-smi.csv
run "$bin/obl-ingest" -q -r cand "$work/c.db" $g/cand-fp32/S1-*.json $g/cand-fp32/meta.json
run "$bin/obl-ingest" "$work/b.db" tests/data/ingest/truncated.json
run "$bin/obl-ingest" -q "$work/x.db" tests/data/ingest/runs.csv
run "$bin/obl-stats" "$work/b.db"
run "$bin/obl-stats" --format json examples/plain/ttft-baseline.txt
run "$bin/obl-stats" --check "$work/b.db"
# read-only (immutable) opening, and an error message that escapes a token from the file
mkdir "$work/ro" && cp "$work/b.db" "$work/ro/b.db" && chmod 444 "$work/ro/b.db"
run "$bin/obl-stats" --format md "$work/ro/b.db"
printf '1\n2\n\033]52;c;eA==\007\n' >"$work/e.txt"
run "$bin/obl-stats" "$work/e.txt"
run "$bin/obl-compare" examples/plain/ttft-baseline.txt examples/plain/ttft-fp32.txt
run "$bin/obl-compare" --stat median,p99 --format json "$work/b.db" "$work/c.db"
run "$bin/obl-compare" --format junit "$work/b.db" "$work/x.db"
run "$bin/obl-compare" tests/data/go/old.txt tests/data/go/new.txt
run "$bin/obl-compare" tests/data/gbench/gbench-reps.json tests/data/gbench/gbench-reps-2.json
run "$bin/obl-ingest" -q "$work/g.db" tests/data/gbench/gbench-reps.json tests/data/hyperfine/hyperfine-param.json tests/data/pytest-benchmark/pytest-benchmark.json tests/data/mlperf/llama2-70b-server-summary.txt tests/data/mlperf/resnet50-singlestream-detail-excerpt.txt tests/data/criterion/run1/target/criterion/fib/10/new/sample.json
run "$bin/obl-report" -o "$work/r.pdf" "$work/b.db" "$work/c.db"
run "$bin/obl-report" -o "$work/r.md" "$work/b.db" "$work/c.db"
run "$bin/obl-report" --format html "$work/b.db" "$work/c.db"
# a history: the float32 run after the baseline, merged from the two job databases
run "$bin/obl-ingest" -q "$work/h.db" "$work/b.db" "$work/c.db"
run "$bin/obl-history" "$work/h.db"
run "$bin/obl-history" --format json --metric ttft_ms "$work/h.db"
run "$bin/obl-history" --check-latest --format md "$work/h.db"
run "$bin/obl-report" --history -o "$work/h.pdf" "$work/h.db"
run "$bin/obl-report" --history -o "$work/h.md" "$work/h.db"
exit $status
