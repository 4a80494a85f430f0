# Where a database is: a path is a path (one that begins with "//", as POSIX allows, or
# that holds "file:", "?", "#" or "%"), unless it is a PostgreSQL connection string; and a
# database obl-ingest created for a refused ingest is not left behind (found by probing:
# "//tmp/x.db" was read as a URI with the authority "tmp", and a refused file left an empty
# new.db with its -wal and -shm).
. tests/sh/lib.sh
f=examples/gpu-h100/baseline/S1-in64-out128-c1-rep1.json
abs=$(cd "$work" && pwd)

obl-ingest -q -r x "/$abs/x.db" "$f"
same_text "$?|$(ls "$abs")" "0|x.db" "obl-ingest //PATH: the database is made at the path"
same_text "$(obl-stats --format csv "/$abs/x.db" | wc -l | tr -d ' ')|$(obl-stats --check "/$abs/x.db")" \
	"10|/$abs/x.db: ok (every page, reference and series checked: no damage)" \
	"obl-stats reads and checks //PATH"
chmod 444 "$abs/x.db"
same_text "$(obl-stats --format csv "/$abs/x.db" | wc -l | tr -d ' ')|$(ls "$abs")" "10|x.db" \
	"a read-only //PATH is read too"
chmod 644 "$abs/x.db"
mkdir "$work/d"
(cd "$work/d" && obl-ingest -q -r y 'file:y.db' "$OLDPWD/$f" && obl-ingest -q -r z 'a?b#c%41.db' "$OLDPWD/$f")
same_text "$?|$(ls "$work/d" | tr '\n' ' ')|$(cd "$work/d" && obl-stats --format csv 'file:y.db' | cut -d, -f2 | sort -u | tr '\n' ' ')" \
	"0|a?b#c%41.db file:y.db |run y " "names with file:, ?, # and % are files of those names"

# A refused ingest into a database it created leaves nothing; an existing one is untouched.
printf 'not a result\n' >"$work/bad.txt"
sed 's/"ttfts": \[0.007787475999975868/"ttfts": [NaN/' "$f" >"$work/nan.json"
mkdir "$work/new"
obl-ingest "$work/new/a.db" "$work/bad.txt" 2>"$work/err"
same_text "$?|$(ls -A "$work/new")" "3|" "a file obl cannot read: the new database is not left behind"
obl-ingest "$work/new/b.db" "$work/nan.json" 2>"$work/err"
same_text "$?|$(ls -A "$work/new")|$(cat "$work/err")" \
	"3||obl-ingest: $work/nan.json:1:576: 'ttfts': request 0: latency nan is negative or not a number" \
	"a refused file: no new database, no -wal, no -shm, and the refusal said"
sqlite3 "$work/x.db" "update sample_block set data = cast(x'000000000000F87F' || substr(data, 9) as blob) where rowid = 1"
obl-ingest "$work/new/c.db" "$work/x.db" 2>/dev/null
same_text "$?|$(ls -A "$work/new")" "3|" "a damaged database merged into a new one: nothing left behind"
obl-ingest -q "$work/new/d.db" "$f" "$work/bad.txt" 2>/dev/null
same_text "$?|$(ls -A "$work/new")|$(sqlite3 "$work/new/d.db" 'select count(*) from source')" "3|d.db|1" \
	"a new database that took the files before the refused one is kept"
cp "$work/new/d.db" "$work/new/e.db"
before=$(db_hash "$work/new/e.db")
obl-ingest "$work/new/e.db" "$work/nan.json" 2>/dev/null
same_text "$?|$(ls -A "$work/new" | tr '\n' ' ')|$(db_hash "$work/new/e.db")" "3|d.db e.db |$before" \
	"an existing database is untouched by a refused file"
sqlite3 "$work/new/empty.db" "pragma user_version = 0" # an SQLite file that existed, empty
obl-ingest "$work/new/empty.db" "$work/bad.txt" 2>/dev/null
same_text "$?|$(ls -A "$work/new" | tr '\n' ' ')" "3|d.db e.db empty.db " \
	"a database file that existed before is never removed"
