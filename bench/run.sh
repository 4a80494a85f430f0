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
