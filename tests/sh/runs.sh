# obl-runs: runs listed with their counts and tags; removed and renamed in one transaction
# each, leaving nothing of a removed run behind and the other runs untouched.
. tests/sh/lib.sh
g=examples/gpu-h100
db="$work/all.db"
obl-ingest -q -r baseline -t gpu=H100 -t note='a b' "$db" $g/baseline/*.json
obl-ingest -q -r fp32 "$db" $g/cand-fp32/*.json
obl-ingest -q -r one "$work/one.db" $g/cand-fp32/*.json

obl-runs "$db" >"$work/list"
counts() { # the run's files, scenarios, metrics and values, counted from the tables
	sqlite3 "$db" "select r.label,
		(select count(*) from source where run_id = r.id),
		(select count(distinct scenario_id) from trial where run_id = r.id),
		(select count(distinct se.metric_id) from series se join trial t on t.id = se.trial_id where t.run_id = r.id),
		(select count(*) from samples where run = r.label)
		from run r order by r.id" | tr '|' ' '
}
same_text "$(awk 'NR > 1 { print $1, $3, $4, $5, $6 }' "$work/list")" "$(counts)" \
	"list: files, scenarios, metrics and values per run, as the tables count them"
same_text "$(awk 'NR > 1 { print $3 }' "$work/list" | tr '\n' ' ')" "$(ls $g/baseline/*.json | wc -l) $(ls $g/cand-fp32/*.json | wc -l) " \
	"list: one file per JSON file ingested"
case "$(sed -n 2p "$work/list")" in
*"gpu=H100, "*"note=a b"*) ok "list: the run's tags, key=value separated by commas" ;;
*) not_ok "list: tags missing: $(sed -n 2p "$work/list")" ;;
esac

fp32=$(sqlite3 "$work/one.db" "select scenario, metric, repetition, seq, value from samples order by 1,2,3,4" | sha256sum)
obl-runs "$db" remove baseline >"$work/out"
same_text "$?|$(cat "$work/out")" "0|$db: run baseline removed" "remove: exit 0 and says so"
same_text "$(sqlite3 "$db" "select count(*) from samples where run='baseline'; select count(*) from source s join run r on r.id=s.run_id where r.label='baseline'; select count(*) from run_tag where run_id not in (select id from run); pragma foreign_key_check; pragma integrity_check")" \
	"$(printf '0\n0\n0\nok')" "remove: no value, file or tag of the run is left; the database is consistent"
same_text "$(sqlite3 "$db" "select coalesce(sum(length(data)), 0) / 8 from sample_block") $(sqlite3 "$db" "select count(*) from samples")" \
	"$(sqlite3 "$db" "select count(*) from samples") $(sqlite3 "$work/one.db" "select count(*) from samples")" \
	"remove: no orphaned values; the other run has all its values"
same_text "$(sqlite3 "$db" "select scenario, metric, repetition, seq, value from samples order by 1,2,3,4" | sha256sum)" \
	"$fp32" "remove: the other run's values are exactly what they were"
obl-ingest -q -r baseline "$db" $g/baseline/*.json
same_text "$(sqlite3 "$db" "select count(*) from samples where run='baseline'")" \
	"$(sqlite3 "$db" "select count(*) from samples where run='fp32'")" \
	"the removed run's files can be ingested again (their fingerprints went with it)"

obl-runs "$db" rename fp32 cand-fp32 >/dev/null
same_text "$?|$(sqlite3 "$db" "select group_concat(label, ' ') from (select label from run order by id)")" \
	"0|cand-fp32 baseline" "rename: the run has its new label"
before=$(db_hash "$db")
obl-runs "$db" rename cand-fp32 baseline 2>"$work/err"
same_text "$?|$(cat "$work/err")" \
	"2|obl-runs: $db: 'baseline': a run with this label exists already (remove it first, or choose another label)" \
	"rename onto an existing label: usage error"
obl-runs "$db" remove basline 2>"$work/err"
same_text "$?|$(cat "$work/err")" "2|obl-runs: $db: 'basline': no such run; did you mean baseline?" \
	"remove of an unknown run names the closest"
obl-runs "$db" rename baseline "$(printf 'a\033b')" 2>"$work/err"
same_text "$?|$(cat "$work/err")" "3|obl-runs: 'run label': contains a control character (0x1B at byte 2)" \
	"rename to a label with a control character: refused"
same_text "$(db_hash "$db")" "$before" "refused changes leave the database as it was"
obl-runs "$work/missing.db" 2>"$work/err"
same_text "$?|$(cat "$work/err")" "3|obl-runs: $work/missing.db: no obl database here (obl-ingest makes one)" \
	"a missing database: bad input, said plainly"
