# The store's schema 5 (values packed in sample_block, obl-schema(5)): a schema-4 database made
# by obl before it (tests/data/schema4: two runs, with zeros, subnormals, the largest double,
# proportions, Go, hyperfine and vLLM files) opens, migrates, and compares as it did; the
# samples view decodes every value exactly.
. "$(dirname "$0")/lib.sh"
data=tests/data/schema4

cp "$data/base.db" "$data/cand.db" "$work/"
chmod u+w "$work/base.db" "$work/cand.db"
same_text "$(sqlite3 "$work/base.db" "pragma user_version; select count(*) from sample")" \
	"$(printf '4\n711')" "the fixture is a schema-4 store, one row per value"
# the values through the old view, to compare with the new view after the migration
old_view=$(sqlite3 "$work/base.db" "select run, scenario, metric, repetition, seq, printf('%!.17g', value), source from samples order by 1, 2, 3, 4, 5")

# read-only: refused with the upgrade's advice, the file untouched. Root writes a 444 file, so
# as root the reader runs as nobody, from a copy of the tool nobody can reach.
cp "$data/base.db" "$work/ro.db"
chmod 444 "$work/ro.db"
reader=obl-stats
if [ "$(id -u)" = 0 ]; then
	cp "$(command -v obl-stats)" "$work/obl-stats"
	chmod 755 "$work" "$work/obl-stats"
	reader="setpriv --reuid=nobody --regid=nogroup --clear-groups $work/obl-stats"
fi
$reader "$work/ro.db" >/dev/null 2>"$work/err"
same_text "$?|$(sed "s|^[^:]*obl-stats:|obl-stats:|" "$work/err")|$(sqlite3 "$work/ro.db" "pragma user_version")" \
	"3|obl-stats: $work/ro.db: schema version 4 is older than this obl's (5): one obl-ingest into it upgrades it|4" \
	"a schema-4 store that cannot be written is read by nobody, and left as it is"

# obl-ingest migrates (here a file already stored: nothing else changes)
obl-ingest -q "$work/base.db" "$data/../hostile/denormal.txt" >/dev/null 2>&1
same_text "$(sqlite3 "$work/base.db" "pragma user_version; select count(*) from sqlite_master where name = 'sample'; select sum(count), (select sum(length(data)) / 8 from sample_block) from series; pragma integrity_check; pragma foreign_key_check")" \
	"$(printf '5\n0\n711|711\nok')" \
	"obl-ingest migrates a schema-4 store: every value in sample_block, sample gone, the file consistent"
same_text "$(sqlite3 "$work/base.db" "select run, scenario, metric, repetition, seq, printf('%!.17g', value), source from samples order by 1, 2, 3, 4, 5")" \
	"$old_view" "the samples view shows the same rows and values after the migration"

# obl-compare migrates the other side (it could write it) and compares exactly as before
obl-compare --format csv "$work/base.db" "$work/cand.db" >"$work/compare.csv"
check "obl-compare of the migrated stores is byte-identical to schema 4's" \
	cmp -s "$work/compare.csv" "$data/compare.csv"
obl-stats --format csv "$work/base.db" >"$work/stats.csv"
check "obl-stats of a migrated store is byte-identical to schema 4's" \
	cmp -s "$work/stats.csv" "$data/stats-base.csv"
same_text "$(sqlite3 "$work/cand.db" "pragma user_version")" "5" \
	"obl-compare upgrades a store it could write"

# blocks: 504 values each; a series of 1200 values is 504 + 504 + 192
seq 1 1200 | awk '{ printf "%.17g\n", ($1 - 600) * 1.25e-3 }' >"$work/long.txt"
obl-ingest -q "$work/long.db" "$work/long.txt"
same_text "$(sqlite3 "$work/long.db" "select group_concat(start || ':' || (length(data) / 8), ' ') from (select * from sample_block order by start)")" \
	"0:504 504:504 1008:192" "a series is stored in blocks of 504 values"
same_text "$(sqlite3 "$work/long.db" "select printf('%!.17g', value) from samples order by seq")" \
	"$(cat "$work/long.txt" | sed 's/^0$/0.0/')" "the samples view decodes each block, in order, to the values ingested"
