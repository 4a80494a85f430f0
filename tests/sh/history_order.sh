# obl-history's run order: dates in every form the readers store and people write, compared
# as instants (not as text: "2026-11-9" after "2026-11-10" put the wrong run last and the
# gate judged it); a date it cannot read is an error naming the run, the tag and the value;
# commit order needs the commit list, takes it from standard input, and a hash listed twice
# counts once; tags that are not dates order with their numbers as numbers.
. tests/sh/lib.sh
jq_() { sqlite3 :memory: "select $2 from (select readfile('$1') as j)"; }
night() { # night SEED LEVEL FILE: five Go benchmark repetitions around LEVEL ns/op
	awk -v f=$2 -v s=$1 'BEGIN { srand(s); print "goos: linux";
		for (k = 0; k < 5; k++) printf "BenchmarkParse-8   \t1000\t%.1f ns/op\n", f * (1 + 0.01 * (rand() - 0.5));
		print "PASS" }' > "$3"
}
# true order a..f; the dates in six forms, ingested out of order; f is 20% slower
set -- a 2026-11-1 8 b 20261102-070000 9 c 2026-11-02T12:30:00+05:00 10 d 2026-11-9 11 \
	e "2026-11-10 08:00:00.5" 12 f 1794355200 100
while [ $# -gt 0 ]; do
	eval "date_$1='$2' build_$1=$3"
	shift 3
done
for r in d f b e a c; do
	level=1000
	[ $r = f ] && level=1200
	night "$(printf %d "'$r")" $level "$work/$r.txt"
	eval "obl-ingest -q -r $r -t \"date=\$date_$r\" -t build=rc\$build_$r \"$work/d.db\" \"$work/$r.txt\""
done
obl-history --format json --order-by date "$work/d.db" > "$work/d.json"
same_text "$?|$(jq_ "$work/d.json" "json_extract(j, '\$.runs')")" '0|["a","b","c","d","e","f"]' \
	"--order-by date: ISO dates with one-digit days, vLLM's date, zones, fractions and Unix seconds in time order"
obl-history --check-latest --order-by date --format json "$work/d.db" > "$work/gate.json"
same_text "$?|$(jq_ "$work/gate.json" "json_extract(j, '\$.comparisons[0].verdict')")" "1|worse" \
	"--check-latest judges the newest run by date (f, 20% slower)"
obl-report --history --order-by date "$work/d.db" -o "$work/d.md"
same_text "$?|$(grep -c '^First run: a\. Newest run: f\. ' "$work/d.md")" "0|1" \
	"obl-report --history orders by date the same way"

# a date it cannot read: an error naming the run, the tag and the value, for both tools
night 7 1000 "$work/g.txt"
obl-ingest -q -r g -t "date=Nov 5 2026" -t build=rc7 "$work/d.db" "$work/g.txt"
obl-history --order-by date "$work/d.db" > "$work/out" 2> "$work/err"
same_text "$?|$(wc -c < "$work/out")" "3|0" "a date that is none of the forms: bad input, nothing on stdout"
check "the message names the run, the tag and the value" grep -q "'g': date=Nov 5 2026 is not a date" "$work/err"
obl-history --check-latest --order-by date "$work/d.db" > /dev/null 2>&1
same_text "$?" "3" "the gate does not judge a run whose place it cannot know"
obl-report --history --order-by date "$work/d.db" -o "$work/g.md" 2> /dev/null
same_text "$?" "3" "obl-report --history: the same refusal"

# tags that are not dates: their numbers compare as numbers (rc9 before rc10)
obl-history --format json --order-by build "$work/d.db" > "$work/b.json"
same_text "$(jq_ "$work/b.json" "json_extract(j, '\$.runs')")" '["g","a","b","c","d","e","f"]' \
	"--order-by a text tag: rc7, rc8, rc9, rc10 ... rc100, not rc10, rc100, rc11 ..."

# commit order
commit() { printf '%08x%032x' $(($1 * 2654435761 % 4294967296)) $1; }
i=1
for r in c a b; do
	night $i 1000 "$work/c$r.txt"
	obl-ingest -q -r $r -t commit=$(commit $i) "$work/c.db" "$work/c$r.txt"
	i=$((i + 1))
done
obl-history --order-by commit "$work/c.db" > /dev/null 2> "$work/err"
same_text "$?" "2" "--order-by commit without --commits: usage error (a hash's text says nothing of its age)"
check "the message names the fix" grep -q -- '--commits FILE (git rev-list HEAD > FILE)' "$work/err"
obl-report --history --order-by commit "$work/c.db" -o "$work/c.md" 2> /dev/null
same_text "$?" "2" "obl-report --history --order-by commit without --commits: usage error"
# commit 1 is c, 2 is a, 3 is b; the list says b (2) is newest, then c (1), then a (3)
printf '%s\n%s\n%s\n' "$(commit 2)" "$(commit 1)" "$(commit 3)" > "$work/list"
obl-history --format json --commits - "$work/c.db" < "$work/list" > "$work/c.json"
same_text "$?|$(jq_ "$work/c.json" "json_extract(j, '\$.runs')")" '0|["b","c","a"]' \
	"--commits -: the list from standard input (git rev-list HEAD | obl-history --commits -)"
printf '%s\n%s\n%s\n%s\n' "$(commit 2)" "$(commit 1)" "$(commit 3)" "$(commit 1)" > "$work/dup"
obl-history --format json --order-by commit --commits "$work/dup" "$work/c.db" > "$work/dup.json" 2> "$work/err"
same_text "$?|$(jq_ "$work/dup.json" "json_extract(j, '\$.runs')")" '0|["b","c","a"]' \
	"a hash listed twice counts where it first appears"
obl-history --order-by ingest --commits "$work/list" "$work/c.db" > /dev/null 2>&1
same_text "$?" "2" "--order-by ingest with --commits: usage error"
