# obl-compare's terminal layout: at most 100 columns, the summary first (regressions, then
# improvements), a heading per scenario in natural order, SI prefixes and digits per row,
# colour for verdicts on a terminal only and never with NO_COLOR; every column with --wide
# and in a pipe.
. tests/sh/lib.sh
g=examples/gpu-h100
obl-ingest -q -r baseline "$work/base.db" $g/baseline/*.json
obl-ingest -q -r cand-fp32 "$work/fp32.db" $g/cand-fp32/*.json

obl-compare --narrow "$work/base.db" "$work/fp32.db" >"$work/n.txt"
same_text "$?" "1" "--narrow: the exit status is the gate's, as ever"
same_text "$(wc -L <"$work/n.txt" | tr -d ' ')" "100" "--narrow: the widest line of the H100 comparison is 100 columns"
same_text "$(head -2 "$work/n.txt" | tr -s ' ')" \
	"$(printf 'cand-fp32 against baseline (alpha 0.05, Holm, threshold 2%%): 1 worse, 0 better\n worse +61.5%% [+29.8%%, +101%%] ttft_ms median concurrency=1 input_len=128 output_len=512')" \
	"--narrow: the summary first, the regression named with its scenario"
same_text "$(grep -c '^concurrency=' "$work/n.txt")" "5" "--narrow: a heading line per scenario"
same_text "$(grep '^concurrency=' "$work/n.txt" | cut -d' ' -f1 | uniq | tr '\n' ' ')" \
	"concurrency=1 concurrency=2 concurrency=4 concurrency=8 " "--narrow: scenarios in natural order"
same_text "$(grep -A3 '^concurrency=1 input_len=128' "$work/n.txt" | grep 'ttft_ms median' | tr -s ' ')" \
	" ttft_ms median 9.353 ms 15.11 ms +61.5% [+29.8%, +101%] worse" \
	"--narrow: the centres with a unit prefix and four significant digits"
same_text "$(grep -c '^(i) information: never fails the gate (see --gate)$' "$work/n.txt")|$(grep -c '^warning (warm-up): ' "$work/n.txt")" "1|6" \
	"--narrow: the notes and the warnings (wrapped) come last"

obl-compare "$work/base.db" "$work/fp32.db" >"$work/pipe.txt"
obl-compare --wide "$work/base.db" "$work/fp32.db" >"$work/w.txt"
check "in a pipe the layout is the wide table, as --wide gives it" cmp -s "$work/pipe.txt" "$work/w.txt"
case "$(sed -n 2p "$work/w.txt")" in
"scenario "*"p (adj)  verdict") ok "--wide: every column, one line per row" ;;
*) not_ok "--wide header: $(sed -n 2p "$work/w.txt")" ;;
esac

# On a terminal (a pseudo-terminal made by script(1)): the narrow layout by default, colour
# for the verdicts, and none when NO_COLOR is set.
if command -v script >/dev/null 2>&1; then
	TERM=xterm script -qec "obl-compare '$work/base.db' '$work/fp32.db'" /dev/null | tr -d '\r' >"$work/tty.txt"
	same_text "$(grep -c '^concurrency=' "$work/tty.txt")|$(grep -c "$(printf '\033')\[1;31mworse" "$work/tty.txt")" "5|2" \
		"on a terminal: the narrow layout, 'worse' in red (summary and table)"
	NO_COLOR=1 TERM=xterm script -qec "obl-compare '$work/base.db' '$work/fp32.db'" /dev/null | tr -d '\r' >"$work/nc.txt"
	same_text "$(grep -c "$(printf '\033')" "$work/nc.txt")" "0" "NO_COLOR: no escape sequence on a terminal"
else
	skip "the terminal layout on a pseudo-terminal" "script(1) not installed"
	skip "NO_COLOR on a terminal" "script(1) not installed"
fi

# Natural order of a real Go file's sizes (15 < 40 < 512 < 1kB < 4kB < 32kB).
if [ -n "$corpus" ] && [ -f "$corpus/go-bench/golang-perf_crc-old.txt" ]; then
	obl-compare --narrow --by poly=Castagnoli,IEEE "$corpus/go-bench/golang-perf_crc-old.txt" >"$work/crc.txt"
	same_text "$(grep '^benchmark=' "$work/crc.txt" | sed 's/.*size=\([^/]*\)\/align=0.*/\1/; /align=1/d' | tr '\n' ' ')" \
		"15 40 512 1kB 4kB 32kB " "Go sizes in natural order, not as text"
	same_text "$(wc -L <"$work/crc.txt" | tr -d ' ')" "$(awk '{ if (length($0) > m) m = length($0) } END { print (m > 100 ? "over" : m) }' "$work/crc.txt")" \
		"Go comparison within 100 columns"
else
	skip "Go sizes in natural order" "corpus absent"
	skip "Go comparison within 100 columns" "corpus absent"
fi
