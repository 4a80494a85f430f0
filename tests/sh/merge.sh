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
