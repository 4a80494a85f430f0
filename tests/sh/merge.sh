# obl-ingest CENTRAL.db JOB.db...: databases from several machines merged into one history,
# with provenance, idempotently.
. tests/sh/lib.sh
g=examples/gpu-h100
obl-ingest -q -r baseline -t host_name=box1 "$work/m1.db" $g/baseline/*.json $g/baseline/nvidia-smi.csv
obl-ingest -q -r cand-fp32 -t host_name=box2 "$work/m2.db" $g/cand-fp32/*.json
obl-ingest "$work/c.db" "$work/m1.db" "$work/m2.db" > "$work/out"
same_text "$?" "0" "two job databases merge into a central one"
stored() { sqlite3 "$1" "select (select count(*) from source) || ' files of 1 run copied, ' ||
	(select count(*) from trial) || ' trials, ' || (select sum(count) from series) || ' values'"; }
same_text "$(sed 's|.*/||' "$work/out")" "m1.db: obl database: $(stored "$work/m1.db"); 0 already there
m2.db: obl database: $(stored "$work/m2.db"); 0 already there" \
	"the merge says what it copied (files, trials and values of each database)"
rows() { sqlite3 "$1" "select run, scenario, metric, unit, repetition, seq, value from samples order by 1, 2, 3, 5, 6"; }
{ rows "$work/m1.db"; rows "$work/m2.db"; } | sort > "$work/want"
rows "$work/c.db" | sort > "$work/got"
check "every value lands with its run, scenario, metric and repetition" cmp -s "$work/want" "$work/got"
same_text "$(sqlite3 "$work/c.db" "select count(*) from tallies")" \
	"$(( $(sqlite3 "$work/m1.db" "select count(*) from tallies") + $(sqlite3 "$work/m2.db" "select count(*) from tallies") ))" \
	"counts of proportions are copied too"
same_text "$(sqlite3 "$work/c.db" "select group_concat(distinct st.value) from source_tag st where key = 'host_name'")" \
	"box1,box2" "provenance tags are kept per file"
case "$(sqlite3 "$work/c.db" "select path from source order by id limit 1")" in
*/m1.db:*/baseline/*) ok "a copied file's path says which database it came from" ;;
*) not_ok "provenance path: $(sqlite3 "$work/c.db" "select path from source order by id limit 1")" ;;
esac
obl-compare "$work/m1.db" "$work/m2.db" > "$work/direct.txt"
obl-compare "$work/c.db" -b baseline -c cand-fp32 > "$work/merged.txt"
check "the merged history compares exactly as the two job databases" cmp -s "$work/direct.txt" "$work/merged.txt"

before=$(db_hash "$work/c.db")
obl-ingest -q "$work/c.db" "$work/m2.db" "$work/m1.db"
same_text "$(db_hash "$work/c.db")" "$before" "merging the same databases again changes nothing"
obl-ingest -q "$work/c.db" $g/baseline/S1-in64-out128-c1-rep1.json
same_text "$(db_hash "$work/c.db")" "$before" "a file already merged in through a database is not stored again"
obl-ingest -q "$work/d.db" "$work/c.db"
same_text "$(sqlite3 "$work/d.db" "select count(*) from source where path like '%c.db:%m1.db:%'")" "27" \
	"a merged database merges on, provenance growing"

obl-ingest -q -r other "$work/c.db" "$work/m1.db" 2>"$work/err"
same_text "$?" "2" "-r with a database operand: usage error"
obl-ingest -q "$work/c.db" "$work/c.db" 2>"$work/err"
same_text "$?" "2" "a database cannot be merged into itself"
same_text "$(db_hash "$work/c.db")" "$before" "and nothing was written"

# a database whose run contradicts the central one (same label, another model): nothing of it
# lands, not even the files before the one refused
obl-ingest -q -r baseline -t model=other "$work/x.db" $g/cand-fp32/S1-in64-out128-c1-rep1.json $g/cand-fp32/S1-in64-out128-c1-rep2.json
obl-ingest -q -r baseline -t model=mine "$work/y.db" $g/baseline/S1-in64-out128-c1-rep1.json
before=$(db_hash "$work/y.db")
obl-ingest -q "$work/y.db" "$work/x.db" 2>"$work/err"
same_text "$?" "3" "merging a run that disagrees on its configuration: bad input"
same_text "$(db_hash "$work/y.db")" "$before" "a refused merge leaves the central database as it was"

# a file's series read back wherever they lie: interleaved with another file's (ids odd and
# even: one scan, skipping the other's) or far apart (the first file's spread by 10^6: one
# query each), each file's values land with their own series
obl-ingest -q -r base "$work/spread.db" $g/baseline/S1-in64-out128-c1-rep1.json $g/baseline/S1-in64-out128-c1-rep2.json
sqlite3 "$work/spread.db" "pragma foreign_keys = off;
	create temp table renum as select id as old, case when trial_id in (select id from trial where source_id = 1)
		then 2 * row_number() over (partition by trial_id in (select id from trial where source_id = 1) order by id)
		else 2 * row_number() over (partition by trial_id in (select id from trial where source_id = 1) order by id) + 1 end
		* (case when id % 3 = 0 and trial_id in (select id from trial where source_id = 1)
		then 1000000 else 1 end) as new from series;
	update series set id = -id; update sample_block set series_id = -series_id;
	update series set id = (select new from renum where old = -series.id);
	update sample_block set series_id = (select new from renum where old = -sample_block.series_id);"
same_text "$(sqlite3 "$work/spread.db" "select count(*) > 0 from series where id > 1000000;
	pragma foreign_key_check;")" "1" "the spread database's series ids are far apart, and consistent"
obl-ingest -q "$work/spread-merged.db" "$work/spread.db"
same_text "$?" "0" "a database with a file's series interleaved and spread merges"
rows "$work/spread.db" | sort > "$work/want"
rows "$work/spread-merged.db" | sort > "$work/got"
check "every value of the spread database lands with its own series" cmp -s "$work/want" "$work/got"

# a merge that fails at a later file, after an earlier one made a new scenario and metric,
# leaves nothing; a later merge makes them again, and every reference holds
printf '1\n2\n3\n' >"$work/v1.txt"
printf '4\n5\n6\n' >"$work/v2.txt"
obl-ingest -q -r fresh -t model=c "$work/central.db" $g/baseline/S1-in64-out128-c1-rep1.json
obl-ingest -q -r new1 -s batch=7 -m fresh_metric --unit ms "$work/late.db" "$work/v1.txt"
obl-ingest -q -r fresh -t model=a "$work/late.db" "$work/v2.txt"
before=$(db_hash "$work/central.db")
obl-ingest -q "$work/central.db" "$work/late.db" 2>"$work/err"
same_text "$?|$(db_hash "$work/central.db")" "3|$before" \
	"a merge refused at its second file (another model for run fresh) leaves nothing, not even the first file's new scenario and metric"
obl-ingest -q -r new1 -s batch=7 -m fresh_metric --unit ms "$work/late2.db" "$work/v1.txt"
obl-ingest -q "$work/central.db" "$work/late2.db"
same_text "$?|$(sqlite3 "$work/central.db" "pragma foreign_key_check; select group_concat(value) from samples where run = 'new1' and scenario = 'batch=7' and metric = 'fresh_metric' and unit = 'ms'")" \
	"0|1.0,2.0,3.0" "the same file merged after the refusal lands with its scenario and metric, every reference holding"

# the same for trials: a file's trials interleaved with another file's (one scan of the
# series, skipping the other's), or its last far away (a query a trial); repetitions keep
# their order and number
obl-ingest -q -r gb "$work/trials.db" tests/data/gbench/gbench-reps.json tests/data/gbench/gbench-reps-2.json
sqlite3 "$work/trials.db" "pragma foreign_keys = off;
	create temp table renum as select id as old, 2 * row_number() over (partition by source_id order by id)
		+ (source_id - 1) as new, source_id, id = (select max(id) from trial where source_id = 1) as last from trial;
	update renum set new = new * 1000000 where last;
	update trial set id = -id; update series set trial_id = -trial_id;
	update trial set id = (select new from renum where old = -trial.id);
	update series set trial_id = (select new from renum where old = -series.trial_id);"
same_text "$(sqlite3 "$work/trials.db" "select group_concat(id) from (select id from trial order by id); pragma foreign_key_check;")" \
	"2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,19,18000000" "the trials of the two files are interleaved, the first's last far away"
obl-ingest -q "$work/trials-merged.db" "$work/trials.db"
rows "$work/trials.db" > "$work/want"
rows "$work/trials-merged.db" > "$work/got"
check "every series of interleaved and spread trials lands with its own trial and repetition" cmp -s "$work/want" "$work/got"

# A job database damaged inside its data pages reads without an error (the rows on the bad
# pages are just not there): the merge checks the whole file first and copies nothing.
cp "$work/m1.db" "$work/bad.db"
ps=$(sqlite3 "$work/bad.db" "pragma page_size")
pc=$(sqlite3 "$work/bad.db" "pragma page_count")
head -c 200 /dev/zero | tr '\0' '\245' > "$work/junk"
p=$((pc / 3))
while [ $p -lt $((pc / 3 + 8)) ]; do
	dd if="$work/junk" of="$work/bad.db" bs=1 seek=$((p * ps + 100)) conv=notrunc 2>/dev/null
	p=$((p + 1))
done
check "the damaged copy fails SQLite's check" sh -c "sqlite3 '$work/bad.db' 'pragma quick_check' | grep -vqx ok"
obl-ingest -q "$work/fresh.db" "$work/m2.db"
cp "$work/fresh.db" "$work/before.db"
obl-ingest -q "$work/fresh.db" "$work/bad.db" 2> "$work/err"
same_text "$?" "3" "a damaged job database: exit 3"
case "$(cat "$work/err")" in
*bad.db:*"the database is damaged (SQLite's quick_check: "*"); nothing was merged") ok "the refusal names the database and SQLite's finding" ;;
*) not_ok "damaged job database message: $(cat "$work/err")" ;;
esac
check "nothing of the damaged database was merged" cmp -s "$work/fresh.db" "$work/before.db"

# Two job databases that reused one run label: the second joins the run the first made (its
# files are more repetitions of it), and the merge says so, even when quiet (found by probing:
# two jobs' repetitions were pooled silently).
obl-ingest -q -r n4 "$work/jl1.db" $g/baseline/*rep1.json
obl-ingest -q -r n4 "$work/jl2.db" $g/baseline/*rep2.json
obl-ingest -q "$work/jl.db" "$work/jl1.db" 2> "$work/err"
same_text "$?|$(cat "$work/err")" "0|" "a run new to the central database: no warning"
obl-ingest -q "$work/jl.db" "$work/jl2.db" 2> "$work/err"
same_text "$?|$(sed "s|$work/||g" "$work/err")" "0|obl-ingest: warning: jl2.db: added files to 1 run jl.db already held (n4): a run's files are its repetitions, so a scenario both hold is now pooled; to keep two jobs apart, rename the run in the job's database first (obl-runs JOB.db rename OLD NEW)" \
	"a job database whose run label the central one holds: merged, with a warning naming the run"
obl-ingest -q "$work/jl.db" "$work/jl2.db" 2> "$work/err"
same_text "$?|$(cat "$work/err")" "0|" "the same job again: nothing added, no warning"
