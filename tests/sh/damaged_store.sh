# A damaged store (schema 5: a series' count against its blocks, the schema version) is
# refused with "the database is damaged", naming the file, exit 3: never an allocation sized
# by a damaged count, never values silently dropped, never a migration from a version obl
# never wrote. (Found by probing: count 2^61 overflowed a buffer, count 0 or -5 dropped the
# series' 762 values with exit 0, user_version -1 indexed the migrations at -1.)
. tests/sh/lib.sh
obl-ingest -q -r base "$work/good.db" examples/gpu-h100/baseline/S1-in64-out128-c1-rep1.json
id=$(sqlite3 "$work/good.db" "select series_id from sample_block group by series_id having count(*) > 1 limit 1")
damage() { # NAME SQL: a copy of the good store, damaged
	cp "$work/good.db" "$work/$1.db"
	sqlite3 "$work/$1.db" "$2"
}
refused() { # NAME TOOL... : exit 3 and the damage named
	name=$1
	shift
	"$@" "$work/$name.db" >/dev/null 2>"$work/err"
	same_text "$?|$(grep -c "$work/$name.db: .*the database is damaged" "$work/err")" "3|1" \
		"$name: $1 says the database is damaged, naming it"
}
damage huge "update series set count = 2305843009213693952 where id = $id"
refused huge obl-stats
refused huge obl-compare "$work/good.db"
refused huge obl-ingest -q "$work/merged-huge.db"
refused huge obl-history
damage negative "update series set count = -5 where id = $id"
refused negative obl-stats
refused negative obl-history
damage zero "update series set count = 0 where id = $id"
refused zero obl-stats
refused zero obl-ingest -q "$work/merged-zero.db"
same_text "$(grep -o 'a series has more than 0 values, 0 expected' "$work/err" | head -n 1)" \
	"a series has more than 0 values, 0 expected" "the merge of a count of 0 over blocks of values says so"
refused zero obl-history
damage version "pragma user_version = -1"
refused version obl-stats
obl-ingest -q -r x "$work/version.db" tests/data/hostile/denormal.txt >/dev/null 2>"$work/err"
same_text "$?|$(cat "$work/err")|$(sqlite3 "$work/version.db" "pragma user_version")" \
	"3|obl-ingest: $work/version.db: schema version -1 is not one obl writes: the database is damaged|-1" \
	"version -1: obl-ingest migrates nothing, and says the database is damaged"
