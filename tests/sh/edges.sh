# Honest verdicts at the edges (issue #14): few repetitions, no variance, unknown direction,
# centers that add up, warm-up, thresholds, families across candidates. On the real H100 runs
# in examples/gpu-h100 and on small files made here.
. tests/sh/lib.sh
jq_() { sqlite3 :memory: "select $2 from (select readfile('$1') as j)"; }
h=examples/gpu-h100

# ---- Few repetitions: requests of one repetition are not independent ----------------------
obl-ingest -q "$work/b2.db" $h/baseline/*-rep2.json
obl-ingest -q "$work/r2.db" $h/baseline-rerun/*-rep2.json
obl-compare --format json "$work/b2.db" "$work/r2.db" > "$work/aa1.json"
same_text "$?" 0 "A/A of one repetition a side (rep2 against rep2): exit 0"
same_text "$(jq_ "$work/aa1.json" "(select count(*) from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.unit_of_analysis') = 'requests' and json_extract(value, '\$.verdict') = 'inconclusive' and json_extract(value, '\$.independent') = 0 and json_extract(value, '\$.repetitions_needed') >= 3 and json_extract(value, '\$.note') like '1 repetition: requests within a repetition are not independent')")" \
	20 "one repetition: all 20 request rows inconclusive, with the reason and >= 3 repetitions needed"
same_text "$(jq_ "$work/aa1.json" "(select count(*) from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.unit_of_analysis') = 'requests' and json_extract(value, '\$.test.p_adjusted') is not null)")" \
	0 "one repetition: request rows leave the p-value family (no adjusted p)"
obl-compare --unit request --format json "$work/b2.db" "$work/r2.db" > "$work/aa1r.json"
same_text "$?" 1 "--unit request: the same A/A tests requests as independent, and fails (the issue's false alarm)"
same_text "$(jq_ "$work/aa1r.json" "(select count(*) from json_each(json_extract(j, '\$.warnings')) where json_extract(value, '\$.kind') = 'independence')")" \
	1 "--unit request: a warning in the JSON"
obl-compare --unit request "$work/b2.db" "$work/r2.db" | grep -q '^warning: requests tested as independent'
same_text "$?" 0 "--unit request: a warning in the text"
printf 'set unit=request\n' > "$work/gate"
obl-compare --gate "$work/gate" "$work/b2.db" "$work/r2.db" > /dev/null
same_text "$?" 1 "gate file: 'set unit=request' does what --unit request does"

obl-ingest -q "$work/b12.db" $h/baseline/*-rep[12].json
obl-ingest -q "$work/r34.db" $h/baseline-rerun/*-rep[34].json
obl-compare "$work/b12.db" "$work/r34.db" > "$work/aa2.txt"
same_text "$?" 0 "A/A of two repetitions a side: exit 0"
grep -q '^\* requests of fewer than 3 repetitions a side are not independent' "$work/aa2.txt"
same_text "$?" 0 "two repetitions: the table says why request rows are inconclusive"

# ---- No variance ---------------------------------------------------------------------------
printf '3.2\n3.2\n3.2\n3.2\n3.2\n' > "$work/c32"
printf '6.4\n6.4\n6.4\n6.4\n6.4\n' > "$work/c64"
obl-compare --format json "$work/c32" "$work/c64" > "$work/double.json"
same_text "$?|$(jq_ "$work/double.json" "json_extract(j, '\$.comparisons[0].verdict') || ' ' || json_extract(j, '\$.comparisons[0].note') || ' ' || json_extract(j, '\$.comparisons[0].relative.estimate')")" \
	"1|worse no variance 1" "a noiseless doubling is worse (exit 1), with the note 'no variance'"
obl-compare --higher-is-better "$work/c32" "$work/c64" > /dev/null
same_text "$?" 0 "the same doubling, higher is better: exit 0"
cp "$work/c32" "$work/c32b"
obl-compare --format json "$work/c32" "$work/c32b" > "$work/same.json"
same_text "$?|$(jq_ "$work/same.json" "json_extract(j, '\$.comparisons[0].verdict')")" "0|same" \
	"equal constants are the same"
printf '3.2\n' > "$work/one"
printf '6.4\n' > "$work/one2"
obl-compare --format json "$work/one" "$work/one2" > "$work/single.json"
same_text "$(jq_ "$work/single.json" "json_extract(j, '\$.comparisons[0].verdict')")" \
	"no-test" "one value a side stays no-test"

# ---- Direction: plain numbers through databases and directly agree --------------------------
seq 10 20 > "$work/a.txt"
seq 30 40 > "$work/b.txt"
obl-ingest -q -f plain "$work/pa.db" "$work/a.txt"
obl-ingest -q -f plain "$work/pb.db" "$work/b.txt"
obl-compare "$work/a.txt" "$work/b.txt" > /dev/null
direct=$?
obl-compare --strict "$work/pa.db" "$work/pb.db" > "$work/plain-db.txt"
same_text "$direct|$?" "1|1" "seq 10 20 against seq 30 40: exit 1 directly and through databases"
obl-compare --higher-is-better "$work/a.txt" "$work/b.txt" > /dev/null
direct=$?
obl-compare --higher-is-better "$work/pa.db" "$work/pb.db" > /dev/null
same_text "$direct|$?" "0|0" "--higher-is-better: exit 0 both ways"
printf 'value direction=higher\n' > "$work/gate"
obl-compare --gate "$work/gate" "$work/pa.db" "$work/pb.db" > /dev/null
same_text "$?" 0 "gate file: direction=higher for one metric"

# ---- The table adds up: centers give the change exactly --------------------------------------
obl-ingest -q "$work/base.db" $h/baseline/*.json
obl-ingest -q "$work/fp32.db" $h/cand-fp32/*.json
obl-ingest -q "$work/eager.db" $h/cand-eager/*.json
obl-compare --format json "$work/base.db" "$work/fp32.db" > "$work/fp32.json"
same_text "$(jq_ "$work/fp32.json" "(select count(*) || ' ' || sum(json_extract(value, '\$.candidate.center') / json_extract(value, '\$.baseline.center') - 1 = json_extract(value, '\$.relative.estimate')) from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.relative.estimate') is not null)")" \
	"51 51" "every row (48 of scenarios, 3 across them): candidate.center / baseline.center - 1 == relative.estimate, exactly"
same_text "$(jq_ "$work/fp32.json" "(select count(*) from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.relative.ci_low') < -1)")" \
	0 "no relative interval goes below -100%"
same_text "$(jq_ "$work/fp32.json" "(select json_extract(value, '\$.center') from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.metric') = 'ttft_ms' limit 1)")" \
	"gmean of rep medians" "a repetition-level row's center is labelled"

# ---- Warm-up ----------------------------------------------------------------------------------
same_text "$(jq_ "$work/fp32.json" "(select count(*) from json_each(json_extract(j, '\$.warnings')) where json_extract(value, '\$.kind') = 'warm-up' and json_extract(value, '\$.run') = 'base' and json_extract(value, '\$.repetition') = 1 and json_extract(value, '\$.scenario') in ('concurrency=2;input_len=64;output_len=128', 'concurrency=4;input_len=64;output_len=128', 'concurrency=8;input_len=64;output_len=128'))")" \
	3 "warm-up: the first repetition at concurrency 2, 4 and 8 of the baseline is reported"
obl-compare --skip-reps 1 --format json "$work/base.db" "$work/fp32.json" > /dev/null 2>&1
obl-compare --skip-reps 1 --format json "$work/base.db" "$work/fp32.db" > "$work/skip.json"
same_text "$(jq_ "$work/skip.json" "(select count(*) from json_each(json_extract(j, '\$.warnings')) where json_extract(value, '\$.repetition') = 1) || ' ' || (select json_extract(value, '\$.baseline.n') from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.metric') = 'ttft_ms' limit 1)")" \
	"0 4" "--skip-reps 1: first repetitions dropped (4 left a side), no first-repetition warning"

# ---- Thresholds -------------------------------------------------------------------------------
obl-compare --threshold 5 "$work/a.txt" "$work/b.txt" 2> "$work/err" > /dev/null
same_text "$?|$(cat "$work/err")" "2|obl-compare: '--threshold': 5 would mean 500%; write 5% or 0.05" \
	"--threshold 5 is refused with the issue's message"
printf 'value threshold=5\n' > "$work/gate"
obl-compare --gate "$work/gate" "$work/pa.db" "$work/pb.db" > /dev/null 2>&1
same_text "$?" 2 "gate file: threshold=5 without % is refused too"
obl-compare --threshold 0.5 "$work/a.txt" "$work/b.txt" > /dev/null
same_text "$?" 1 "--threshold 0.5 (50%) is accepted"

# ---- One family across candidates -------------------------------------------------------------
obl-compare --format json "$work/base.db" "$work/eager.db" > "$work/one.json"
obl-compare --format json "$work/base.db" "$work/eager.db" "$work/fp32.db" > "$work/two.json"
obl-compare --family per-candidate --format json "$work/base.db" "$work/eager.db" "$work/fp32.db" > "$work/per.json"
q="(select group_concat(json_extract(value, '\$.test.p_adjusted')) from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.candidate_run') = 'eager' and json_extract(value, '\$.gates'))"
same_text "$(jq_ "$work/per.json" "$q")" "$(jq_ "$work/one.json" "$q")" \
	"--family per-candidate: a candidate's adjusted p-values as if compared alone"
same_text "$(jq_ "$work/two.json" "json_extract(j, '\$.family')")|$(jq_ "$work/one.json" "$q")" \
	"all|$(jq_ "$work/one.json" "$q")" "the default family is all candidates (JSON says so)"
same_text "$(jq_ "$work/two.json" "(select sum(json_extract(a.value, '\$.test.p_adjusted') >= json_extract(b.value, '\$.test.p_adjusted')) || '/' || count(*) from json_each(json_extract(j, '\$.comparisons')) a join json_each(json_extract(readfile('$work/one.json'), '\$.comparisons')) b on a.key = b.key where json_extract(a.value, '\$.gates') and json_extract(a.value, '\$.test.p_adjusted') is not null)")" \
	"20/20" "two candidates in one family: no adjusted p-value smaller than with one"
obl-compare "$work/base.db" "$work/eager.db" "$work/fp32.db" | grep -c 'Holm correction across all candidates' > "$work/n"
same_text "$(cat "$work/n")" 2 "the text header says the family (once per candidate table)"

# ---- A gate that cannot fail ---------------------------------------------------------------------
printf '%s\n' 1 2 3 4 5 > "$work/m1"
printf '%s\n' 6 7 8 9 10 > "$work/m2"
obl-compare --method mann-whitney --alpha 0.005 --format json "$work/m1" "$work/m2" > "$work/mw.json"
same_text "$?|$(jq_ "$work/mw.json" "json_extract(j, '\$.gate_can_fail') || ' ' || json_extract(j, '\$.comparisons[0].cannot_reject')")" \
	"0|0 1" "Mann-Whitney 5 vs 5 at alpha 0.005 (smallest p 2/252): the gate cannot fail, and says so"
obl-compare --method mann-whitney --format json "$work/m1" "$work/m2" > "$work/mw.json"
same_text "$?|$(jq_ "$work/mw.json" "json_extract(j, '\$.gate_can_fail')")" "1|1" \
	"at alpha 0.05 it can (and does) fail"
# The issue's case: Mann-Whitney 5 against 5 (2/252 at best) over 20 rows, Holm: 0.159.
awk 'BEGIN { print "goos: linux"; for (i = 1; i <= 20; i++) for (r = 1; r <= 5; r++)
	printf "BenchmarkX%02d-8\t1000\t%.1f ns/op\n", i, 1000 * i * (1 + 0.002 * r) }' > "$work/g1.txt"
awk 'BEGIN { print "goos: linux"; for (i = 1; i <= 20; i++) for (r = 1; r <= 5; r++)
	printf "BenchmarkX%02d-8\t1000\t%.1f ns/op\n", i, 2000 * i * (1 + 0.002 * r) }' > "$work/g2.txt"
obl-compare "$work/g1.txt" "$work/g2.txt" > "$work/g.txt"
same_text "$?|$(sed -n 2p "$work/g.txt")|$(grep -c 'X01-8 .* 0.1587  inconclusive (cannot reject) (~6 reps)$' "$work/g.txt")" \
	"0|note: this gate cannot fail: with these sample sizes the smallest reachable p-value, adjusted, is above alpha|1" \
	"20 rows of 5 v 5 Mann-Whitney: a doubling cannot fail the gate, the header says so, the row asks for 6 a side"
