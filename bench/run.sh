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

echo "== SHA-256 (the fingerprint of every ingested file): nettle through obl_sha256_hex"
cc -O2 -Ilibobl/base -o "$work/sha256" bench/sha256.c "$build/libobl.a" -lnettle
set -- $("$work/sha256" 256 5)
echo "obl_sha256_hex over 256 MiB, best of 5: $1 MB/s"
echo

# The floors of a comparison of result files: obl's own readers alone (read), and that plus
# sorting every series (sort), both files in parallel as obl-compare reads them.
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Ilibobl/include -Ilibobl/base -Ilibobl/model \
	-Ilibobl/read -Ilibstats -o "$work/floor" bench/floor.c "$build/libobl.a" "$build/libstats.a" \
	-pthread -lsqlite3 -lpq -lcsv -lhpdf -lgsl -lgslcblas -lcjson -lutf8proc -lnettle -lm

echo "== Plain numbers: obl-compare a.txt b.txt against ministat -A, measured here in the same run"
echo "   (lognormal values as bench/gen_plain writes them; best of 3 wall times, peak resident memory;"
echo "   targets at 2 x 10^7 values: <= 16 bytes per value, >= 1.5x faster than ministat -A;"
echo "   floors: obl's plain reader alone on both files, and reading plus sorting both sides)"
printf "%10s | %9s %9s | %9s %9s %7s %7s | %8s %8s\n" "per side" "ministat" "MiB" "obl" "MiB" \
	"B/value" "speedup" "read" "read+sort"
for n in 1000 10000 100000 1000000 ${BENCH_LARGE:+10000000}; do
	"$work/gen_plain" $n 4.0 0.5 1 > "$work/a.txt"
	"$work/gen_plain" $n 4.01 0.5 2 > "$work/b.txt"
	set -- $($m 3 ministat -A "$work/a.txt" "$work/b.txt")
	ms_s=$1 ms_kib=$2
	set -- $($m 3 "$bin/obl-compare" "$work/a.txt" "$work/b.txt")
	obl_s=$1 obl_kib=$2
	set -- $($m 3 "$work/floor" read "$work/a.txt" "$work/b.txt")
	read_s=$1
	set -- $($m 3 "$work/floor" sort "$work/a.txt" "$work/b.txt")
	awk -v n=$n -v ms="$ms_s" -v mk="$ms_kib" -v os="$obl_s" -v ok="$obl_kib" -v rs="$read_s" \
		-v ss="$1" 'BEGIN {
		printf "%10d | %8.3fs %9.1f | %8.3fs %9.1f %7.1f %6.2fx | %7.3fs %7.3fs\n", n, ms, mk / 1024,
			os, ok / 1024, ok * 1024 / (2 * n), ms / os, rs, ss
	}'
done
if [ -z "${BENCH_LARGE:-}" ]; then
	echo "   (10^7 values a side with BENCH_LARGE=1: about a minute more)"
fi
set -- $($m 3 "$bin/obl-compare" --method welch "$work/a.txt" "$work/b.txt")
echo "obl-compare --method welch at the largest size (parse, summaries, t, Fieller): $1 s, peak $2 KiB"
rm -f "$work/a.txt" "$work/b.txt"

echo
echo "== obl-ingest: a vLLM result of 100000 requests x 256 output tokens (25.6 M inter-token latencies)"
echo "   (targets, issue #16: 10 M values/s, peak memory at most the file's size, 10 bytes a value on disk)"
cc -O2 -o "$work/gen_vllm" bench/gen_vllm.c -lgsl -lgslcblas -lm
cc -O2 -std=c11 -Ilibobl/include -Ilibobl/base -o "$work/parse_floor" bench/parse_floor.c \
	"$build/libobl.a" -lutf8proc -lm
"$work/gen_vllm" 100000 256 64 1 "$work/values.csv" > "$work/big.json"
size=$(stat -c %s "$work/big.json")
set -- $($m 1 "$bin/obl-ingest" -q "$work/big.db" "$work/big.json")
ingest_s=$1 ingest_kib=$2
values=$(sqlite3 "$work/big.db" "select sum(count) from series")
dbsize=$(stat -c %s "$work/big.db")
echo "obl-ingest: $values values in $1 s, peak $2 KiB (file $size bytes, database $dbsize bytes)"
set -- $("$work/parse_floor" "$work/big.json")
floor_s=$1
set -- $($m 1 sqlite3 "$work/floor.db" "create table sample(value REAL NOT NULL);" ".import $work/values.csv sample")
awk -v n="$values" -v t="$ingest_s" -v f="$1" -v p="$floor_s" -v kib="$ingest_kib" -v size="$size" -v db="$dbsize" 'BEGIN {
	printf "obl-ingest: %.2f M values/s; floor, parsing the file'"'"'s numbers alone (obl_parse_double): %.2f s, %.2f M values/s (obl at %.1fx the floor)\n", n / t / 1e6, p, n / p / 1e6, t / p
	printf "sqlite3 .import of the same values as CSV, one row each: %.2f s (%.2f M rows/s); ratio obl / import: %.2f\n", f, n / f / 1e6, t / f
	printf "peak memory / file size: %.2f; database: %.2f bytes a value\n", kib * 1024 / size, db / n
}'
rm -f "$work/big.json" "$work/values.csv" "$work"/*.db*

echo
echo "== How the costs of a store grow: a vLLM run of R requests x 32 tokens (34 values a request),"
echo "   ingested, described (obl-stats) and compared with another (obl-compare), beside the floors:"
echo "   parsing the file's numbers alone, and sqlite3 reading every stored byte of both databases"
echo "   (BENCH_LARGE=1 adds 10^7 values; issue #16 quotes 34 M: 44 s and 4.7 GB before schema 5)"
sizes="30 300 3000 30000"
[ -n "${BENCH_LARGE:-}" ] && sizes="$sizes 300000"
printf "%9s %10s %8s %10s %8s %8s %10s %8s %10s %8s %8s\n" values "ingest s" "M/s" "peak KiB" "floor s" "B/value" \
	"stats s" "peak KiB" "compare s" "peak KiB" "read s"
for r in $sizes; do
	"$work/gen_vllm" $r 32 64 1 > "$work/s1.json"
	"$work/gen_vllm" $r 32 64 2 > "$work/s2.json"
	set -- $($m 1 "$bin/obl-ingest" -q -r s1 "$work/s1.db" "$work/s1.json")
	ing_s=$1 ing_kib=$2
	"$bin/obl-ingest" -q -r s2 "$work/s2.db" "$work/s2.json"
	n=$(sqlite3 "$work/s1.db" "select sum(count) from series")
	fl=$("$work/parse_floor" "$work/s1.json" | cut -d' ' -f1)
	set -- $($m 3 "$bin/obl-stats" "$work/s1.db")
	st_s=$1 st_kib=$2
	set -- $($m 3 "$bin/obl-compare" "$work/s1.db" "$work/s2.db")
	cmp_s=$1 cmp_kib=$2
	set -- $($m 3 sh -c "sqlite3 '$work/s1.db' 'select count(substr(data, 1, 1)) from sample_block' && sqlite3 '$work/s2.db' 'select count(substr(data, 1, 1)) from sample_block'")
	awk -v n="$n" -v is="$ing_s" -v ik="$ing_kib" -v fl="$fl" -v db="$(stat -c %s "$work/s1.db")" -v ss="$st_s" -v sk="$st_kib" \
		-v cs="$cmp_s" -v ck="$cmp_kib" -v rs="$1" 'BEGIN {
		printf "%9d %10.3f %8.2f %10d %8.3f %8.2f %10.3f %8d %10.3f %8d %8.3f\n", n, is, n / is / 1e6, ik, fl, db / n, ss, sk, cs, ck, rs
	}'
	rm -f "$work"/s1.* "$work"/s2.*
done
echo "(per value, a flat column means linear cost; the constant of a small run is the process and SQLite's page cache;"
echo " obl-compare's time on large runs is the Hodges-Lehmann estimate and Mann-Whitney test of the pooled requests)"

echo
echo "== Two vLLM runs compared (issue #16 target 4: 34 M values a side in <= 5 s and <= 1 GB)."
echo "   One repetition a side pools the requests: Mann-Whitney and the Hodges-Lehmann estimate and"
echo "   interval of the candidate - baseline differences, on the values and on their logs (6 exact"
echo "   selections among n x n differences per metric). Five repetitions a side test one median each."
echo "   Floor: sorting both sides' values (stats_sort, as the plain-numbers floor above)."
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Ilibstats -o "$work/sort_floor" bench/sort_floor.c \
	"$build/libstats.a" -lgsl -lgslcblas -lm
big="100000"
[ -n "${BENCH_LARGE:-}" ] && big="$big 1000000"
printf "%9s %5s %11s %10s %10s %8s
" "values" reps "compare s" "peak KiB" "B/value" "sort s"
for r in $big; do
	for reps in 1 5; do
		for side in 1 2; do
			files=""
			for k in $(seq $reps); do
				"$work/gen_vllm" $((r / reps)) 32 64 $((side * 10 + k)) > "$work/v$side-$k.json"
				files="$files $work/v$side-$k.json"
			done
			"$bin/obl-ingest" -q -r v$side "$work/v$side.db" $files
			rm -f $files
		done
		n=$(sqlite3 "$work/v1.db" "select sum(count) from series")
		set -- $($m 1 "$bin/obl-compare" "$work/v1.db" "$work/v2.db")
		cs=$1 ck=$2
		set -- $("$work/sort_floor" "$n")
		awk -v n="$n" -v reps="$reps" -v cs="$cs" -v ck="$ck" -v fl="$1" 'BEGIN {
			printf "%9d %5d %11.2f %10d %10.1f %8.2f\n", n, reps, cs, ck, ck * 1024 / (2 * n), fl
		}'
		rm -f "$work"/v1.db* "$work"/v2.db*
	done
done
if [ -z "${BENCH_LARGE:-}" ]; then
	echo "   (BENCH_LARGE=1 adds 34 M values a side, the target's size: about 3 minutes more)"
fi

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

# (b) N benchmarks x 20 repetitions per side, compared as files and end to end (ingest both
#     sides + compare), in the two formats benchstat and compare.py read: Go's text (-count=20)
#     and Google Benchmark JSON (--benchmark_repetitions=20, with the _mean/_median/_stddev/_cv
#     rows it writes).
gen_go() { # N SEED SHIFT
	awk -v n="$1" -v seed="$2" -v shift="$3" 'BEGIN {
		srand(seed); print "goos: linux"; print "goarch: amd64"; print "pkg: example.com/bench"
		for (i = 1; i <= n; i++)
			for (r = 1; r <= 20; r++) {
				u = rand(); v = rand(); z = sqrt(-2 * log(u)) * cos(6.283185307 * v)
				printf "BenchmarkB%05d-8\t 1000000\t %.1f ns/op\t %d B/op\t %d allocs/op\n", i, 1000 * i * shift * exp(0.02 * z), 64, 1
			}
		print "PASS"
	}'
}
gen_gbench() { # N SEED SHIFT
	awk -v n="$1" -v seed="$2" -v shift="$3" 'BEGIN {
		srand(seed)
		print "{\"context\": {\"date\": \"2026-11-30T00:00:00+00:00\", \"num_cpus\": 2, \"library_build_type\": \"release\"},"
		printf "\"benchmarks\": ["
		first = 1
		for (i = 1; i <= n; i++) {
			sum = 0
			for (r = 0; r < 20; r++) {
				u = rand(); v = rand(); z = sqrt(-2 * log(u)) * cos(6.283185307 * v)
				t = 1000 * i * shift * exp(0.02 * z); sum += t
				printf "%s\n{\"name\": \"BM_%05d\", \"run_name\": \"BM_%05d\", \"run_type\": \"iteration\", \"repetitions\": 20, \"repetition_index\": %d, \"threads\": 1, \"iterations\": 1000000, \"real_time\": %.3f, \"cpu_time\": %.3f, \"time_unit\": \"ns\"}", first ? "" : ",", i, i, r, t, t * 0.99
				first = 0
			}
			split("mean median stddev cv", agg, " ")
			for (k = 1; k <= 4; k++)
				printf ",\n{\"name\": \"BM_%05d_%s\", \"run_name\": \"BM_%05d\", \"run_type\": \"aggregate\", \"repetitions\": 20, \"threads\": 1, \"aggregate_name\": \"%s\", \"iterations\": 20, \"real_time\": %.3f, \"cpu_time\": %.3f, \"time_unit\": \"ns\"}", i, agg[k], i, agg[k], sum / 20, sum / 20
		}
		print "\n]}"
	}'
}
# Peak memory against the input: both files' bytes, in MiB.
input_mib() { echo $(($(stat -c %s "$1") + $(stat -c %s "$2"))) | awk '{ printf "%.1f", $1 / 1048576 }'; }
echo
echo "== Benchmark files compared directly (what benchstat and compare.py do): N benchmarks x 20"
echo "   repetitions per side; best of 3; floor: obl's reader alone on both files, in parallel"
echo "   (targets for Google Benchmark JSON: linear from 10^3 to 10^4 benchmarks, peak <= 2x the input)"
printf "%-6s %6s | %9s | %8s %13s %9s %8s | %8s\n" format N "input MiB" obl "us/benchmark" "peak MiB" \
	"x input" "read"
for fmt in go gbench; do
	ext=$([ $fmt = go ] && echo txt || echo json)
	for n in 100 1000 10000; do
		gen_$fmt $n 1 1 > "$work/a.$ext"
		gen_$fmt $n 2 1.01 > "$work/b.$ext"
		in_mib=$(input_mib "$work/a.$ext" "$work/b.$ext")
		set -- $($m 3 "$bin/obl-compare" "$work/a.$ext" "$work/b.$ext")
		files=$1 files_kib=$2
		set -- $($m 3 "$work/floor" read "$work/a.$ext" "$work/b.$ext")
		awk -v fmt=$fmt -v n=$n -v in_mib="$in_mib" -v f="$files" -v k="$files_kib" -v r="$1" 'BEGIN {
			printf "%-6s %6d | %9.1f | %7.3fs %13.0f %9.1f %7.2fx | %7.3fs\n", fmt, n, in_mib, f,
				f / n * 1e6, k / 1024, k / 1024 / in_mib, r
		}'
		if [ "$n" -eq 1000 ]; then # the JSON renderer (a cJSON tree laid out by json_write.c)
			set -- $($m 3 "$bin/obl-compare" --format json "$work/a.$ext" "$work/b.$ext")
			"$bin/obl-compare" --format json "$work/a.$ext" "$work/b.$ext" > "$work/out.json" || true
			echo "       as --format json ($(wc -c < "$work/out.json") bytes): $1 s, peak $2 KiB"
		fi
	done
done
echo "benchstat (Go) and compare.py (Google Benchmark) cannot be installed here (no Go module proxy,"
echo "no PyPI), so no ratio against them is measured by this script. Quoted from elsewhere, not"
echo "measured in this run: issue #16 reports obl 18-26x faster than benchstat (CPU) on 1000-10000"
echo "Go benchmarks x 20, and 30-33x faster than compare.py on Google Benchmark JSON (compare.py did"
echo "not finish 10000 benchmarks in 150 s), both on this machine type."

echo
echo "== Benchmark files through databases: ingest both sides, then compare"
for fmt in go gbench; do
	ext=$([ $fmt = go ] && echo txt || echo json)
	for n in 250 500 1000 2000; do
		gen_$fmt $n 1 1 > "$work/a.$ext"
		gen_$fmt $n 2 1.01 > "$work/b.$ext"
		set -- $($m 5 sh -c "rm -f '$work/a.db' '$work/b.db' && '$bin/obl-ingest' -q '$work/a.db' '$work/a.$ext' && '$bin/obl-ingest' -q '$work/b.db' '$work/b.$ext' && '$bin/obl-compare' '$work/a.db' '$work/b.db'")
		awk -v fmt=$fmt -v n=$n -v t="$1" 'BEGIN {
			printf "%-6s %4d benchmarks x 20 repetitions per side: ingest + compare %.3f s (%.0f us per benchmark)\n", fmt, n, t, t / n * 1e6
		}'
	done
done
rm -f "$work"/a.txt "$work"/b.txt "$work"/a.json "$work"/b.json "$work"/a.db "$work"/b.db

echo
echo "== obl-ingest scaling: CSV of N columns (3 rows), and of N scenarios (one row each)"
for n in 1000 10000 100000 1000000; do
	awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "%sm%d_ms", (i ? "," : ""), i; print "";
		for (r = 0; r < 3; r++) { for (i = 0; i < n; i++) printf "%s%d.%d", (i ? "," : ""), i, r; print "" } }' \
		>"$work/cols.csv"
	set -- $($m 1 "$bin/obl-ingest" -q -f csv "$work/cols$n.db" "$work/cols.csv")
	cols_s=$1 cols_kib=$2
	awk -v n=$n 'BEGIN { print "input_len,ttft_ms"; for (i = 0; i < n; i++) printf "%d,%d.5\n", i, i % 100 }' \
		>"$work/scen.csv"
	set -- $($m 1 "$bin/obl-ingest" -q -f csv "$work/scen$n.db" "$work/scen.csv")
	printf "%8d: columns %6.2f s (%6.2f us each, peak %d KiB); scenarios %6.2f s (%6.2f us each, peak %d KiB)\n" \
		$n "$cols_s" "$(awk -v t="$cols_s" -v n=$n 'BEGIN { print t / n * 1e6 }')" "$cols_kib" \
		"$1" "$(awk -v t="$1" -v n=$n 'BEGIN { print t / n * 1e6 }')" "$2"
	rm -f "$work/cols.csv" "$work/scen.csv" "$work"/cols$n.db* "$work"/scen$n.db*
done

echo
echo "== Opening costs the same at any size: a tiny ingest and obl-stats of one run, small vs 1 GB database"
g=examples/gpu-h100/baseline
"$bin/obl-ingest" -q -r base "$work/small.db" $g/S1-in64-out128-c1-rep1.json
cp "$work/small.db" "$work/large.db"
# About 1 GB of other rows beside the run (2 million rows of 500 bytes, b-tree pages that a
# check over the whole file would read and parse; made by sqlite3 in about 20 s).
sqlite3 "$work/large.db" "CREATE TABLE filler(b BLOB); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) INSERT INTO filler SELECT randomblob(500) FROM c;"
for db in small large; do
	size=$(stat -c %s "$work/$db.db")
	for k in 1 2 3; do printf '%d\n%d\n%d\n' $k $((k + 1)) $((k + 2)) >"$work/tiny$k.txt"; done
	best=9999
	for k in 1 2 3; do
		set -- $($m 1 "$bin/obl-ingest" -q -r tiny "$work/$db.db" "$work/tiny$k.txt")
		best=$(awk -v a="$best" -v b="$1" 'BEGIN { print (b < a ? b : a) }')
	done
	set -- $($m 3 "$bin/obl-stats" -r base "$work/$db.db")
	printf "%-5s (%10d bytes): tiny ingest %.3f s (best of 3); obl-stats -r base %.3f s\n" $db "$size" "$best" "$1"
done
set -- $($m 1 "$bin/obl-stats" --check "$work/large.db")
echo "obl-stats --check of the 1 GB database (every page, the explicit full check): $1 s"
rm -f "$work"/small.db* "$work"/large.db*

echo
echo "== Bounded reads: /dev/zero refused at the limit (OBL_MAX_INPUT_MB=256)"
set -- $(OBL_MAX_INPUT_MB=256 $m 1 "$bin/obl-stats" /dev/zero 2>/dev/null)
echo "obl-stats /dev/zero: $1 s, peak $2 KiB (limit 262144 KiB)"

echo
echo "== obl-history: a year of nightly runs (and more) x 100 series, 3 repetitions, 3 level shifts of 10% per series"
echo "   (HISTORY_RUNS sets the sizes; times are wall and CPU: on a shared machine CPU is the steadier figure;"
echo "   the floor inserts the rows the merge writes, statements prepared once: bench/merge_floor.c)"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Ilibobl/include -Ilibobl/base -Ilibobl/model \
	-Ilibobl/read -Ilibobl/store -Ilibstats -o "$work/gen_history" bench/gen_history.c \
	"$build/libobl.a" "$build/libstats.a" -pthread -lsqlite3 -lpq -lcsv -lhpdf -lgsl -lgslcblas \
	-lcjson -lutf8proc -lnettle -lm
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Ilibobl/include -Ilibobl/base -Ilibobl/model \
	-Ilibobl/read -Ilibobl/store -Ilibstats -o "$work/merge_floor" bench/merge_floor.c \
	"$build/libobl.a" "$build/libstats.a" -pthread -lsqlite3 -lpq -lcsv -lhpdf -lgsl -lgslcblas \
	-lcjson -lutf8proc -lnettle -lm
timed() { # label command...: wall s, CPU s (user + sys), peak KiB; CPU s and peak also to $work/growth
	label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/out" 2>/dev/null || true
	awk -v l="$label" '{ printf "  %-34s %7.2f s wall %7.2f s CPU %8d KiB peak\n", l, $1, $2 + $3, $4 }' "$work/time"
	awk -v l="$label" -v r="$runs" '{ printf "%s\t%s\t%.2f\t%d\n", l, r, $2 + $3, $4 }' "$work/time" >> "$work/growth"
}
: > "$work/growth"
for runs in ${HISTORY_RUNS:-100 1000 10000}; do
	rm -f "$work"/job-*.db "$work/history.db"
	"$work/gen_history" "$work/job" "$runs" 100 3 10 1
	echo "$runs runs x 100 series ($((runs * 100 * 3)) repetition values, 10 job databases):"
	timed "obl-ingest history.db job-*.db" "$bin/obl-ingest" -q "$work/history.db" "$work"/job-*.db
	before=$(sqlite3 "$work/history.db" .sha3sum)
	timed "the same merge again (all there)" "$bin/obl-ingest" -q "$work/history.db" "$work"/job-*.db
	if [ "$(sqlite3 "$work/history.db" .sha3sum)" = "$before" ]; then
		echo "    changed nothing (.sha3sum the same)"
	else
		echo "    CHANGED the history"
	fi
	rm -f "$work"/floor.db*
	timed "floor: SQLite inserts, no merge" "$work/merge_floor" "$work/floor.db" "$runs" 100 3
	rm -f "$work"/floor.db*
	timed "obl-history history.db" "$bin/obl-history" "$work/history.db"
	echo "    $(head -n 1 "$work/out")"
	timed "obl-history --check-latest" "$bin/obl-history" --check-latest "$work/history.db"
	echo "    $(tail -n 2 "$work/out" | head -n 1)"
	timed "obl-report --history" "$bin/obl-report" --history "$work/history.db" -o "$work/history.pdf"
	rm -f "$work/history.pdf"
done
echo "the analysis alone (no store: 100 series built in memory, obl_history_detect on all threads):"
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Ilibobl/include -Ilibobl/base -Ilibobl/model \
	-Ilibobl/read -Ilibobl/store -Ilibobl/compare -Ilibobl/history -Ilibstats \
	-o "$work/history_detect" bench/history_detect.c "$build/libobl.a" "$build/libstats.a" \
	-pthread -lsqlite3 -lpq -lcsv -lhpdf -lgsl -lgslcblas -lcjson -lutf8proc -lnettle -lm
for runs in ${HISTORY_RUNS:-100 1000 10000}; do
	set -- $("$work/history_detect" "$runs" 100 1)
	echo "  $runs runs: $1 change points (3 shifts a series), $2 short excursions, $3 s CPU"
	printf 'analysis alone\t%s\t%s\t0\n' "$runs" "$3" >> "$work/growth"
done
echo "growth from the smallest to the largest history (CPU, peak memory):"
awk -F '\t' '!($1 in first) { first[$1] = $3; fr[$1] = $2; fm[$1] = $4; order[n++] = $1 }
	{ last[$1] = $3; lr[$1] = $2; lm[$1] = $4 }
	END { for (i = 0; i < n; i++) { k = order[i]
		printf "  %-34s x%.0f runs: CPU x%.1f", k, lr[k] / fr[k],
			(first[k] > 0 ? last[k] / first[k] : 0)
		if (fm[k] > 0)
			printf ", peak x%.1f", lm[k] / fm[k]
		printf "\n" } }' "$work/growth"

echo
echo "== PostgreSQL: a team store (bench/pg.sh; PG_HISTORY_RUNS sets the history's size)"
sh bench/pg.sh "$build" "$work"
