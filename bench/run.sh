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
