# Names are stored whole: labels, metric names, scenario values that differ only after their
# first few hundred bytes stay apart (they were once cut to fixed buffers and merged).
. tests/sh/lib.sh
long=$(printf 'x%.0s' $(seq 1 600))
db=$work/names.db

printf 'BenchmarkA%s1 \t 100\t 10.0 ns/op\nBenchmarkA%s2 \t 100\t 20.0 ns/op\n' "$long" "$long" >"$work/go.txt"
obl-ingest -q "$db" "$work/go.txt"
same_text "$(sqlite3 "$db" "select count(*) from scenario")" "2" \
	"two Go benchmarks whose names share their first 600 bytes are two scenarios"
same_text "$(sqlite3 "$db" "select max(length(value)) from scenario_key")" "602" \
	"a Go benchmark name of 602 bytes is stored whole"

printf 'run,m%s_a_ms,m%s_b_ms\nr,1,2\n' "$long" "$long" >"$work/cols.csv"
obl-ingest -q "$db" "$work/cols.csv"
same_text "$(sqlite3 "$db" "select count(*) from metric where name like 'm%'")" "2" \
	"two CSV columns whose names share their first 600 bytes are two metrics"

printf '1\n2\n' >"$work/a.txt"
printf '3\n4\n' >"$work/b.txt"
obl-ingest -q -r "run-$long-a" "$db" "$work/a.txt"
obl-ingest -q -r "run-$long-b" "$db" "$work/b.txt"
same_text "$(sqlite3 "$db" "select count(*) from run where label like 'run-%'")" "2" \
	"two run labels sharing their first 600 bytes are two runs"

# A scenario key of 300 bytes is a filter whole too (obl-stats cut -s keys at 255 bytes and
# found no such key).
key=$(printf 'k%.0s' $(seq 1 300))
printf '1\n2\n3\n' >"$work/three.txt"
obl-ingest -q -s "$key=v" "$work/key.db" "$work/three.txt"
same_text "$(obl-stats --format csv -s "$key=v" "$work/key.db" | tail -n +2 | cut -d, -f7)|$(obl-history --format csv -s "$key=v" "$work/key.db" >/dev/null; echo $?)" \
	"3|0" "obl-stats and obl-history -s with a key of 300 bytes"
