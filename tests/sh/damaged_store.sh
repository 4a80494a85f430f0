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
same_text "$(grep -o "series $id (run base, .*, repetition 1): its blocks hold more than the 0 values its count says" "$work/err" | wc -l | tr -d ' ')" \
	"1" "the merge of a count of 0 over blocks of values names the series and says so"
refused zero obl-history
damage version "pragma user_version = -1"
refused version obl-stats
obl-ingest -q -r x "$work/version.db" tests/data/hostile/denormal.txt >/dev/null 2>"$work/err"
same_text "$?|$(cat "$work/err")|$(sqlite3 "$work/version.db" "pragma user_version")" \
	"3|obl-ingest: $work/version.db: schema version -1 is not one obl writes: the database is damaged|-1" \
	"version -1: obl-ingest migrates nothing, and says the database is damaged"

# The blocks themselves (obl-schema(5)): a gap or an overlap between blocks, a block of more
# than 504 values or of a length that is not a multiple of 8, data stored as text, a NaN or an
# infinity (no reader stores one). Each is refused by a read that meets it and by --check,
# naming the series; found by probing, where all of them were read as good values and
# --check said ok.
good_check=$(obl-stats --check "$work/good.db")
same_text "$?|$good_check" "0|$work/good.db: ok (every page, reference and series checked: no damage)" \
	"--check: the good store is ok"
name="series $id (run base, scenario concurrency=1;input_len=64;output_len=128, metric itl_ms, repetition 1)"
one=$(sqlite3 "$work/good.db" "select series_id from sample_block where length(data) = 48 limit 1")
name1="series $one (run base, scenario concurrency=1;input_len=64;output_len=128, metric ttft_ms, repetition 1)"
# blocks NAME SQL WHAT SERIES: the damage named by --check and by obl-stats, obl-compare,
# obl-history and a merge, each exit 3 with nothing on stdout
blocks() {
	damage "$1" "$2"
	obl-stats --check "$work/$1.db" >"$work/out" 2>"$work/err"
	same_text "$?|$(cat "$work/err")" \
		"3|obl-stats: $4: $3
obl-stats: $work/$1.db: the database is damaged (1 finding above); restore it from a backup, or ingest the result files again into a new one" \
		"$1: --check names the series and what is wrong"
	for tool in "obl-stats" "obl-compare $work/good.db" "obl-history" "obl-report -o $work/r.md $work/good.db" "obl-ingest -q $work/merged-$1.db"; do
		$tool "$work/$1.db" >"$work/out" 2>"$work/err"
		same_text "$?|$(wc -c <"$work/out" | tr -d ' ')|$(grep -c "$work/$1.db: $4: $3: the database is damaged" "$work/err")" \
			"3|0|1" "$1: ${tool%% *} refuses it, naming the series, and computes nothing"
	done
}
blocks gap "update sample_block set start = 510 where series_id = $id and start = 504" \
	"its blocks leave values 505 to 510 out" "$name"
blocks overlap "update sample_block set start = 500 where series_id = $id and start = 504" \
	"the block at value 501 overlaps the 504 values before it" "$name"
blocks long "delete from sample_block where series_id = $id; insert into sample_block values ($id, 0, zeroblob(762 * 8))" \
	"the block at value 1 holds 6096 bytes, not 1 to 504 values of 8 bytes" "$name"
blocks ragged "update sample_block set data = substr(data, 1, 47) where series_id = $one" \
	"the block at value 1 holds 47 bytes, not 1 to 504 values of 8 bytes" "$name1"
blocks text "update sample_block set data = cast(data as text) where series_id = $one" \
	"the block at value 1 is text, not a blob of binary64 values" "$name1"
blocks nan "update sample_block set data = cast(substr(data, 1, 16) || x'010000000000F87F' || substr(data, 25) as blob) where series_id = $one" \
	"value 3 is NaN, which no reader stores" "$name1"
blocks inf "update sample_block set data = cast(x'000000000000F07F' || substr(data, 9) as blob) where series_id = $one" \
	"value 1 is +infinity, which no reader stores" "$name1"
blocks ninf "update sample_block set data = cast(substr(data, 1, 40) || x'000000000000F0FF' as blob) where series_id = $one" \
	"value 6 is -infinity, which no reader stores" "$name1"
# a block of no series: no read meets it, --check names it
damage orphan "insert into sample_block values (999, 0, x'000000000000F03F')"
obl-stats --check "$work/orphan.db" >/dev/null 2>"$work/err"
same_text "$?|$(head -n 1 "$work/err")" "3|obl-stats: row $(sqlite3 "$work/orphan.db" "select rowid from sample_block where series_id = 999") of sample_block refers to a row of series that is not there" \
	"--check: a block of no series is damage"
