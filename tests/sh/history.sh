# obl-history end to end: the real H100 runs as a small history (baseline, its A/A rerun,
# then the float32 candidate), the JSON contract, run order by tag and by commit, and the
# --check-latest gate on generated Go benchmark nights.
. tests/sh/lib.sh
g=examples/gpu-h100
jq_() { sqlite3 :memory: "select $2 from (select readfile('$1') as j)"; }

for run in baseline baseline-rerun cand-fp32; do
	obl-ingest -q -r $run "$work/h.db" $g/$run/*.json 2>/dev/null
done
obl-history --format json "$work/h.db" > "$work/h.json"
same_text "$?" "0" "obl-history on the H100 history: exit 0"
same_text "$(jq_ "$work/h.json" "json_extract(j, '\$.runs')")" \
	'["baseline","baseline-rerun","cand-fp32"]' "runs in ingestion order"
# the float32 candidate's TTFT change is a change point at position 2, a regression
same_text "$(jq_ "$work/h.json" "(select count(*) from json_each(j, '\$.change_points') c
	where json_extract(c.value, '\$.metric') = 'ttft_ms'
	and json_extract(c.value, '\$.run') = 'cand-fp32'
	and json_extract(c.value, '\$.position') = 2
	and json_extract(c.value, '\$.direction') = 'regression'
	and json_extract(c.value, '\$.scenario.input_len') = '128'
	and json_extract(c.value, '\$.relative.estimate') > 0.2
	and json_extract(c.value, '\$.p_value') <= 0.05)")" "1" \
	"float32: TTFT at input 128 / output 512 is a change point at cand-fp32, a regression of +20% or more"
# the A/A pair is not a change
same_text "$(jq_ "$work/h.json" "(select count(*) from json_each(j, '\$.change_points') c
	where json_extract(c.value, '\$.run') = 'baseline-rerun')")" "0" \
	"the A/A rerun starts no new level"
# every field of the contract is there
same_text "$(jq_ "$work/h.json" "(select group_concat(k, ' ') from (select distinct c2.key as k
	from json_each(j, '\$.change_points') c, json_each(c.value) c2 order by k))")" \
	"after before direction metric p_value position relative run scenario" \
	"JSON contract: the fields of a change point"
same_text "$(jq_ "$work/h.json" "json_extract(j, '\$.change_points[0].before.n_runs') || ' ' ||
	json_extract(j, '\$.change_points[0].after.n_runs') || ' ' ||
	(json_extract(j, '\$.change_points[0].before.ci_low') <= json_extract(j, '\$.change_points[0].before.center'))")" \
	"2 1 1" "levels carry their runs and an interval around the center"

# the vLLM files carry their dates: ingested in reverse, the runs still come out in time order
for run in cand-fp32 baseline-rerun baseline; do
	obl-ingest -q -r $run "$work/rev.db" $g/$run/S1-*.json 2>/dev/null
done
obl-history --format json --order-by date "$work/rev.db" > "$work/rev.json"
same_text "$(jq_ "$work/rev.json" "json_extract(j, '\$.runs')")" \
	'["baseline","baseline-rerun","cand-fp32"]' "--order-by date uses the dates the vLLM files carry"

obl-history "$work/h.db" > "$work/a.txt"
obl-history "$work/h.db" > "$work/b.txt"
check "the same history gives byte-identical output (fixed seed)" cmp -s "$work/a.txt" "$work/b.txt"
check "text: a sparkline per series with the change marked" grep -q '|' "$work/a.txt"
obl-history --format csv --metric ttft_ms "$work/h.db" > "$work/h.csv"
same_text "$(sed -n 1p "$work/h.csv" | cut -d, -f1-6)" "scenario,metric,stat,unit,run,position" "csv header"
same_text "$(grep -c ',cand-fp32,2,' "$work/h.csv")" "3" "csv: three TTFT change points at cand-fp32"
obl-history --format github --metric ttft_ms "$work/h.db" | grep -c '^::warning' > "$work/n"
same_text "$(cat "$work/n")" "3" "github: a warning per regression"

# order by a tag, then by commit order from a list (newest first, as git rev-list prints it)
for i in 1 2 3 4 5 6 7 8; do
	f=1000
	[ $i -ge 6 ] && f=1150 # slower from night 6 on
	awk -v f=$f -v s=$i 'BEGIN { srand(s); print "goos: linux";
		for (k = 0; k < 5; k++) printf "BenchmarkParse-8   \t1000\t%.1f ns/op\n", f * (1 + 0.01 * (rand() - 0.5));
		print "PASS" }' > "$work/r$i.txt"
done
# ingested out of order; dates and commits give the true order
commit() { printf '%08x%032x' $(($1 * 2654435761 % 4294967296)) $1; }
for i in 3 1 2 5 4 8 6 7; do
	obl-ingest -q -r night$i -t date=2026-11-0$i -t commit=$(commit $i) "$work/g.db" "$work/r$i.txt"
done
obl-history --format json --order-by date "$work/g.db" > "$work/g.json"
same_text "$(jq_ "$work/g.json" "json_extract(j, '\$.runs')")" \
	'["night1","night2","night3","night4","night5","night6","night7","night8"]' "--order-by date"
same_text "$(jq_ "$work/g.json" "json_extract(j, '\$.change_points[0].run') || ' ' || json_extract(j, '\$.change_points[0].position') || ' ' || json_array_length(j, '\$.change_points')")" \
	"night6 5 1" "one change point, at the first slow night"
obl-history --order-by date "$work/g.db" > "$work/g.txt"
check "text: the change point names its run's commit and date" \
	grep -q "regression at night6 (run 6 of 8, commit=$(commit 6), date=2026-11-06)" "$work/g.txt"
for i in 8 7 6 5 4 3 2 1; do commit $i; echo; done > "$work/commits"
obl-history --format json --order-by commit --commits "$work/commits" "$work/g.db" > "$work/c.json"
same_text "$(jq_ "$work/c.json" "json_extract(j, '\$.runs')")" \
	'["night1","night2","night3","night4","night5","night6","night7","night8"]' "--order-by commit with a git rev-list file"
cut -c1-8 "$work/commits" > "$work/short"
obl-history --format json --commits "$work/short" "$work/g.db" > "$work/s.json"
check "abbreviated commit hashes order the runs too" cmp -s "$work/c.json" "$work/s.json"
sed -n 1,7p "$work/commits" > "$work/missing"
obl-history --commits "$work/missing" "$work/g.db" > /dev/null 2>"$work/err"
same_text "$?" "3" "a run whose commit is not listed: bad input"
check "the message names the run and the commit list" grep -q "missing.*night1.*not in the list" "$work/err"
obl-history --order-by nosuchtag "$work/g.db" > /dev/null 2>"$work/err"
same_text "$?" "3" "ordering by a tag the runs lack: bad input"

# the gate: a ninth night as slow as the last three passes; a tenth 20% slower fails
awk 'BEGIN { print "goos: linux"; for (k = 0; k < 5; k++) printf "BenchmarkParse-8   \t1000\t%.1f ns/op\n", 1150 + k; print "PASS" }' > "$work/r9.txt"
obl-ingest -q -r night9 -t date=2026-11-09 "$work/g.db" "$work/r9.txt"
obl-history --check-latest --order-by date --format json "$work/g.db" > "$work/gate.json"
same_text "$?|$(jq_ "$work/gate.json" "json_extract(j, '\$.comparisons[0].baseline.n') || ' ' || json_extract(j, '\$.comparisons[0].verdict')")" \
	"0|15 same" "--check-latest: the newest night against the 3 nights since the change (15 values): same, exit 0"
awk 'BEGIN { print "goos: linux"; for (k = 0; k < 5; k++) printf "BenchmarkParse-8   \t1000\t%.1f ns/op\n", 1380 + k; print "PASS" }' > "$work/r10.txt"
obl-ingest -q -r night10 -t date=2026-11-10 "$work/g.db" "$work/r10.txt"
# --last N: the newest N runs, read run by run (as the gate reads them)
obl-history --format json --order-by date --last 9 "$work/g.db" > "$work/last.json"
same_text "$(jq_ "$work/last.json" "json_array_length(j, '\$.runs') || ' ' || json_extract(j, '\$.runs[0]') || ' ' || json_extract(j, '\$.change_points[0].run') || ' ' || json_extract(j, '\$.change_points[0].position')")" \
	"9 night2 night6 4" "--last 9: the newest nine nights, the change still at night6"
obl-history --check-latest --order-by date --format github "$work/g.db" > "$work/gate.gh"
same_text "$?" "1" "--check-latest: a night 20% slower than the level since the change fails (exit 1)"
check "--check-latest names the regression as obl-compare does" grep -q '^::error.*ns_per_op' "$work/gate.gh"

obl-history "$work/nonexistent.db" 2>/dev/null
same_text "$?" "3" "a missing database: bad input"
obl-history 2>/dev/null
same_text "$?" "2" "no database: usage error"

# obl-report --history: the trend as a document
obl-report --history "$work/h.db" -o "$work/trend.md"
same_text "$?" "0" "obl-report --history writes Markdown"
same_text "$(grep -c '^| concurrency=.* | ttft_ms | cand-fp32 (date=20261124-[0-9]*) | .* | \*\*regression\*\* |$' "$work/trend.md")" "3" \
	"the table of change points names the three TTFT regressions at cand-fp32, with its date"
same_text "$(grep '^## ' "$work/trend.md" | tr '\n' '|')" \
	"## Runs|## Summary|## Change points|## Levels over the runs|## Methodology|" \
	"Markdown: the history's own sections (no A/B results, no SLO)"
check "Markdown: the levels grouped by metric" grep -q '^### ttft_ms$' "$work/trend.md"
same_text "$(ls "$work" | grep -c '^trend-history-ttft_ms-.*\.svg$')" "3" "a chart per series that changed, as SVG beside the .md"
check "the charts show the run levels and the levels between change points" \
	grep -q 'level between change points' "$work"/trend-history-ttft_ms-*.svg
obl-report --history "$work/h.db" -o "$work/trend.pdf"
same_text "$?|$(head -c 5 "$work/trend.pdf")" "0|%PDF-" "obl-report --history writes PDF"
if command -v pdftotext >/dev/null 2>&1; then
	pdftotext "$work/trend.pdf" "$work/trend.txt" 2>/dev/null
	same_text "$(grep -xE 'Runs|Summary|Change points|Levels over the runs|Methodology|Results by scenario|Capacity under the SLO|Charts' "$work/trend.txt" | tr '\n' '|')" \
		"Runs|Summary|Change points|Levels over the runs|Methodology|" \
		"PDF: the history's own headings, not the A/B comparison's"
	check "PDF: the change points' table names the candidate" grep -q 'cand-fp32' "$work/trend.txt"
else
	skip "PDF: the history's own headings" "pdftotext is not installed"
fi
obl-report --history "$work/h.db" -o "$work/trend.html"
same_text "$(grep -o '<h2>[^<]*</h2>' "$work/trend.html" | tr '\n' '|')" \
	"<h2>Runs</h2>|<h2>Summary</h2>|<h2>Change points</h2>|<h2>Levels over the runs</h2>|<h2>Methodology</h2>|" \
	"HTML: the history's own sections"
obl-report --order-by date "$work/h.db" 2>/dev/null
same_text "$?" "2" "--order-by without --history: usage error"

# The gate on short histories (found by probing: one run was exit 3). The first night of a
# project has nothing to compare with: the gate passes and says so in every format. Two runs:
# the earlier one is the whole baseline. A series the newest run lacks is a gap: said, not a
# failure.
night() { # FILE NS_A [NS_B]: five repetitions of benchmark A (and B when given)
	awk -v a="$2" -v b="${3:-}" 'BEGIN { print "goos: linux"; for (k = 0; k < 5; k++) {
		printf "BenchmarkA-8   \t1000\t%.1f ns/op\n", a + k
		if (b != "") printf "BenchmarkB-8   \t1000\t%.1f ns/op\n", b + k }
		print "PASS" }' >"$1"
}
night "$work/f1.txt" 1000 500
obl-ingest -q -r first "$work/one.db" "$work/f1.txt"
msg="the database holds one run, first: the newest run has no earlier run to compare with, so the gate passes"
obl-history --check-latest "$work/one.db" >"$work/out" 2>"$work/err"
same_text "$?|$(cat "$work/out")|$(cat "$work/err")" "0|warning (no-baseline): $msg|" \
	"--check-latest on one run: exit 0, and the text says there is nothing to compare with"
obl-history --check-latest --format json "$work/one.db" >"$work/one.json"
same_text "$?|$(jq_ "$work/one.json" "json_extract(j, '\$.warnings[0].kind') || '|' || json_extract(j, '\$.warnings[0].message') || '|' || json_array_length(j, '\$.comparisons') || '|' || json_extract(j, '\$.regression')")" \
	"0|no-baseline|$msg|0|0" "json: no comparison, the note in warnings, no regression"
obl-history --check-latest --format md "$work/one.db" >"$work/out"
same_text "$?|$(tail -n 1 "$work/out")" "0|- warning (no-baseline): $msg" "md: the note under the table"
obl-history --check-latest --format github "$work/one.db" >"$work/out"
same_text "$?|$(cat "$work/out")" "0|::warning title=obl-compare no-baseline::$msg" "github: a warning annotation"
for f in csv junit; do
	obl-history --check-latest --format $f "$work/one.db" >"$work/out" 2>"$work/err"
	same_text "$?|$(cat "$work/err")" "0|obl-history: warning (no-baseline): $msg" \
		"$f: exit 0, the note on stderr (the format has no place for it)"
done
night "$work/f2.txt" 1200 500
obl-ingest -q -r second "$work/one.db" "$work/f2.txt"
obl-history --check-latest --format json "$work/one.db" >"$work/two.json"
same_text "$?|$(jq_ "$work/two.json" "(select group_concat(json_extract(c.value, '\$.scenario.benchmark') || ' ' || json_extract(c.value, '\$.baseline.n') || ' ' || json_extract(c.value, '\$.verdict'), ',') from json_each(j, '\$.comparisons') c)")" \
	"1|A-8 5 worse,B-8 5 same" "two runs: the earlier run is the whole baseline (5 repetitions); A 20% slower fails"
night "$work/g2.txt" 1001 501
night "$work/g3.txt" 1000
obl-ingest -q -r first "$work/gap.db" "$work/f1.txt"
obl-ingest -q -r second "$work/gap.db" "$work/g2.txt"
obl-ingest -q -r third "$work/gap.db" "$work/g3.txt"
gap="the newest run, third, lacks 1 series the earlier runs have (not checked, not a failure): benchmark=B-8 ns_per_op"
obl-history --check-latest "$work/gap.db" >"$work/out" 2>"$work/err"
same_text "$?|$(grep -c '^benchmark=A-8 .* same$' "$work/out")|$(tail -n 1 "$work/out")" "0|1|warning (gap): $gap" \
	"a series the newest run lacks: the gap is said, the rest checked, exit 0"
obl-history --check-latest --format json "$work/gap.db" >"$work/gap.json"
same_text "$(jq_ "$work/gap.json" "json_extract(j, '\$.warnings[0].kind') || '|' || json_extract(j, '\$.warnings[0].run')")" \
	"gap|third" "json: the gap is a warning of kind gap about the newest run"

# One trial a run (hyperfine, go test -bench): the values of a run are its iterations. The
# gate judges the newest run by them, pooled against the iterations of the runs since the last
# change, as obl-compare does with one repetition a side: a shift at the newest run fails at
# once. The change-point analysis takes one value a run (its median): iterations of one
# invocation are not replicates of a night (docs/DESIGN.md section 4a), so a new level at the
# newest run becomes a change point once it has held for two more runs.
hyperfine_night() { # FILE LEVEL JITTER: ten iterations around LEVEL seconds
	awk -v l="$2" -v j="$3" 'BEGIN { printf "{\"results\": [{\"command\": \"bench\", \"times\": ["
		for (k = 0; k < 10; k++) printf "%s%.6f", k ? ", " : "", l * (1 + j + 0.004 * (k - 4.5))
		printf "], \"exit_codes\": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}]}\n" }' >"$1"
}
for i in 1 2 3 4 5 6 7 8; do
	hyperfine_night "$work/hf$i.json" 1.0 "0.000$i"
	obl-ingest -q -r night$i "$work/hf.db" "$work/hf$i.json"
done
hyperfine_night "$work/hf9.json" 1.2 0
obl-ingest -q -r night9 "$work/hf.db" "$work/hf9.json"
obl-history --check-latest -m wall_time_s --format json "$work/hf.db" >"$work/hf.json"
same_text "$?|$(jq_ "$work/hf.json" "json_extract(j, '\$.comparisons[0].baseline.n') || ' ' || json_extract(j, '\$.comparisons[0].candidate.n') || ' ' || json_extract(j, '\$.comparisons[0].unit_of_analysis') || ' ' || json_extract(j, '\$.comparisons[0].verdict')")" \
	"1|80 10 repetitions worse" \
	"hyperfine, one trial a run: the gate judges the newest run by its 10 iterations against the 80 since the last change, and fails at once"
obl-history -m wall_time_s --format csv "$work/hf.db" >"$work/hf.csv"
same_text "$(tail -n +2 "$work/hf.csv" | wc -l | tr -d ' ')" "0" \
	"the change-point analysis (one value a run) has no change point yet at the newest run"
hyperfine_night "$work/hf10.json" 1.2 0.001
obl-ingest -q -r night10 "$work/hf.db" "$work/hf10.json"
hyperfine_night "$work/hf11.json" 1.2 0.002
obl-ingest -q -r night11 "$work/hf.db" "$work/hf11.json"
obl-history -m wall_time_s --format csv "$work/hf.db" >"$work/hf.csv"
same_text "$(tail -n +2 "$work/hf.csv" | cut -d, -f5,6,14)" "night9,8,3" \
	"two runs later the new level is a change point at night9 (3 runs after it)"
