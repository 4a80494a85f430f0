# One option vocabulary (obl(7)): "did you mean" for options, values, metrics, runs and
# scenario keys; --metric and --scenario filters; a run compared with itself is warned about.
. tests/sh/lib.sh
g=examples/gpu-h100
obl-ingest -q -r baseline "$work/base.db" $g/baseline/*.json
obl-ingest -q -r cand-fp32 "$work/fp32.db" $g/cand-fp32/*.json
obl-ingest -q -r baseline "$work/all.db" $g/baseline/*.json
obl-ingest -q -r cand-fp32 "$work/all.db" $g/cand-fp32/*.json

# expect STATUS STDERR DESCRIPTION -- COMMAND...
expect() {
	want_status=$1 want_err=$2 desc=$3
	shift 4
	"$@" >"$work/out" 2>"$work/err"
	got=$?
	same_text "$got|$(cat "$work/err")" "$want_status|$want_err" "$desc"
}
expect 2 "obl-compare: '--metirc': unknown option; did you mean --metric? (see obl-compare --help)" \
	"a mistyped long option suggests the close one" -- obl-compare --metirc ttft_ms a b
expect 2 "obl-stats: '--confidnce': unknown option; did you mean --confidence? (see obl-stats --help)" \
	"obl-stats suggests too" -- obl-stats --confidnce 0.9 x
expect 2 "obl-compare: '--zzz': unknown option; see obl-compare --help" \
	"nothing close: no suggestion" -- obl-compare --zzz a b
expect 2 "obl-compare: '--method': unknown value 'mann-whitny'; did you mean mann-whitney?" \
	"a mistyped choice suggests the close one" -- obl-compare --method mann-whitny a b
expect 2 "obl-compare: $work/base.db: 'ttft_m': no such metric; did you mean ttft_ms?" \
	"a mistyped metric suggests the stored one" -- obl-compare -m ttft_m "$work/base.db" "$work/fp32.db"
expect 2 "obl-compare: $work/base.db: 'concurency': no scenario has this key; did you mean concurrency?" \
	"a mistyped scenario key suggests the stored one" -- obl-compare -s concurency=8 "$work/base.db" "$work/fp32.db"
expect 2 "obl-compare: $work/base.db: 'concurrency': no scenario has the value '3'; one of: 1, 2, 4, 8" \
	"a scenario value that is not there lists the values" -- obl-compare -s concurrency=3 "$work/base.db" "$work/fp32.db"
expect 2 "obl-compare: $work/all.db: 'basline': no such run; did you mean baseline?" \
	"a mistyped run label suggests the stored one" -- obl-compare "$work/all.db" -b basline -c cand-fp32
expect 2 "obl-compare: $work/all.db: 'nothing': no such run; one of: baseline, cand-fp32" \
	"an unknown run label lists the runs" -- obl-compare "$work/all.db" -b nothing -c cand-fp32

# Filters: exactly the rows asked for, from databases and result files alike.
obl-compare --format csv -m ttft_ms -s concurrency=8 "$work/base.db" "$work/fp32.db" >"$work/f.csv"
same_text "$(tail -n +2 "$work/f.csv" | wc -l | tr -d ' ')|$(tail -n +2 "$work/f.csv" | grep -c 'ttft_ms.*concurrency=8\|concurrency=8.*ttft_ms')" \
	"1|1" "--metric and --scenario select one row of a database comparison"
obl-compare --format csv -s benchmark=Encode/format=json-48 tests/data/go/old.txt tests/data/go/new.txt >"$work/g.csv"
same_text "$(tail -n +2 "$work/g.csv" | wc -l | tr -d ' ')" "1" "--scenario selects one row of a Go file comparison"

# A run compared with itself is legal, and warned about.
obl-compare "$work/all.db" -b baseline -c baseline >/dev/null 2>"$work/err"
same_text "$(cat "$work/err")" \
	"obl-compare: warning: run 'baseline' of $work/all.db is compared with itself: any difference is zero" \
	"comparing a run with itself warns"
obl-compare "$work/base.db" "$work/fp32.db" >/dev/null 2>"$work/err"
same_text "$(cat "$work/err")" "" "different runs: no warning"

# -C means the column of plain numbers in every tool; obl-ingest's CSV mapping shares it.
printf '1 10\n2 20\n3 30\n' >"$work/two.txt"
obl-ingest -q -C 2 -m v "$work/p.db" "$work/two.txt"
same_text "$(sqlite3 "$work/p.db" 'select sum(value) from samples')" "60.0" "obl-ingest -C 2 reads the second column"
same_text "$(obl-stats --format csv -C 2 "$work/two.txt" | tail -1 | cut -d, -f7,8)" "3,20" "obl-stats -C 2 reads it too"

# Progress is for a person at a terminal: never in a pipe or a log, and never for work
# under a second even when forced (OBL_PROGRESS=1).
obl-ingest -q -r p "$work/prog.db" $g/baseline/*.json 2>"$work/err"
same_text "$(wc -c <"$work/err" | tr -d ' ')" "0" "no progress on stderr that is not a terminal"
OBL_PROGRESS=1 obl-compare "$work/base.db" "$work/fp32.db" >/dev/null 2>"$work/err"
same_text "$(wc -c <"$work/err" | tr -d ' ')" "0" "no progress for work under a second, even when forced"

# Units named right: each line of go test -count is a run of the benchmark, a repetition,
# not a request within one - from files and from databases alike.
obl-compare tests/data/go/old.txt tests/data/go/new.txt >"$work/go.txt"
same_text "$(grep -c ' 10/10 reps ' "$work/go.txt")|$(grep -c 'requests treated' "$work/go.txt")" "2|0" \
	"Go -count lines: labelled repetitions, no 'requests treated as independent' note"
obl-ingest -q "$work/old.db" tests/data/go/old.txt
obl-ingest -q "$work/new.db" tests/data/go/new.txt
obl-compare --format json "$work/old.db" "$work/new.db" >"$work/go.json"
same_text "$(grep -o '"unit_of_analysis": *"[a-z]*"' "$work/go.json" | sort -u | tr -d ' ')" '"unit_of_analysis":"repetitions"' \
	"Go through a database: the unit is the repetition too"

# obl-stats reads every format obl-compare reads: a Go file gives a row per benchmark, its
# repetitions the -count lines; --metric and --scenario select rows as they do for databases.
obl-stats --format csv tests/data/go/old.txt >"$work/st.csv"
same_text "$(tail -n +2 "$work/st.csv" | cut -d, -f3,4,6,7,11 | sort)" \
	"$(printf 'benchmark=Encode/format=gob-48,ns_per_op,10,10,3065.5\nbenchmark=Encode/format=json-48,ns_per_op,10,10,1718')" \
	"obl-stats on a Go file: a row per benchmark, 10 repetitions, benchstat's medians"
same_text "$(obl-stats --format csv -m wall_time_s -s 'benchmark=sleep 0.02' tests/data/hyperfine/hyperfine-two.json | tail -n +2 | cut -d, -f3,4,7)" \
	"benchmark=sleep 0.02,wall_time_s,8" "obl-stats on a hyperfine export, filtered to one command and metric"

# obl-stats on a database: the same "did you mean" for runs, metrics and scenario keys.
same_text "$(obl-stats -r basline "$work/all.db" 2>&1; echo "|$?")" \
	"obl-stats: $work/all.db: 'basline': no such run; did you mean baseline?
|2" "obl-stats -r: a mistyped run suggests the stored one"
same_text "$(obl-stats -m ttft_m "$work/base.db" 2>&1)" \
	"obl-stats: $work/base.db: 'ttft_m': no such metric; did you mean ttft_ms?" \
	"obl-stats -m: a mistyped metric suggests the stored one"
same_text "$(obl-stats -s concurency=1 "$work/base.db" 2>&1)" \
	"obl-stats: $work/base.db: 'concurency': no scenario has this key; did you mean concurrency?" \
	"obl-stats -s: a mistyped scenario key suggests the stored one"

# obl-history and obl-report --history take -m and -s as the other tools do (found by
# probing: obl-history had --metric only, and no scenario filter), in the analysis and in the
# gate, with the same "did you mean".
for run in baseline baseline-rerun cand-fp32; do
	obl-ingest -q -r $run "$work/hist.db" $g/$run/*.json
done
obl-history --format csv -m ttft_ms -s concurrency=8 "$work/hist.db" >"$work/h.csv"
same_text "$?|$(tail -n +2 "$work/h.csv" | cut -d, -f1,2,5)" "0|concurrency=8;input_len=64;output_len=128,ttft_ms,cand-fp32" \
	"obl-history -m -s: the change points of one series only"
obl-history --format csv -s concurrency=1 "$work/hist.db" >"$work/h.csv"
same_text "$(tail -n +2 "$work/h.csv" | cut -d, -f1,2 | tr '\n' ' ')" \
	"concurrency=1;input_len=64;output_len=128,ttft_ms concurrency=1;input_len=128;output_len=512,ttft_ms " \
	"obl-history -s alone: every metric, the scenarios with concurrency=1 only"
obl-history --check-latest --format csv -m ttft_ms -s concurrency=8 "$work/hist.db" >"$work/g.csv"
same_text "$(tail -n +2 "$work/g.csv" | cut -d, -f1,2)" "concurrency=8 input_len=64 output_len=128,ttft_ms" \
	"obl-history --check-latest -m -s: one row"
expect 2 "obl-history: $work/hist.db: 'ttft_m': no such metric; did you mean ttft_ms?" \
	"obl-history -m: a mistyped metric suggests the stored one" -- obl-history -m ttft_m "$work/hist.db"
expect 2 "obl-history: $work/hist.db: 'concurency': no scenario has this key; did you mean concurrency?" \
	"obl-history -s: a mistyped scenario key suggests the stored one" -- obl-history --check-latest -s concurency=8 "$work/hist.db"
expect 2 "obl-history: $work/hist.db: 'concurrency': no scenario has the value '3'; one of: 1, 2, 4, 8" \
	"obl-history -s: a value that is not there lists the values" -- obl-history -s concurrency=3 "$work/hist.db"
obl-report --history -m ttft_ms -s concurrency=8 -o "$work/hist.md" "$work/hist.db"
same_text "$?|$(grep -c '^| concurrency=8 .* | ttft_ms | cand-fp32 (date=[0-9-]*) |' "$work/hist.md")|$(grep -c '^| concurrency=[124] ' "$work/hist.md")" "0|1|0" \
	"obl-report --history -m -s: the change point of concurrency=8's TTFT only"
expect 2 "obl-report: --order-by, --commits, --metric and --scenario go with --history" \
	"obl-report -s without --history: usage error" -- obl-report -s concurrency=8 "$work/base.db" "$work/fp32.db"
