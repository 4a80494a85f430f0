# Go benchmarks, and agreement with benchstat on its own test data (tests/data/go/SOURCE.md
# holds benchstat's expected output for old.txt vs new.txt).
. tests/sh/lib.sh
d=tests/data/go
obl-ingest -q -r old "$work/old.db" $d/old.txt
obl-ingest -q -r new "$work/new.db" $d/new.txt
jq_() { sqlite3 :memory: "select $2 from (select readfile('$1') as j)"; }

same_text "$(sqlite3 "$work/old.db" "select scenario || ' ' || metric || ' ' || unit || ' ' || count(*) from samples group by scenario order by scenario")" \
	"benchmark=Encode/format=gob-48 ns_per_op ns/op 10
benchmark=Encode/format=json-48 ns_per_op ns/op 10" "go test -bench output: each benchmark a scenario, its 10 runs the samples"
same_text "$(sqlite3 "$work/old.db" "select key || '=' || value from run_tag order by key" | tr '\n' ' ')" \
	"goarch=amd64 goos=linux pkg=golang.org/x/perf/cmd/benchstat/testdata " "configuration lines become tags"

obl-compare --method mann-whitney-exact --format json "$work/old.db" "$work/new.db" > "$work/c.json"
status=$?
row() { # scenario field
	jq_ "$work/c.json" "(select json_extract(value, '\$.$2') from json_each(json_extract(j, '\$.comparisons')) where json_extract(value, '\$.scenario.benchmark') = '$1')"
}
same_text "$(row Encode/format=json-48 baseline.median) $(row Encode/format=json-48 candidate.median)" "1718 1422.5" \
	"json: the medians benchstat reports (1.718e-06 and 1.4225e-06 sec/op)"
same_text "$(row Encode/format=gob-48 baseline.median) $(row Encode/format=gob-48 candidate.median)" "3065.5 3070" \
	"gob: the medians benchstat reports (3.0655e-06 and 3.07e-06 sec/op)"
same_text "$(printf '%.3f %.3f' "$(row Encode/format=gob-48 test.p_value)" "$(row Encode/format=json-48 test.p_value)")" \
	"0.446 0.000" "Mann-Whitney p-values as benchstat prints them (p=0.446, p=0.000): exact under ties"
same_text "$(printf '%.2f%%' "$(sqlite3 :memory: "select ($(row Encode/format=json-48 candidate.median) / $(row Encode/format=json-48 baseline.median) - 1) * 100")")" \
	"-17.20%" "benchstat's 'vs base' (-17.20%) is the ratio of the medians, which the JSON carries"
same_text "$(row Encode/format=json-48 verdict) $(row Encode/format=gob-48 verdict) $status" "better same 0" \
	"verdicts: json faster (better), gob unchanged within 2% (same, where benchstat prints ~)"

# benchstat's interval of the median, printed as +-N%: the order-statistic interval (obl-stats)
obl-stats --format json "$work/old.db" > "$work/s_old.json"
obl-stats --format json "$work/new.db" > "$work/s_new.json"
ci_pct() { # file benchmark: the larger distance from the median to an end, in whole percent
	jq_ "$1" "(select printf('%.0f%%', 100 * max(json_extract(value, '\$.median_ci[1]') - json_extract(value, '\$.median'), json_extract(value, '\$.median') - json_extract(value, '\$.median_ci[0]')) / json_extract(value, '\$.median')) from json_each(json_extract(j, '\$.stats')) where json_extract(value, '\$.scenario.benchmark') = '$2')"
}
same_text "$(ci_pct "$work/s_old.json" Encode/format=json-48) $(ci_pct "$work/s_new.json" Encode/format=json-48) $(ci_pct "$work/s_old.json" Encode/format=gob-48) $(ci_pct "$work/s_new.json" Encode/format=gob-48)" \
	"1% 1% 0% 2%" "the 95% intervals of the median agree with benchstat's CI column (1%, 1%, 0%, 2%)"

# The files themselves, as benchstat takes them: obl-compare old.txt new.txt, no database.
obl-compare --method mann-whitney-exact --format json $d/old.txt $d/new.txt > "$work/f.json"
status=$?
same_text "$(jq_ "$work/f.json" "json_extract(j, '\$.comparisons[0].candidate_run')")" "$d/new.txt" \
	"obl-compare old.txt new.txt reads the Go files directly (each side named by its path)"
strip() { sed -e 's/"candidate_run": "[^"]*"/"candidate_run": R/g' -e 's/"baseline_run": "[^"]*"/"baseline_run": R/g' "$1"; }
same_text "$(strip "$work/f.json" | grep -v obl_version | md5sum)|$status" "$(strip "$work/c.json" | grep -v obl_version | md5sum)|0" \
	"and its rows equal those of the two databases, number for number"

# Two packages in one file (go test -bench . ./...): pkg: is a scenario key of each benchmark,
# so that BenchmarkEncode of package a and of package b stay two benchmarks, and no package
# becomes (or overwrites) the run's tag. A file of one package keeps it as a tag (above).
two_pkgs() { # a_ns b_ns
	printf 'goos: linux\npkg: example.com/a\nBenchmarkEncode-8\t1000\t%s ns/op\nBenchmarkEncode-8\t1000\t%s ns/op\nBenchmarkOnlyA-8\t1000\t50 ns/op\nPASS\nok\texample.com/a\t1.0s\n' "$1" "$1"
	printf 'goos: linux\npkg: example.com/b\nBenchmarkEncode-8\t1000\t%s ns/op\nBenchmarkEncode-8\t1000\t%s ns/op\nPASS\nok\texample.com/b\t1.0s\n' "$2" "$2"
}
two_pkgs 100 300 > "$work/two_old.txt"
two_pkgs 100 600 > "$work/two_new.txt"
obl-ingest -q -r old "$work/two.db" "$work/two_old.txt"
same_text "$(sqlite3 "$work/two.db" "select scenario || ' ' || count(*) || ' ' || sum(value) from samples group by scenario order by scenario" | tr '\n' ' ')" \
	"benchmark=Encode-8;pkg=example.com/a 2 200.0 benchmark=Encode-8;pkg=example.com/b 2 600.0 benchmark=OnlyA-8;pkg=example.com/a 1 50.0 " \
	"two packages in one file: the package is part of each benchmark's scenario"
same_text "$(sqlite3 "$work/two.db" "select key || '=' || value from run_tag order by key" | tr '\n' ' ')" \
	"goos=linux " "two packages in one file: no pkg run tag, the other configuration lines still tags"
obl-compare --format csv "$work/two_old.txt" "$work/two_new.txt" > "$work/two.csv"
same_text "$(grep 'Encode-8' "$work/two.csv" | cut -d, -f1,9,12 | tr '\n' ' ')" \
	"benchmark=Encode-8 pkg=example.com/a,100,100 benchmark=Encode-8 pkg=example.com/b,300,600 " \
	"obl-compare of two such files: Encode-8 of each package a row of its own (b doubled)"
