# obl-report --history names the run that starts each new level with its commit and date (and
# in the summary and the charts' captions the tags that changed at it), in Markdown, HTML and
# PDF, as obl-history's text does: the report named no commit or date at all.
. tests/sh/lib.sh
commit() { printf '%08x%032x' $(($1 * 2654435761 % 4294967296)) $1; }
for i in 1 2 3 4 5 6 7 8; do
	f=1000 engine=v1
	[ $i -ge 6 ] && f=1150 engine=v2 # slower from night 6 on, with the new engine
	awk -v f=$f -v s=$i 'BEGIN { srand(s); print "goos: linux";
		for (k = 0; k < 5; k++) printf "BenchmarkParse-8   \t1000\t%.1f ns/op\n", f * (1 + 0.01 * (rand() - 0.5));
		print "PASS" }' > "$work/r$i.txt"
	obl-ingest -q -r night$i -t date=2026-11-0$i -t commit=$(commit $i) -t engine=$engine \
		"$work/g.db" "$work/r$i.txt"
done
short=$(commit 6 | cut -c1-12)
who="night6 (commit=$short, date=2026-11-06)"
obl-report --history --order-by date "$work/g.db" -o "$work/t.md"
same_text "$?" "0" "obl-report --history writes Markdown"
same_text "$(grep -c "^| .* | ns_per_op | $who | " "$work/t.md")" "1" \
	"md: the change points' table names the first run of the new level with its commit (12 digits) and date"
check "md: the summary names the run, its commit, date and the tag that changed" \
	grep -q "got worse from run night6 (commit=$short, date=2026-11-06, engine=v2): +15" "$work/t.md"
check "md: the chart's caption names them too" \
	grep -q "^Change points: regression at night6 (commit=$short, date=2026-11-06, engine=v2): +15" "$work/t.md"
obl-report --history --order-by date "$work/g.db" -o "$work/t.html"
check "html: the table names the run with its commit and date" grep -q "<td>$who</td>" "$work/t.html"
check "html: the chart's caption too" grep -q "regression at night6 (commit=$short, date=2026-11-06, engine=v2)" "$work/t.html"
obl-report --history --order-by date "$work/g.db" -o "$work/t.pdf"
if command -v pdftotext >/dev/null 2>&1; then
	pdftotext "$work/t.pdf" "$work/t.txt" 2>/dev/null
	check "pdf: the table names the run with its commit and date" grep -qF "$who" "$work/t.txt"
	# the caption may wrap: joined lines
	check "pdf: the chart's caption names them too" \
		sh -c "tr '\n' ' ' < '$work/t.txt' | grep -qF 'regression at night6 (commit=$short, date=2026-11-06, engine=v2)'"
else
	skip "pdf: the table names the run with its commit and date" "pdftotext is not installed"
fi
