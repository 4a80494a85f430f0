# obl-compare --by KEY: the values of a scenario key inside one file or database compared
# (benchstat's -col): the two commands of a hyperfine export, the poly= sub-benchmarks of a
# real Go file; --ignore-key pairs two exports whose commands are named differently.
. tests/sh/lib.sh
h=tests/data/hyperfine/hyperfine-two.json
row() { grep "$1" "$2" | tr -s ' ' | sed 's/^ //'; }

obl-compare --by benchmark "$h" >"$work/by.txt"
same_text "$?|$(row wall_time_s "$work/by.txt")" \
	"1|(run) wall_time_s (s) median (HL) 8/8 reps 0.015402 0.025248 +63.93% [+60.12%, +67.19%] 0.0003 worse" \
	"hyperfine export of two commands: sleep 0.02 against sleep 0.01 in one command, +63% worse"
case "$(head -1 "$work/by.txt")" in
"baseline benchmark=sleep 0.01, candidate benchmark=sleep 0.02 "*) ok "--by: the first value is the baseline, the sides named KEY=VALUE" ;;
*) not_ok "--by header: $(head -1 "$work/by.txt")" ;;
esac
obl-compare --by 'benchmark=sleep 0.02,sleep 0.01' "$h" >"$work/rev.txt"
same_text "$?|$(row wall_time_s "$work/rev.txt" | cut -d' ' -f8,10)" "0|0.025192 -39.00%" \
	"--by KEY=BASE,CAND: the named value is the baseline (the change reversed)"

obl-ingest -q -r both "$work/h.db" "$h"
obl-compare --by benchmark "$work/h.db" >"$work/db.txt"
same_text "$(tail -n +2 "$work/db.txt")" "$(tail -n +2 "$work/by.txt")" \
	"--by on a database's run gives the rows of the file"

obl-compare --by benchmrk "$h" 2>"$work/err"
same_text "$?|$(cat "$work/err")" "2|obl-compare: $h: 'benchmrk': no scenario has this key; did you mean benchmark?" \
	"--by a mistyped key suggests the close one"
obl-compare --by 'benchmark=sleep 0.01,sleep 1' "$h" 2>"$work/err"
same_text "$?|$(cat "$work/err")" "2|obl-compare: $h: 'benchmark': no scenario has the value 'sleep 1'" \
	"--by a value no scenario has: usage error"
# Two exports of one command each, its name differing (old and new binary): paired by a rule.
one() { # FILE INDEX NAME: the export with only result INDEX, its command renamed
	sqlite3 :memory: "select json_set(readfile('$1'), '\$.results', json_array(json_set(json_extract(readfile('$1'), '\$.results[$2]'), '\$.command', '$3')))" >"$4"
}
one "$h" 0 "./old/sleep 0.01" "$work/old.json"
one tests/data/hyperfine/hyperfine-two-rerun.json 0 "./new/sleep 0.01" "$work/new.json"
obl-compare "$work/old.json" "$work/new.json" >/dev/null 2>"$work/err"
same_text "$?" "3" "two exports whose commands differ: nothing in common without a rule"
obl-compare --ignore-key benchmark "$work/old.json" "$work/new.json" >"$work/pair.txt"
same_text "$?|$(row wall_time_s "$work/pair.txt" | cut -d' ' -f1-8)" \
	"1|(run) wall_time_s (s) median (HL) 8/8 reps 0.015402" \
	"--ignore-key benchmark pairs them: the rerun's numbers against the first run's"
obl-compare --ignore-key benchmark "$h" tests/data/hyperfine/hyperfine-two-rerun.json 2>"$work/err"
case "$?|$(cat "$work/err")" in
"2|obl-compare: $h: 'benchmark': without this key two series of "*) ok "--ignore-key that would merge two commands: refused" ;;
*) not_ok "--ignore-key merging: $(cat "$work/err")" ;;
esac

if [ -n "$corpus" ] && [ -f "$corpus/go-bench/golang-perf_crc-old.txt" ]; then
	obl-compare --by poly=Castagnoli,IEEE "$corpus/go-bench/golang-perf_crc-old.txt" >"$work/crc.txt"
	same_text "$(grep -c '^24 rows: 0 better, 24 worse' "$work/crc.txt")" "1" \
		"Go sub-benchmarks: poly=IEEE against poly=Castagnoli, 6 sizes x 2 alignments x 2 metrics"
	same_text "$(head -1 "$work/crc.txt" | cut -d' ' -f1-4)|$(row 'size=1kB/align=0-8 *ns_per_op' "$work/crc.txt" | cut -d' ' -f1,8-10)" \
		"baseline poly=Castagnoli, candidate poly=IEEE|benchmark=CRC32/size=1kB/align=0-8 65.5 449.87 +586.83%" \
		"Go: the poly= element cut out of the benchmark name (GOMAXPROCS kept); IEEE 6.9x slower at 1 kB"
else
	skip "Go sub-benchmarks compared along poly=" "corpus absent"
	skip "Go: the poly= element cut out of the name" "corpus absent"
fi
