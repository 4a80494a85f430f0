#!/bin/sh
# make bench, the PostgreSQL part (bench/run.sh calls it): a throwaway server
# (scripts/pg-server.sh) and
#   - 16 concurrent writers of 100 files each into one store, with readers running: the time,
#     and the check that every file is stored exactly once;
#   - ingest throughput (COPY) against the SQLite ingest of the same files;
#   - obl-compare and obl-history over a history of PG_HISTORY_RUNS runs (default 10000).
# Figures are printed, never asserted. Usage: bench/pg.sh BUILD WORKDIR
set -u
build=${1:-build}
work=$2
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
pgdir=$(mktemp -d /tmp/obl-pgbench.XXXXXX)
trap 'sh scripts/pg-server.sh stop "$pgdir"' EXIT INT TERM
if ! conn=$(sh scripts/pg-server.sh start "$pgdir" 2>"$work/pg.err"); then
	echo "skipped: no PostgreSQL server here ($(head -c 200 "$work/pg.err"))"
	exit 0
fi
newdb() {
	psql -X -q "$conn" -c "CREATE DATABASE $1" >/dev/null && echo "host=$pgdir user=obl dbname=$1"
}
now() { date +%s.%N; }
timed() { # label command...: wall s, CPU s (user + sys), peak KiB
	label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>/dev/null || true
	awk -v l="$label" '{ printf "  %-42s %7.2f s wall %7.2f s CPU %8d KiB peak\n", l, $1, $2 + $3, $4 }' "$work/time"
}
q() { psql -X -At -F' ' "$1" -c "$2"; }

echo "-- 16 concurrent writers x 100 files (vLLM results, 50 requests x 16 tokens) into one store, 2 readers running"
mkdir -p "$work/pgload"
cc -O2 -o "$work/gen_vllm" bench/gen_vllm.c -lgsl -lgslcblas -lm
for w in $(seq 1 16); do
	for f in $(seq 1 100); do
		"$work/gen_vllm" 50 16 $((f % 4 + 1)) $((w * 1000 + f)) >"$work/pgload/w$w-$f.json"
	done
done
load=$(newdb load)
"$bin/obl-ingest" -q -r w1 "$load" "$work/pgload/w1-1.json" # the schema, before the race
for r in 1 2; do
	(
		n=0
		while [ ! -f "$work/pgload/done" ]; do
			"$bin/obl-stats" "$load" >/dev/null 2>&1 || echo x >>"$work/pgload/reader.fail"
			n=$((n + 1))
		done
		echo "$n" >"$work/pgload/reads.$r"
	) &
done
t0=$(now)
pids=""
for w in $(seq 1 16); do
	"$bin/obl-ingest" -q -r "w$w" "$load" "$work/pgload"/w"$w"-*.json 2>>"$work/pgload/errors" &
	pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=$((failed + 1)); done
t1=$(now)
touch "$work/pgload/done"
wait
set -- $(q "$load" "SELECT count(*), count(DISTINCT sha256) FROM source")
values=$(q "$load" "SELECT sum(count) FROM series")
awk -v a="$t0" -v b="$t1" -v n="$1" -v d="$2" -v v="$values" -v f="$failed" -v r="$(cat "$work"/pgload/reads.* | paste -sd+ | bc)" 'BEGIN {
	printf "1600 files in %.1f s (%.0f files/s, %.2f M values/s); stored %d files, %d distinct SHA-256 (want 1600 and 1600); %d writers failed; %d reads meanwhile\n", b - a, n / (b - a), v / (b - a) / 1e6, n, d, f, r
}'
[ -s "$work/pgload/reader.fail" ] && echo "readers failed $(wc -l <"$work/pgload/reader.fail") times"

echo
echo "-- ingest throughput: the same 100 files, one obl-ingest, SQLite then PostgreSQL (COPY)"
tput=$(newdb tput)
t0=$(now)
"$bin/obl-ingest" -q -r w1 "$work/tput.db" "$work/pgload"/w1-*.json
t1=$(now)
"$bin/obl-ingest" -q -r w1 "$tput" "$work/pgload"/w1-*.json
t2=$(now)
values=$(q "$tput" "SELECT sum(count) FROM series")
awk -v a="$t0" -v b="$t1" -v c="$t2" -v v="$values" 'BEGIN {
	printf "SQLite: %.2f s (%.2f M values/s); PostgreSQL: %.2f s (%.2f M values/s); ratio PG / SQLite %.2f\n", b - a, v / (b - a) / 1e6, c - b, v / (c - b) / 1e6, (c - b) / (b - a)
}'
"$work/gen_vllm" 100000 64 64 7 >"$work/big.json"
rm -f "$work/big.db"
t0=$(now)
"$bin/obl-ingest" -q -r big "$work/big.db" "$work/big.json"
t1=$(now)
"$bin/obl-ingest" -q -r big "$tput" "$work/big.json"
t2=$(now)
values=$(q "$tput" "SELECT sum(count) FROM series se JOIN trial t ON t.id = se.trial_id JOIN run r ON r.id = t.run_id WHERE r.label = 'big'")
awk -v a="$t0" -v b="$t1" -v c="$t2" -v v="$values" 'BEGIN {
	printf "one vLLM file of 100000 requests x 64 tokens (%.1f M values): SQLite %.2f s (%.2f M values/s), PostgreSQL %.2f s (%.2f M values/s)\n", v / 1e6, b - a, v / (b - a) / 1e6, c - b, v / (c - b) / 1e6
}'
rm -f "$work/big.json" "$work"/big.db* "$work"/tput.db*

runs=${PG_HISTORY_RUNS:-10000}
echo
echo "-- obl-history and obl-compare over $runs runs x 100 series x 3 repetitions (bench/gen_history), SQLite and PostgreSQL"
rm -f "$work"/pgjob-*.db "$work/pghistory.db"
"$work/gen_history" "$work/pgjob" "$runs" 100 3 10 1
"$bin/obl-ingest" -q "$work/pghistory.db" "$work"/pgjob-*.db
hist=$(newdb history)
t0=$(now)
"$bin/obl-ingest" -q "$hist" "$work/pghistory.db"
t1=$(now)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "  push of the SQLite history into PostgreSQL   %7.2f s wall\n", b - a }'
first=$("$bin/obl-runs" "$work/pghistory.db" | sed -n 2p | cut -d' ' -f1)
last=$("$bin/obl-runs" "$work/pghistory.db" | tail -n 1 | cut -d' ' -f1)
for engine in SQLite PostgreSQL; do
	if [ "$engine" = SQLite ]; then d="$work/pghistory.db"; else d=$hist; fi
	timed "obl-history ($engine)" "$bin/obl-history" "$d"
	cp "$work/out" "$work/history.$engine"
	timed "obl-compare first/last ($engine)" "$bin/obl-compare" --baseline "$first" --candidate "$last" "$d"
	cp "$work/out" "$work/compare.$engine"
done
cmp -s "$work/compare.SQLite" "$work/compare.PostgreSQL" && echo "  obl-compare's outputs are the same on both engines"
cmp -s "$work/history.SQLite" "$work/history.PostgreSQL" && echo "  obl-history's outputs are the same on both engines"
rm -f "$work"/pgjob-*.db "$work"/pghistory.db*
