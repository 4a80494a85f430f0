# obl-compare on databases, end to end on the real H100 runs in examples/gpu-h100.
. tests/sh/lib.sh
g=examples/gpu-h100
for run in baseline baseline-rerun cand-fp32 cand-eager; do
	obl-ingest -q -r $run "$work/$run.db" $g/$run/*.json $g/$run/nvidia-smi.csv 2>/dev/null
done
obl-ingest -q -r baseline "$work/all.db" $g/baseline/* 2>/dev/null
obl-ingest -q -r cand-fp32 "$work/all.db" $g/cand-fp32/* 2>/dev/null
jq_() { sqlite3 :memory: "select $2 from (select readfile('$1') as j)"; }

obl-compare --format json "$work/baseline.db" "$work/baseline-rerun.db" > "$work/aa.json"
same_text "$?" "0" "A/A (baseline rerun): exit 0"
same_text "$(jq_ "$work/aa.json" "json_extract(j, '\$.summary.worse') || ' ' || json_extract(j, '\$.regression')")" \
	"0 0" "A/A: no worse row, regression false"

obl-compare --format github "$work/baseline.db" "$work/cand-fp32.db" > "$work/fp32.gh"
same_text "$?" "1" "float32 candidate: exit 1 (a regression)"
same_text "$(grep -c '^::error' "$work/fp32.gh")" "1" "float32: one gating row is worse"
case "$(grep '^::error' "$work/fp32.gh")" in
*"ttft_ms (median) at concurrency=1 input_len=128 output_len=512: +61.53%25"*) ok "float32: the worse row is TTFT at input 128 / output 512, +61.5%" ;;
*) not_ok "float32 worse row: $(grep '^::error' "$work/fp32.gh")" ;;
esac

obl-compare --format json "$work/baseline.db" "$work/cand-eager.db" > "$work/eager.json"
same_text "$?|$(jq_ "$work/eager.json" "json_extract(j, '\$.summary.worse') || ' ' || json_extract(j, '\$.summary.better')")" \
	"0|0 0" "eager attention on another machine start: no verdict either way at 5 repetitions"

obl-compare "$work/baseline.db" "$work/cand-fp32.db" > "$work/a.txt"
obl-compare "$work/baseline.db" "$work/cand-fp32.db" > "$work/b.txt"
check "the same inputs and options give byte-identical output" cmp -s "$work/a.txt" "$work/b.txt"
obl-compare "$work/all.db" --baseline baseline --candidate cand-fp32 > "$work/c.txt"
check "one database with --baseline/--candidate gives the same table as two databases" \
	cmp -s "$work/a.txt" "$work/c.txt"

# One repetition a side: obl-compare lets the tests sort and overwrite its groups' values in
# place instead of copying them; with two candidates (a baseline group read twice) it copies.
# The request-level rows must be the same both ways.
for run in baseline cand-fp32; do
	obl-ingest -q -r $run "$work/one-$run.db" $g/$run/*-rep1.json 2>/dev/null
done
obl-compare --format json "$work/one-baseline.db" "$work/one-cand-fp32.db" > "$work/one-cand.json"
obl-compare --format json "$work/one-baseline.db" "$work/one-cand-fp32.db" \
	"$work/one-cand-fp32.db" > "$work/two-cand.json"
request_rows() {
	sqlite3 :memory: "select group_concat(json_remove(value, '\$.test.p_adjusted'), char(10))
		from (select value from json_each(readfile('$1'), '\$.comparisons')
		where json_extract(value, '\$.unit_of_analysis') = 'requests' limit 20)"
}
same_text "$(request_rows "$work/one-cand.json" | grep -c '"note":"1 repetition: requests within')" \
	"20" "one repetition a side: 20 request-level rows, each inconclusive"
check "values tested in place (one candidate) give the rows of copies (two candidates)" \
	test "$(request_rows "$work/one-cand.json")" = "$(request_rows "$work/two-cand.json")"

obl-compare --format json "$work/all.db" 2>/dev/null
same_text "$?" "2" "a database with several runs and no --baseline: usage error"
obl-compare "$work/all.db" "$work/cand-fp32.db" 2>/dev/null
same_text "$?" "2" "BASE.db CAND.db form with a two-run database: usage error"
obl-compare "$work/baseline.db" examples/plain/ttft-fp32.txt 2>"$work/err"
same_text "$?" "3" "a text file among databases: bad input (exit 3)"

obl-ingest -q -r part "$work/part.db" $g/cand-fp32/S1-*.json $g/cand-fp32/meta.json
obl-ingest -q -r part -s dataset=sharegpt "$work/part.db" $g/cand-fp32/S2-in128-out512-c1-rep1.json
obl-compare --format json "$work/baseline.db" "$work/part.db" > "$work/part.json"
same_text "$(jq_ "$work/part.json" "json_extract(j, '\$.summary.missing') > 0 and json_extract(j, '\$.summary.new') > 0")" \
	"1" "rows on one side only are listed as missing and new, not dropped"

printf '# gate file\nttft_ms threshold=5%% gate=no\n' > "$work/gate"
obl-compare --gate "$work/gate" "$work/baseline.db" "$work/cand-fp32.db" > /dev/null
same_text "$?" "0" "a gate file with ttft_ms gate=no lets the float32 candidate pass"
printf 'ttft_ms thresold=5%%\n' > "$work/badgate"
err=$(obl-compare --gate "$work/badgate" "$work/baseline.db" "$work/cand-fp32.db" 2>&1)
case "$err" in *"badgate:1: 'thresold=5%': expected threshold=X"*) ok "a gate file typo names file, line and token" ;; *) not_ok "gate typo: $err" ;; esac
obl-compare --strict "$work/baseline.db" "$work/baseline-rerun.db" > /dev/null
same_text "$?" "1" "--strict fails the A/A pair on its inconclusive rows"
obl-compare --threshold ttft_ms=100% "$work/baseline.db" "$work/cand-fp32.db" > /dev/null
same_text "$?" "0" "--threshold ttft_ms=100%: a 61% change is below the practical threshold"

obl-compare --stat median,p99 --format json "$work/baseline.db" "$work/cand-fp32.db" > "$work/p99.json"
same_text "$(jq_ "$work/p99.json" "(select count(*) from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.statistic') = 'p99' and json_extract(value, '\$.across_scenarios') is null)")" \
	"20" "--stat median,p99 adds a p99 row per scenario and latency metric"
same_text "$(jq_ "$work/p99.json" "(select group_concat(key) from json_each(json_extract(j, '\$.comparisons[7]')))")" \
	"baseline_run,candidate_run,scenario,metric,unit,direction,statistic,unit_of_analysis,gates,count,center,baseline,candidate,test,difference,relative,threshold,verdict,needed_per_side" \
	"the JSON row carries the contract's fields"

obl-compare --format junit "$work/baseline.db" "$work/cand-fp32.db" > "$work/j.xml"
same_text "$(grep -c '<failure' "$work/j.xml")|$(grep -o 'failures="[0-9]*"' "$work/j.xml" | head -1)" \
	'1|failures="1"' "JUnit: the regression is the one failed test case"
obl-compare --format md "$work/baseline.db" "$work/cand-fp32.db" > "$work/m.md"
case "$(grep 'input_len=128' "$work/m.md" | grep ttft_ms)" in
*"| **worse** |"*) ok "Markdown: the worse row is bold" ;;
*) not_ok "markdown row: $(grep ttft_ms "$work/m.md" | head -2)" ;;
esac

obl-compare --gate examples/ci/perf-gate.txt --format json "$work/baseline.db" "$work/cand-fp32.db" > "$work/ci.json"
same_text "$?|$(jq_ "$work/ci.json" "(select count(*) from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.statistic') = 'p99' and json_extract(value, '\$.metric') = 'ttft_ms' and json_extract(value, '\$.across_scenarios') is null)")" \
	"1|5" "the CI recipe's gate file parses: TTFT gets a p99 row per scenario, fp32 still fails"

# Numbers named with obl-ingest -m (outside the catalogue, direction from the name or unit)
# gate when nothing else does, as the same files compared directly: a database of plain
# timings 30% slower fails the comparison (it was informational, exit 0).
awk 'BEGIN { for (r = 1; r <= 3; r++) for (i = 0; i < 20; i++) printf "%.3f\n", 100 + (i * 7 + r) % 5 + r * r * 0.4 > "'"$work"'/pb" r ".txt" }'
awk '{ printf "%.3f\n", $1 * 1.3 }' "$work/pb1.txt" > "$work/pc1.txt"
awk '{ printf "%.3f\n", $1 * 1.3 }' "$work/pb2.txt" > "$work/pc2.txt"
awk '{ printf "%.3f\n", $1 * 1.3 }' "$work/pb3.txt" > "$work/pc3.txt"
obl-ingest -q -r base -m latency --unit ms "$work/pb.db" "$work"/pb?.txt
obl-ingest -q -r cand -m latency --unit ms "$work/pc.db" "$work"/pc?.txt
obl-compare "$work/pb.db" "$work/pc.db" > "$work/named.txt"
same_text "$?|$(awk '$2 == "latency" { print $NF }' "$work/named.txt")" "1|worse" \
	"a database of numbers named -m latency --unit ms, 30% slower: worse and exit 1, not informational"
obl-compare "$work/pb1.txt" "$work/pc1.txt" > /dev/null
same_text "$?" "1" "the same numbers compared as files: exit 1 too"

# The geomean line counts the scenarios, not the row across them (which is itself their
# gmean): found by probing, "over 6 scenarios" for the H100 runs' 5.
obl-compare "$work/baseline.db" "$work/cand-fp32.db" > "$work/gm.txt"
same_text "$(grep '^geomean ttft_ms (median)' "$work/gm.txt")" \
	"geomean ttft_ms (median): +25.61% over 5 scenarios" \
	"geomean of TTFT over the 5 scenarios (+25.61%, as the row across them)"
