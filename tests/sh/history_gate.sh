# obl-history --check-latest, the gate of a history: the runs as the unit (one repetition a
# night can fail it), each series against its own runs since its last change, named in every
# format; a series the newest night lost fails it; --strict fails on an inconclusive row.
. tests/sh/lib.sh
jq_() { sqlite3 :memory: "select $2 from (select readfile('$1') as j)"; }

# night N FACTOR_A FACTOR_B [DB]: one file of 20 TTFTs (one repetition) per job, 1% noise
night() {
	k=0
	for job in a b; do
		k=$((k + 1))
		f=$2
		[ $job = b ] && f=$3
		[ "$f" = - ] && continue
		awk -v f=$f -v s=$(($1 * 10 + k)) 'BEGIN { srand(s); for (i = 0; i < 20; i++)
			printf "%.3f\n", 100 * f * (1 + 0.02 * (rand() - 0.5)) }' > "$work/n$1$job.txt"
		obl-ingest -q -r n$1 -s job=$job -m ttft_ms --unit ms "${4:-$work/h.db}" "$work/n$1$job.txt"
	done
}
# ten nights; job b 30% slower from night 6 on (a change point)
for i in 1 2 3 4 5 6 7 8 9 10; do
	b=1
	[ $i -ge 6 ] && b=1.3
	night $i 1 $b
done
cp "$work/h.db" "$work/ten.db"
night 11 1.5 1.3 # job a 50% slower, one repetition
obl-history --check-latest --format json "$work/h.db" > "$work/g.json"
same_text "$?" "1" "one repetition a night: a night 50% slower fails the gate"
row() { jq_ "$work/g.json" "(select group_concat(json_extract(c.value, '\$.$2'), '|') from json_each(j, '\$.comparisons') c where json_extract(c.value, '\$.scenario.job') = '$1')"; }
same_text "$(row a verdict)|$(row a test.method)|$(row a unit_of_analysis)" "worse|prediction-t|runs" \
	"the newest run's level against the ten runs' levels (prediction interval, runs as the unit)"
same_text "$(row a baseline_run)|$(row a candidate_run)|$(row a baseline.n)" "n1..n10, 10 runs|n11|10" \
	"JSON names the baseline runs and the newest run"
same_text "$(row b baseline_run)|$(row b verdict)" "n6..n10, 5 runs|same" \
	"each series against its own runs since its last change (job b changed at n6)"
same_text "$(jq_ "$work/g.json" "json_extract(j, '\$.regression')")" "1" "JSON: regression true"
obl-history --check-latest "$work/h.db" > "$work/g.txt"
check "text: the header names the runs" grep -q '^baseline n1..n10, 10 runs, candidate n11 ' "$work/g.txt"
check "text: a series with other baseline runs is named" \
	grep -qx 'baseline n6..n10, 5 runs: job=b ttft_ms (median)' "$work/g.txt"
obl-history --check-latest --format md "$work/h.db" > "$work/g.md"
same_text "$(sed -n 1p "$work/g.md")" "Run n11 against each series' runs since its last change." \
	"Markdown: the newest run named"
check "Markdown: a column of each row's baseline runs" \
	grep -q '^| n6..n10, 5 runs | job=b | ttft_ms (gmean of runs) |' "$work/g.md"
obl-history --check-latest --format github "$work/h.db" > "$work/g.gh"
check "github: the error is titled obl-history and names both sides" \
	grep -q '^::error title=obl-history worse::n11 against n1..n10, 10 runs: ttft_ms' "$work/g.gh"
obl-history --check-latest --format junit "$work/h.db" > "$work/g.xml"
check "junit: the suite is obl-history's" grep -q '<testsuite name="obl-history" tests="2" failures="1">' "$work/g.xml"

# a night like the others passes
cp "$work/ten.db" "$work/ok.db"
night 11 1 1.3 "$work/ok.db"
obl-history --check-latest --format json "$work/ok.db" > "$work/ok.json"
same_text "$?|$(jq_ "$work/ok.json" "json_extract(j, '\$.summary.worse') || ' ' || json_extract(j, '\$.summary.missing')")" \
	"0|0 0" "a night at the level of the runs before it passes"

# the newest night lost job b: a missing row, and the gate fails
cp "$work/ten.db" "$work/gap.db"
night 11 1 - "$work/gap.db"
obl-history --check-latest --format json "$work/gap.db" > "$work/gap.json"
same_text "$?|$(jq_ "$work/gap.json" "json_extract(j, '\$.summary.missing') || ' ' || json_extract(j, '\$.regression')")" \
	"1|1 1" "a series in the night before and not in the newest: missing, exit 1"
same_text "$(jq_ "$work/gap.json" "(select json_extract(c.value, '\$.baseline_run') from json_each(j, '\$.comparisons') c where json_extract(c.value, '\$.scenario.job') = 'b')")" \
	"n6..n10, 5 runs" "the missing series names the runs it was in"
obl-history --check-latest --format junit "$work/gap.db" > "$work/gap.xml"
check "junit: the missing series is a failure" grep -q 'type="missing"' "$work/gap.xml"
obl-history --check-latest --format github "$work/gap.db" > "$work/gap.gh"
check "github: the missing series is an error" grep -q '^::error title=obl-history missing::' "$work/gap.gh"
# one more night without job b: gone two nights, no longer expected
night 12 1 - "$work/gap.db"
obl-history --check-latest --format json "$work/gap.db" > "$work/gap2.json"
same_text "$?|$(jq_ "$work/gap2.json" "json_extract(j, '\$.summary.missing')")" "0|0" \
	"a series absent from the night before as well is not expected (removed on purpose)"

# --strict: an inconclusive gating row fails, requests of one repetition included
printf '%s\n' 10 11 12 13 14 15 16 17 18 19 > "$work/x.txt"
printf '%s\n' 10.5 11.5 12.5 13.5 14.5 15.5 16.5 17.5 18.5 19.5 > "$work/y.txt"
obl-ingest -q -m ttft_ms --unit ms "$work/x.db" "$work/x.txt"
obl-ingest -q -m ttft_ms --unit ms "$work/y.db" "$work/y.txt"
obl-compare "$work/x.db" "$work/y.db" > "$work/c.txt"
same_text "$?|$(grep -c 'inconclusive (>=3 reps)' "$work/c.txt")" "0|1" \
	"obl-compare: requests of one repetition are inconclusive and pass"
obl-compare --strict "$work/x.db" "$work/y.db" > /dev/null
same_text "$?" "1" "obl-compare --strict: the inconclusive row fails, as --help says"

# the history labels its numbers: the levels are medians, the change a Hodges-Lehmann shift
obl-history "$work/ten.db" > "$work/ten.txt"
check "text: a change point's centres are medians, its size the Hodges-Lehmann shift" \
	grep -q 'regression at n6 .*: median [0-9.]* .* -> [0-9.]* .*, Hodges-Lehmann shift +30\.' "$work/ten.txt"

# Levels of 0 (found by probing): a count of errors that was 0 every night and is 5 in the
# newest is worse (its change from 0 is beyond any relative threshold; it was inconclusive),
# and a throughput that fell to 0 in the newest night is worse, the other rows judged as
# before (the runs-as-unit test takes logs: it stopped the whole gate, exit 3).
zero_night() { # N JOB LEVEL METRIC UNIT DB: three repetitions of 20 + 10N + REP values around LEVEL
	for rep in 1 2 3; do # (as many as make each file's content its own: zeros alike)
		awk -v l=$3 -v s=$(($1 * 10 + rep)) 'BEGIN { srand(s); for (i = 0; i < 20 + s; i++)
			printf "%.3f\n", l * (1 + 0.02 * (rand() - 0.5)) }' > "$work/z$1$2$rep.txt"
	done
	obl-ingest -q -r n$1 -s job=$2 -m $4 --unit $5 "$6" "$work/z$1$2"?.txt
}
for i in 1 2 3 4 5 6 7 8 9; do
	zero_night $i a 100 errors count "$work/errors.db"
	zero_night $i b $([ $i = 9 ] && echo 5 || echo 0) errors count "$work/errors.db"
	zero_night $i a 100 throughput tok/s "$work/tput.db"
	zero_night $i b $([ $i = 9 ] && echo 0 || echo 90) throughput tok/s "$work/tput.db"
done
obl-history --check-latest "$work/errors.db" > "$work/out"
same_text "$?|$(awk '$1 == "job=b" { print $NF }' "$work/out")" "1|worse" \
	"errors 0 every night, 5 in the newest: worse, exit 1"
obl-history --check-latest "$work/tput.db" > "$work/out" 2> "$work/err"
same_text "$?|$(awk '$1 ~ /^job=/ { printf "%s %s,", $1, $NF }' "$work/out")|$(cat "$work/err")" \
	"1|job=a same,job=b worse,|" "a throughput at 0 in the newest night: that row worse, the other judged, exit 1"

# A slow first repetition (warm-up) in the newest night only: its level rises and the gate
# fails; --skip-reps 1 drops every run's first repetition, as obl-compare's does (the warning
# advised it, and obl-history did not take it).
for i in 1 2 3 4 5 6 7 8 9; do
	for rep in 1 2 3; do
		f=1
		[ $i = 9 ] && [ $rep = 1 ] && f=3
		awk -v f=$f -v s=$((i * 10 + rep)) 'BEGIN { srand(s); for (k = 0; k < 20; k++)
			printf "%.3f\n", 100 * f * (1 + 0.02 * (rand() - 0.5)) }' > "$work/w$i$rep.txt"
	done
	obl-ingest -q -r n$i -m ttft_ms --unit ms "$work/warm.db" "$work/w$i"?.txt
done
obl-history --check-latest "$work/warm.db" > /dev/null
same_text "$?" "1" "a warm-up repetition in the newest night: the gate fails"
obl-history --check-latest --skip-reps 1 "$work/warm.db" > "$work/out"
same_text "$?|$(awk '$2 == "ttft_ms" { print $NF }' "$work/out")" "0|same" \
	"--skip-reps 1: the first repetition of every run dropped, the same level"
obl-history --skip-reps 1 "$work/warm.db" > /dev/null 2> "$work/err"
same_text "$?|$(cat "$work/err")" "2|obl-history: '--skip-reps': is for --check-latest (the gate); the change points take none of --strict, --gate and --skip-reps" \
	"--skip-reps without --check-latest: usage error"
