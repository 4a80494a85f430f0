#!/bin/sh
# The PostgreSQL engine against a real, throwaway server (scripts/pg-server.sh: initdb and
# pg_ctl in a temporary directory, a Unix socket there, an unprivileged user), no mocks:
# the store's unit test; ingest, stats, compare, report, history and runs give the same output
# and exit status as on SQLite; runs pushed from SQLite and pulled back compare byte for byte;
# merging twice changes nothing; concurrent writers lose nothing and number repetitions
# without gaps while readers read; writer and reader roles; no password in any output.
# Without the server packages every test here is reported skipped.
. tests/sh/lib.sh

names="store-unit-test same-ingest same-stats same-compare same-report same-history same-samples-view same-tag-conflict same-runs check-values same-remove-rename push-pull merge-twice concurrent-writers killed-writer roles no-password"
pgdir=$(mktemp -d /tmp/obl-pg.XXXXXX)
trap 'sh scripts/pg-server.sh stop "$pgdir"; rm -rf "$work"' EXIT INT TERM
conn=$(sh scripts/pg-server.sh start "$pgdir" 2>"$work/server.err")
status=$?
if [ "$status" -ne 0 ]; then
	reason="no PostgreSQL server here (Debian: postgresql; make deps installs it)"
	if [ "$status" -ne 77 ]; then
		reason="the PostgreSQL server did not start: $(head -c 200 "$work/server.err" | tr '\n' ' ')"
		not_ok "postgresql server: $reason"
		exit 0
	fi
	for n in $names; do skip "postgresql $n" "$reason"; done
	exit 0
fi
psql_do() { psql -X -q -v ON_ERROR_STOP=1 "$conn" "$@"; }
# a new empty database, printed as a connection string
newdb() {
	psql_do -c "CREATE DATABASE $1" >/dev/null || return 1
	echo "host=$pgdir user=obl dbname=$1"
}
h100=examples/gpu-h100
# how messages name a database of newdb (libpq's order of settings)
obl_display() { echo "user=obl dbname=${1##*dbname=} host=$pgdir"; }

# --- the store's unit test, on a server
db=$(newdb unit)
"$OBL_BUILD/tests/test_store" "$db" >"$work/unit.out" 2>&1
if [ $? -eq 0 ] && ! grep -q '^not ok' "$work/unit.out"; then
	ok "postgresql store-unit-test: test_store passes on PostgreSQL ($(grep -c '^ok' "$work/unit.out") checks)"
else
	not_ok "postgresql store-unit-test: $(grep -m3 '^not ok' "$work/unit.out" | tr '\n' ' ')"
fi

# --- every test input (readers' samples, bad and hostile files) ingested into both engines:
# the same messages and exit statuses, then the same obl-stats of all that was stored
ingested="$work/ingest.db"
ipg=$(newdb ingest)
n=0
differ=""
for f in $(find tests/data -type f \( -name '*.json' -o -name '*.txt' -o -name '*.csv' -o -name '*.jsonl' \) | sort); do
	n=$((n + 1))
	a=$(obl-ingest -q -r "r$n" "$ingested" "$f" 2>&1)
	a="$a $?"
	b=$(obl-ingest -q -r "r$n" "$ipg" "$f" 2>&1)
	b="$(printf '%s' "$b" | sed "s|$(obl_display "$ipg")|$ingested|g") $?"
	[ "$a" = "$b" ] || differ="$differ $f"
done
obl-stats "$ingested" >"$work/ingest.lite"
obl-stats "$ipg" >"$work/ingest.pg"
if [ -z "$differ" ] && [ "$n" -gt 50 ] && [ -s "$work/ingest.lite" ] && cmp -s "$work/ingest.lite" "$work/ingest.pg"; then
	ok "postgresql same-ingest: $n test inputs ingested: the same messages and exit statuses as SQLite, then the same obl-stats ($(wc -l <"$work/ingest.pg") lines)"
else
	not_ok "postgresql same-ingest: differs for$differ; $(diff "$work/ingest.lite" "$work/ingest.pg" | head -3 | tr '\n' ' ')"
fi

# --- the same runs in both engines
pg=$(newdb same)
lite="$work/same.db"
for run in baseline cand-fp32 cand-eager; do
	obl-ingest -q -r "$run" "$lite" "$h100/$run"/*.json || not_ok "ingest $run into SQLite"
	obl-ingest -q -r "$run" "$pg" "$h100/$run"/*.json || not_ok "ingest $run into PostgreSQL"
done
# both_same NAME COMMAND...: the command (DB where the database goes) gives the same stdout
# and exit status on both engines; the databases' names read DB in both
both_same() {
	name=$1
	shift
	for engine in lite pg; do
		eval "d=\$$engine"
		cmd=$(printf '%s\n' "$*" | sed "s|DB|'$d'|g")
		(cd "$work" && eval "$cmd") >"$work/$engine.out" 2>"$work/$engine.err"
		echo $? >"$work/$engine.status"
		sed -i "s|$d|DB|g" "$work/$engine.out"
	done
	if [ ! -s "$work/lite.out" ]; then
		not_ok "postgresql $name: no output on SQLite ($(head -c 200 "$work/lite.err"))"
	elif cmp -s "$work/lite.out" "$work/pg.out" && cmp -s "$work/lite.status" "$work/pg.status"; then
		ok "postgresql $name: the same output ($(wc -l <"$work/pg.out") lines) and exit status ($(cat "$work/pg.status")) as SQLite"
	else
		not_ok "postgresql $name: differs from SQLite (exit $(cat "$work/lite.status") vs $(cat "$work/pg.status")): $(diff "$work/lite.out" "$work/pg.out" | head -5 | tr '\n' ' ') $(head -c 200 "$work/pg.err")"
	fi
}
both_same same-stats obl-stats DB
both_same same-compare obl-compare --baseline baseline --candidate cand-fp32 --candidate cand-eager DB
both_same same-report "obl-report -o r.md --baseline baseline --candidate cand-fp32 DB && cat r.md"
both_same same-history obl-history DB
# the documented view, one row per value, the same on both engines (values in millionths:
# the two clients print floats differently)
view="SELECT run, scenario, metric, unit, repetition, seq, source, CAST(round(value * 1e6) AS bigint) FROM samples ORDER BY 1, 2, 3, 5, 6"
sqlite3 -separator '|' "$lite" "$view" >"$work/view.lite"
psql -X -At "$pg" -c "$view" >"$work/view.pg"
if [ "$(wc -l <"$work/view.lite")" -gt 50000 ] && cmp -s "$work/view.lite" "$work/view.pg"; then
	ok "postgresql same-samples-view: the samples view gives the same $(wc -l <"$work/view.pg") rows on both engines"
else
	not_ok "postgresql same-samples-view: $(wc -l <"$work/view.lite") vs $(wc -l <"$work/view.pg") rows; $(diff "$work/view.lite" "$work/view.pg" | head -3 | tr '\n' ' ')"
fi
both_same same-runs "obl-runs DB | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g'"

# --- --check: a NaN or an infinity among a series' values is damage, as in an SQLite store
chk=$(newdb checked)
obl-ingest -q -r base "$chk" "$h100/baseline/S1-in64-out128-c1-rep1.json"
obl-stats --check "$chk" >/dev/null 2>&1
first=$?
sid=$(psql -X -At "$chk" -c "SELECT min(id) FROM series WHERE cardinality(vals) > 2")
psql -X -q "$chk" -c "UPDATE series SET vals[2] = 'Infinity' WHERE id = $sid"
obl-stats --check "$chk" >/dev/null 2>"$work/err"
same_text "$first|$?|$(head -n 1 "$work/err")" "0|3|obl-stats: series $sid: value 2 is NaN or infinite" \
	"postgresql check-values: --check finds an infinity among a series' values"

# --- a SQLite run pushed into PostgreSQL and pulled back compares identically
team=$(newdb team)
obl-compare --baseline baseline --candidate cand-fp32 "$lite" >"$work/before.txt"
obl-ingest -q "$team" "$lite" || not_ok "push a SQLite database into PostgreSQL"
obl-ingest -q "$work/review.db" "$team" -r cand-fp32 || not_ok "pull run cand-fp32"
obl-ingest -q "$work/review.db" "$team" -r baseline || not_ok "pull run baseline"
obl-compare --baseline baseline --candidate cand-fp32 "$work/review.db" >"$work/after.txt"
obl-compare --baseline baseline --candidate cand-fp32 "$team" >"$work/team.txt"
runs=$(obl-runs "$work/review.db" | tail -n +2 | cut -d' ' -f1 | tr '\n' ' ')
if [ -s "$work/before.txt" ] && cmp -s "$work/before.txt" "$work/after.txt" &&
	cmp -s "$work/before.txt" "$work/team.txt" && [ "$runs" = "cand-fp32 baseline " ]; then
	ok "postgresql push-pull: pushed into PostgreSQL and pulled back (runs $runs), obl-compare's output is byte for byte the original's"
else
	not_ok "postgresql push-pull: $(diff "$work/before.txt" "$work/after.txt" | head -3 | tr '\n' ' ') runs '$runs'"
fi

# --- the same source merged twice changes nothing: the SHA-256 of each file, once
shas() { psql -X -At "$1" -c "SELECT sha256 FROM source ORDER BY sha256" | sha256sum; }
before=$(shas "$team")
n_before=$(psql -X -At "$team" -c "SELECT count(*) FROM source")
out=$(obl-ingest "$team" "$lite")
after=$(shas "$team")
n_after=$(psql -X -At "$team" -c "SELECT count(*) FROM source")
pulled=$(obl-ingest "$work/review.db" "$team" -r baseline)
if [ "$before" = "$after" ] && [ "$n_before" = "$n_after" ] && [ "$n_after" = 78 ] &&
	echo "$out" | grep -q '0 files of 0 runs copied.*78 already there' &&
	echo "$pulled" | grep -q '0 files of 0 runs copied.*26 already there'; then
	ok "postgresql merge-twice: merging the same database again, either way, writes nothing (78 files, each SHA-256 once)"
else
	not_ok "postgresql merge-twice: $n_before -> $n_after files; $out; $pulled"
fi

# --- 8 concurrent writers of 20 files each (4 writers per run) and 5 files every writer
# also sends, with readers reading all along: every file stored once, repetitions 1..N
load=$(newdb load)
obl-ingest -q -r r0 "$load" "$h100/baseline/S1-in64-out128-c1-rep1.json" # the schema, once
mkdir "$work/load"
for w in 1 2 3 4 5 6 7 8; do
	for f in $(seq 1 20); do
		awk -v w="$w" -v f="$f" 'BEGIN { for (i = 1; i <= 50; i++) printf "%d.%03d\n", w * 1000 + f, i }' >"$work/load/w$w-$f.txt"
	done
done
for f in 1 2 3 4 5; do
	awk -v f="$f" 'BEGIN { for (i = 1; i <= 50; i++) printf "%d.%03d\n", 99000 + f, i }' >"$work/load/shared-$f.txt"
done
(
	i=0
	while [ ! -f "$work/load/done" ]; do
		obl-stats "$load" >/dev/null 2>"$work/load/reader.err" || echo "reader failed" >>"$work/load/reader.fail"
		i=$((i + 1))
	done
	echo "$i" >"$work/load/reads"
) &
reader=$!
pids=""
for w in 1 2 3 4 5 6 7 8; do
	(
		for f in 1 2 3 4 5; do
			obl-ingest -q -r "r$((w % 2))" "$load" "$work/load/shared-$f.txt" 2>/dev/null || echo "w$w shared-$f" >>"$work/load/failed"
		done
		for f in $(seq 1 20); do
			obl-ingest -q -r "r$((w % 2))" "$load" "$work/load/w$w-$f.txt" 2>>"$work/load/errors" || echo "w$w-$f" >>"$work/load/failed"
		done
	) &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
touch "$work/load/done"
wait "$reader"
counts=$(psql -X -At -F' ' "$load" -c "SELECT count(*), count(DISTINCT sha256) FROM source WHERE format = 'plain'")
# per run: every (scenario, metric) numbered 1..N, no gap, no repetition twice
reps=$(psql -X -At -F' ' "$load" -c "SELECT r.label, count(*), count(DISTINCT t.repetition), max(t.repetition) FROM trial t JOIN run r ON r.id = t.run_id JOIN series se ON se.trial_id = t.id JOIN metric m ON m.id = se.metric_id WHERE m.name = 'value' GROUP BY r.label ORDER BY 1" | tr '\n' ';')
values=$(psql -X -At "$load" -c "SELECT count(*) FROM samples WHERE metric = 'value'")
if [ "$counts" = "165 165" ] && [ "$values" = 8250 ] && [ ! -s "$work/load/failed" ] &&
	[ ! -s "$work/load/reader.fail" ] &&
	echo "$reps" | awk -F';' '{ for (i = 1; i < NF; i++) { split($i, f, " "); if (f[2] != f[3] || f[3] != f[4]) exit 1 } }'; then
	ok "postgresql concurrent-writers: 8 writers x 20 files + 5 files sent by all, readers reading ($(cat "$work/load/reads") reads): 165 files stored once, 8250 values, repetitions $reps"
else
	not_ok "postgresql concurrent-writers: files '$counts', values $values, repetitions '$reps', failed: $(cat "$work/load/failed" "$work/load/reader.fail" 2>/dev/null | head -3 | tr '\n' ' ') $(head -c 300 "$work/load/errors")"
fi

# --- a writer killed mid-way leaves each file whole or absent, never half-written: a list of
# files ingested while the writer is killed (whenever that lands), then the list again
killed=$(newdb killed)
obl-ingest -q -r k "$killed" "$work/load/w1-1.txt"
obl-ingest -q -r k "$killed" "$work"/load/w[2-8]-*.txt 2>/dev/null &
victim=$!
# killed once some files are in (whenever that lands within a file)
while kill -0 "$victim" 2>/dev/null &&
	[ "$(psql -X -At "$killed" -c "SELECT count(*) FROM source")" -lt 20 ]; do :; done
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
partial=$(psql -X -At "$killed" -c "SELECT count(*) FROM source")
broken=$(psql -X -At "$killed" -c "SELECT count(*) FROM source s WHERE (SELECT count(*) FROM trial t JOIN series se ON se.trial_id = t.id WHERE t.source_id = s.id AND se.count = 50 AND cardinality(se.vals) = 50) <> 1")
obl-ingest -q -r k "$killed" "$work"/load/w[2-8]-*.txt
whole=$(psql -X -At "$killed" -c "SELECT count(*), (SELECT count(*) FROM series WHERE cardinality(vals) = 50) FROM source" | tr '|' ' ')
if [ "$broken" = 0 ] && [ "$whole" = "141 141" ]; then
	ok "postgresql killed-writer: killed after $partial of 141 files, each stored file whole; the list again adds the rest (141 files, each one series of 50 values)"
else
	not_ok "postgresql killed-writer: $broken half-written files of $partial; after the rerun '$whole', want '141 141'"
fi

# --- roles: a CI writer (SELECT, INSERT, sequences; what the README grants) and a reader
# (SELECT only), each with a password, which no output shows
secret_w="w-Sekr3t-pass"
secret_r="r-Sekr3t-pass"
psql -X -q -v ON_ERROR_STOP=1 "host=$pgdir user=obl dbname=team" >/dev/null <<EOF
CREATE ROLE obl_writer LOGIN PASSWORD '$secret_w';
CREATE ROLE obl_reader LOGIN PASSWORD '$secret_r';
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO obl_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO obl_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO obl_reader;
EOF
writer="postgresql://obl_writer:$secret_w@/team?host=$pgdir"
: >"$work/all.out"
obl-ingest -r nightly "$writer" "$h100/baseline-rerun"/*.json >>"$work/all.out" 2>&1
w_status=$?
obl-stats -r nightly "postgresql:///team?host=$pgdir&user=obl_reader&password=$secret_r" >"$work/reader.out" 2>>"$work/all.out"
r_status=$?
cat "$work/reader.out" >>"$work/all.out"
PGHOST=$pgdir PGUSER=obl_reader PGPASSWORD=$secret_r obl-ingest -q -r nope "dbname=team" "$work/load/w1-1.txt" >>"$work/all.out" 2>"$work/denied.err"
d_status=$?
cat "$work/denied.err" >>"$work/all.out"
PGHOST=$pgdir PGUSER=obl_writer PGPASSWORD=$secret_w obl-runs "dbname=team" remove nightly >>"$work/all.out" 2>"$work/remove.err"
rm_status=$?
cat "$work/remove.err" >>"$work/all.out"
# libpq's own settings: a service file and a password file (obl reads neither itself)
printf '[obl-team]\nhost=%s\ndbname=team\nuser=obl_reader\n' "$pgdir" >"$work/pg_service.conf"
printf '*:*:team:obl_reader:%s\n' "$secret_r" >"$work/pgpass"
chmod 600 "$work/pgpass"
PGSERVICEFILE="$work/pg_service.conf" PGPASSFILE="$work/pgpass" obl-stats -r nightly service=obl-team >"$work/service.out" 2>>"$work/all.out"
s_status=$?
cat "$work/service.out" >>"$work/all.out"
if [ "$w_status" = 0 ] && [ "$r_status" = 0 ] && grep -q '^nightly' "$work/reader.out" &&
	[ "$s_status" = 0 ] && cmp -s "$work/service.out" "$work/reader.out" &&
	[ "$d_status" = 3 ] && grep -q 'this role may not' "$work/denied.err" &&
	[ "$rm_status" = 3 ] && grep -q 'this role may not' "$work/remove.err"; then
	ok "postgresql roles: the writer ingests, the reader reads (also through a service file and a password file); the reader cannot ingest and the writer cannot remove a run (exit 3, 'this role may not')"
else
	not_ok "postgresql roles: writer $w_status, reader $r_status, service $s_status, reader ingesting $d_status, writer removing $rm_status: $(head -c 300 "$work/all.out")"
fi

# --- no password in any message: a wrong one, a database that is not there, a bad merge
obl-stats "postgresql://obl_reader:wrong-$secret_r@/team?host=$pgdir" >>"$work/all.out" 2>&1
s1=$?
obl-compare "postgresql://obl_reader:$secret_r@/nosuchdb?host=$pgdir" "postgresql://obl_reader:$secret_r@/nosuchdb?host=$pgdir" >>"$work/all.out" 2>&1
s2=$?
obl-ingest "$work/x.db" "postgresql://obl_reader:$secret_r@/team?host=$pgdir" -r nosuchrun >>"$work/all.out" 2>&1
s3=$?
obl-ingest "$work/y.db" "host=$pgdir dbname=team user=obl_reader password=$secret_r sslmode=disable" -r nightly >>"$work/all.out" 2>&1
s4=$?
obl-history "postgresql://obl_writer:$secret_w@/team?host=$pgdir&sslmode=prefer" >>"$work/all.out" 2>&1
s5=$?
obl-stats -r nosuchrun "postgresql://obl_reader@/team?host=$pgdir&password=$secret_r" >>"$work/all.out" 2>&1
s6=$?
obl-compare --baseline nightly --candidate nosuch "host=$pgdir dbname=team user=obl_reader password=$secret_r" >>"$work/all.out" 2>&1
s7=$?
# a password where libpq does not look for one: a URI given as dbname, a setting in options
obl-stats "dbname='postgresql://obl_reader:$secret_r@/team?host=$pgdir' host=$pgdir" >>"$work/all.out" 2>&1
obl-stats "host=$pgdir dbname=team user=obl_reader options='-c x.password=$secret_r'" >>"$work/all.out" 2>&1
if [ "$s1" = 3 ] && [ "$s2" = 3 ] && [ "$s3" = 2 ] && [ "$s4" = 0 ] && [ "$s5" = 0 ] &&
	[ "$s6" = 2 ] && [ "$s7" = 2 ] && grep -q "postgresql://obl_reader@/team?host=$pgdir: 'nosuchrun'" "$work/all.out" &&
	! grep -q 'Sekr3t' "$work/all.out" && grep -q 'password authentication failed' "$work/all.out" &&
	grep -q "user=obl_reader dbname=team host=$pgdir sslmode=disable:" "$work/all.out"; then
	ok "postgresql no-password: failed logins, a missing database, merges, TLS settings, unknown runs: exits 3 3 2 0 0 2 2, no password in $(wc -l <"$work/all.out") lines of output"
else
	not_ok "postgresql no-password: exits $s1 $s2 $s3 $s4 $s5 $s6 $s7; $(grep -m2 'Sekr3t' "$work/all.out" | sed 's/Sekr3t/<SECRET>/g') $(tail -3 "$work/all.out" | tr '\n' ' ')"
fi

# --- removing and renaming runs, a file that contradicts its run (last: they change the
# databases of the first tests)
both_same same-remove-rename "obl-runs DB remove cand-eager && obl-runs DB rename cand-fp32 fp32 && obl-runs DB rename fp32 cand-fp32 && obl-runs DB remove nosuch; obl-stats DB"
both_same same-tag-conflict "obl-ingest -q -r y -t model=a DB $PWD/tests/data/go/old.txt; obl-ingest -q -r y -t model=b DB $PWD/tests/data/go/new.txt 2>&1; echo \$?"
