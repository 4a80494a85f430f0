#!/bin/sh
# make bench: performance figures, printed (never asserted: machines are shared and noisy).
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cc -O2 -o "$work/measure" bench/measure.c
cc -O2 -o "$work/gen_plain" bench/gen_plain.c -lgsl -lgslcblas -lm
m="$work/measure"

echo "== obl-compare vs ministat: two files of 10^6 lognormal values"
"$work/gen_plain" 1000000 4.0 0.5 1 > "$work/a.txt"
"$work/gen_plain" 1000000 4.01 0.5 2 > "$work/b.txt"
set -- $($m 3 ministat -A "$work/a.txt" "$work/b.txt")
ministat_s=$1
echo "ministat -A (summaries and Student t, no graph):   $1 s, peak $2 KiB"
set -- $($m 3 "$bin/obl-compare" --method mann-whitney "$work/a.txt" "$work/b.txt")
mw_s=$1
echo "obl-compare (parse, summaries, Mann-Whitney U, Hodges-Lehmann + CI, Welch t): $1 s, peak $2 KiB"
set -- $($m 3 "$bin/obl-compare" --method welch "$work/a.txt" "$work/b.txt")
welch_s=$1
echo "obl-compare welch (parse, summaries, t, Fieller):  $1 s, peak $2 KiB"
awk -v a="$mw_s" -v m="$ministat_s" 'BEGIN {
	printf "ratio obl-compare / ministat: %.3f\n", a / m
}'

echo
echo "== obl-ingest: a vLLM result of 100000 requests x 256 output tokens (25.6 M inter-token latencies)"
cc -O2 -o "$work/gen_vllm" bench/gen_vllm.c -lgsl -lgslcblas -lm
"$work/gen_vllm" 100000 256 64 1 "$work/values.csv" > "$work/big.json"
size=$(stat -c %s "$work/big.json")
set -- $($m 1 "$bin/obl-ingest" -q "$work/big.db" "$work/big.json")
ingest_s=$1
values=$(sqlite3 "$work/big.db" "select sum(count) from series")
dbsize=$(stat -c %s "$work/big.db")
echo "obl-ingest: $values values in $1 s, peak $2 KiB (file $size bytes, database $dbsize bytes)"
set -- $($m 1 sqlite3 "$work/floor.db" "create table sample(value REAL NOT NULL);" ".import $work/values.csv sample")
awk -v n="$values" -v t="$ingest_s" -v f="$1" -v rss="$(echo "$2")" -v size="$size" 'BEGIN {
	printf "obl-ingest: %.2f M values/s\n", n / t / 1e6
	printf "sqlite3 .import of the same values as CSV: %.2f s (%.2f M rows/s); ratio obl / import: %.2f\n", f, n / f / 1e6, t / f
}'
set -- $($m 1 "$bin/obl-ingest" -q "$work/big2.db" "$work/big.json")
awk -v kib="$2" -v size="$size" 'BEGIN { printf "peak memory / file size: %.2f\n", kib * 1024 / size }'
rm -f "$work/big.json" "$work/values.csv" "$work"/*.db*

echo
echo "== obl-compare on databases"
# (a) the seed study's shape: 7 scenarios x 5 repetitions x 100 requests, baseline + 3 candidates;
#     2 output tokens per request, so every request-level metric (TTFT, TPOT, ITL, E2EL) has 100
#     values per repetition, beside the aggregates and the success rate
for run in 0 1 2 3; do
	for c in 1 2 4 8 16 32 64; do
		for rep in 1 2 3 4 5; do
			"$work/gen_vllm" 100 2 $c $((run * 1000 + c * 10 + rep)) > "$work/r$run-c$c-$rep.json"
		done
	done
	"$bin/obl-ingest" -q -r run$run "$work/run$run.db" "$work"/r$run-*.json
done
rows=$("$bin/obl-compare" --format csv "$work/run0.db" "$work/run1.db" "$work/run2.db" "$work/run3.db" | tail -n +2 | wc -l)
set -- $($m 10 "$bin/obl-compare" "$work/run0.db" "$work/run1.db" "$work/run2.db" "$work/run3.db")
echo "seed-shaped (7 scenarios x 5 reps x 100 requests, baseline + 3 candidates, $rows rows): $1 s, peak $2 KiB"

echo
echo "== obl-report on the same seed-shaped runs (target: PDF under 0.5 s and 1 MB)"
set -- $($m 5 "$bin/obl-report" -o "$work/seed.pdf" "$work/run0.db" "$work/run1.db" "$work/run2.db" "$work/run3.db")
pages=$(pdfinfo "$work/seed.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
echo "PDF: $1 s, peak $2 KiB, $(wc -c < "$work/seed.pdf") bytes, $pages pages"
set -- $($m 5 "$bin/obl-report" -o "$work/seed.md" "$work/run0.db" "$work/run1.db" "$work/run2.db" "$work/run3.db")
echo "Markdown + $(ls "$work" | grep -c '^seed-.*svg$') SVG charts: $1 s, peak $2 KiB"

# (b) 1000 benchmarks x 20 repetitions per side, one value each (ns/op)
for side in a b; do
	for rep in $(seq 1 20); do
		awk -v seed=$rep$side -v shift=$([ $side = b ] && echo 1.01 || echo 1) 'BEGIN {
			srand(seed); print "benchmark,ns_op"
			for (i = 1; i <= 1000; i++) {
				u = rand(); v = rand(); z = sqrt(-2 * log(u)) * cos(6.283185307 * v)
				printf "Bench%04d,%.1f\n", i, 1000 * i * shift * exp(0.02 * z)
			}
		}' > "$work/$side-$rep.csv"
	done
	"$bin/obl-ingest" -q -r $side --column benchmark=@benchmark "$work/$side.db" "$work"/$side-*.csv
done
set -- $($m 10 "$bin/obl-compare" "$work/a.db" "$work/b.db")
awk -v t="$1" -v kib="$2" 'BEGIN {
	printf "1000 benchmarks x 20 repetitions per side: %.4f s, peak %d KiB; speed-up over benchstat'"'"'s 0.3 s: %.1fx\n", t, kib, 0.3 / t
}'
echo "(benchstat itself cannot be installed here: no Go module proxy; 0.3 s is the figure measured for the same data on this machine type)"
