# A comparison of many benchmarks: above a few hundred rows the tests run in parts and the
# text table is formatted in parts, in parallel. Every row must be what the same benchmark
# gives compared alone (serially), the table must list the rows in order, and the output must
# not depend on the number of threads.
. tests/sh/lib.sh
gen() { # SEED SHIFT: 300 Go benchmarks x 20 runs, ns/op lognormal, B/op constant
	awk -v seed="$1" -v shift="$2" 'BEGIN {
		srand(seed); print "goos: linux"; print "pkg: example.com/many"
		for (i = 1; i <= 300; i++)
			for (r = 1; r <= 20; r++) {
				u = rand(); v = rand(); z = sqrt(-2 * log(u)) * cos(6.283185307 * v)
				s = i % 3 == 0 ? shift : 1
				printf "BenchmarkM%03d-8\t 1000\t %.1f ns/op\t 64 B/op\n", i, 1000 * i * s * exp(0.05 * z)
			}
	}'
}
gen 11 1 > "$work/a.txt"
gen 12 1.05 > "$work/b.txt"
obl-compare --format csv "$work/a.txt" "$work/b.txt" > "$work/all.csv"
obl-compare "$work/a.txt" "$work/b.txt" > "$work/all.txt"
same_text "$(($(wc -l < "$work/all.csv") - 1))" 600 "300 benchmarks x 2 metrics: 600 rows"

# Every row against the same benchmarks compared in three runs of 100 (200 rows each: below
# the threads' threshold, so computed and printed serially). Every field but the adjusted
# p-value and the verdict, which depend on the family's size.
: > "$work/serial.csv"
for part in 0 1 2; do
	for side in a b; do
		awk -v lo=$((part * 100 + 1)) -v hi=$((part * 100 + 100)) '
			!/^Benchmark/ { print; next }
			{ i = substr($1, 11, 3) + 0; if (i >= lo && i <= hi) print }' \
			"$work/$side.txt" > "$work/$side$part.txt"
	done
	obl-compare --format csv "$work/a$part.txt" "$work/b$part.txt" | sed 1d >> "$work/serial.csv"
done
sed 1d "$work/all.csv" | cut -d, -f1-15,17-22 > "$work/threaded"
cut -d, -f1-15,17-22 "$work/serial.csv" > "$work/serial"
same_text "$(wc -l < "$work/serial" | tr -d ' ') $(cmp -s "$work/serial" "$work/threaded" && echo same)" \
	"600 same" "all 600 rows: the same tests, estimates and intervals as computed serially"

# The text table: the rows of the CSV, in its order, with its changes.
awk -F, 'NR > 1 { printf "%s %s %+.2f%%\n", $1, $2, $20 * 100 }' "$work/all.csv" > "$work/want"
# fields: scenario, metric, (unit), center (may have spaces), n, baseline, candidate, change:
# the change is the first field that is a signed percentage
awk '/^benchmark=/ { for (i = 3; i <= NF; i++) if ($i ~ /^[+-][0-9.]+%$/) break
	print $1, $2, $i }' "$work/all.txt" > "$work/got"
same_text "$(cmp -s "$work/want" "$work/got" && echo same || diff "$work/want" "$work/got" | head -3)" \
	same "the text table lists all 600 rows in order, each with its own change"

# The same comparison on one thread and on five (more parts than this machine has CPUs):
# byte for byte the same output.
OBL_THREADS=1 obl-compare "$work/a.txt" "$work/b.txt" > "$work/one.txt"
OBL_THREADS=5 obl-compare --format csv "$work/a.txt" "$work/b.txt" > "$work/five.csv"
OBL_THREADS=5 obl-compare "$work/a.txt" "$work/b.txt" > "$work/five.txt"
same_text "$(cmp -s "$work/one.txt" "$work/all.txt" && cmp -s "$work/five.txt" "$work/all.txt" &&
	cmp -s "$work/five.csv" "$work/all.csv" && echo same)" same \
	"one thread, five threads and the default give the same table and CSV"
