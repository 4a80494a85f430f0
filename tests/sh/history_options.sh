# obl-history's options and outputs as a person meets them: a mistyped --metric is a usage
# error naming the closest metric (it gave "0 series" and exit 0, or an unrelated complaint
# from the gate); negative counts are refused naming the option (they were taken as "not
# given"); a metric's own --threshold sets the change points' threshold only with --metric,
# so the header's threshold is the one applied; text counts runs from 1; a Markdown
# sparkline's change marker does not split its table cell.
. tests/sh/lib.sh
for i in 1 2 3 4 5 6 7 8; do
	f=1000
	[ $i -ge 6 ] && f=1150 # slower from night 6 on
	awk -v f=$f -v s=$i 'BEGIN { srand(s); print "goos: linux";
		for (k = 0; k < 5; k++) printf "BenchmarkParse-8   \t1000\t%.1f ns/op\n", f * (1 + 0.01 * (rand() - 0.5));
		print "PASS" }' > "$work/r$i.txt"
	obl-ingest -q -r night$i -t date=2026-11-0$i "$work/g.db" "$work/r$i.txt"
done

obl-history --metric ns_per_oq "$work/g.db" > "$work/out" 2> "$work/err"
same_text "$?|$(wc -c < "$work/out")" "2|0" "a mistyped --metric: usage error, nothing on stdout"
check "the message names the closest metric" grep -q "'ns_per_oq': no such metric; did you mean ns_per_op?" "$work/err"
obl-history --check-latest --metric ns_per_oq "$work/g.db" > /dev/null 2> "$work/err"
same_text "$?" "2" "a mistyped --metric with --check-latest: usage error, not a gate failure"
check "... with the same message" grep -q "did you mean ns_per_op?" "$work/err"
obl-history --metric throughput "$work/g.db" > /dev/null 2> "$work/err"
same_text "$?" "2" "a metric nothing resembles: usage error"
check "the message lists the metrics there are" grep -q "'throughput': no such metric; one of: ns_per_op" "$work/err"
obl-report --history --metric ns_per_oq "$work/g.db" -o "$work/r.md" 2> "$work/err"
same_text "$?" "2" "obl-report --history: the same usage error"

for o in window last max-excursion seed min-runs permutations; do
	obl-history --$o -1 "$work/g.db" > "$work/out" 2> "$work/err"
	same_text "$?|$(wc -c < "$work/out")" "2|0" "--$o -1: usage error"
	check "--$o -1: the message names the option" grep -q "'--$o': must" "$work/err"
done
obl-history --min-runs 0 "$work/g.db" > /dev/null 2>&1
same_text "$?" "2" "--min-runs 0: usage error"
obl-history --window 0 --max-excursion 0 --last 0 --seed 0 "$work/g.db" > /dev/null
same_text "$?" "0" "--window, --max-excursion, --last and --seed 0 are accepted"

obl-history --threshold ns_per_op=50% "$work/g.db" > /dev/null 2> "$work/err"
same_text "$?" "2" "a metric's threshold without --metric or --check-latest: usage error"
check "the message says how to set the change points' threshold" \
	grep -q -- "a metric's own threshold is for --check-latest; the change points take one: --threshold 50%" "$work/err"
obl-history --threshold ns_per_op=50% --metric ns_per_op "$work/g.db" > "$work/t50.txt"
same_text "$?|$(sed -n 1p "$work/t50.txt")" "0|8 runs, 1 series, 0 change points (alpha 0.05, threshold 50%)" \
	"--metric M --threshold M=50%: the change points' threshold, as the header says (the +15% is below it)"
obl-history --metric ns_per_op "$work/g.db" > "$work/t.txt"
same_text "$(sed -n 1p "$work/t.txt")" "8 runs, 1 series, 1 change point (alpha 0.05, threshold 2%)" \
	"the default threshold finds the +15% change"

check "text: runs counted from 1, of the whole" grep -q "regression at night6 (run 6 of 8, date=2026-11-06)" "$work/t.txt"
obl-history --format json "$work/g.db" > "$work/t.json"
same_text "$(sqlite3 :memory: "select json_extract(readfile('$work/t.json'), '\$.change_points[0].position')")" "5" \
	"JSON: position stays 0-based, as the contract says"

# Markdown: every row of each table has as many cells as its header (GitHub splits on an
# unescaped '|', inside code spans too)
obl-history --format md "$work/g.db" > "$work/t.md"
check "md: the sparkline's change marker is escaped" grep -q '`[^`]*\\|[^`]*`' "$work/t.md"
same_text "$(awk '/^\|/ { line = $0; gsub(/\\\|/, "", line); n = gsub(/\|/, "", line);
	if (/^\| Scenario/) want = n; else if (n != want) bad++ } END { print bad + 0 }' "$work/t.md")" "0" \
	"md: each table row has the header's number of cells"
