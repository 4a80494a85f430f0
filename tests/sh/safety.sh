# Safe to point at any file and any database (issue #15): no escape sequence or CI workflow
# command from a file or a database reaches a terminal or a log raw; Markdown and CSV outputs
# neutralise links and formulas; chart files never collide; read-only stores are read;
# lock waits are bounded; a bad file in a list says what was written; a failed write gives
# the WAL's space back.
. tests/sh/lib.sh
G=examples/gpu-h100
esc=$(printf '\033')
bel=$(printf '\007')

# --- Text from files and databases, escaped for a terminal ------------------------------
printf '1\n2\n\033]52;c;cm0gLXJmIH4K\007\n' >"$work/e.txt"
obl-stats "$work/e.txt" >"$work/out" 2>"$work/err"
same_text "$?|$(cat "$work/err")" \
	"3|obl-stats: $work/e.txt:3:1: '\\x1b]52;c;cm0gLXJmIH4K\\x07': not a number" \
	"a token with OSC 52 reaches stderr escaped, as text"
same_text "$(tr -d -c '\033\007' <"$work/err" | wc -c)" "0" "no ESC or BEL byte on stderr"

# A database edited outside obl: a label with ESC, BEL and a workflow command.
db="$work/edited.db"
obl-ingest -q -r base "$db" $G/baseline/S2-in128-out512-c1-rep*.json
obl-ingest -q -r cand "$db" $G/cand-fp32/S2-in128-out512-c1-rep*.json
sqlite3 "$db" "UPDATE run SET label = '::error::injected' || char(27) || ']0;t' || char(7) WHERE label = 'cand'; UPDATE metric SET unit = 'ms' || char(10) || '::error file=x::INJECTED' WHERE name = 'ttft_ms'"
obl-compare --baseline base --candidate "$(printf '::error::injected\033]0;t\007')" "$db" \
	>"$work/out" 2>"$work/err"
same_text "$([ $? -le 1 ] && echo ran)|$(cat "$work/out" "$work/err" | tr -d -c '\033\007' | wc -c)" "ran|0" \
	"obl-compare on an edited database: it compares, and no ESC or BEL byte is in its output"
same_text "$(head -n 1 "$work/out" | sed 's/ (alpha.*//')" \
	"baseline base, candidate \\x3a:error::injected\\x1b]0;t\\x07" \
	"the header shows the label's control characters as \\x1b and \\x07, its leading :: as \\x3a:"
same_text "$(grep -c '^ *::' "$work/out")" "0" "no output line starts a GitHub workflow command"
same_text "$(grep -c 'ttft_ms (ms\\x0a::error file=x::INJECTED)' "$work/out")" "1" \
	"a unit with a newline stays on its row, the newline shown as \\x0a"
obl-stats "$db" >"$work/out"
same_text "$(tr -d -c '\033\007' <"$work/out" | wc -c)|$(grep -c '^ *::' "$work/out")" "0|0" \
	"obl-stats on the edited database: no ESC, BEL or workflow command"
obl-compare --format github --baseline base --candidate "$(printf '::error::injected\033]0;t\007')" \
	"$db" >"$work/out"
same_text "$(tr -d -c '\033\007' <"$work/out" | wc -c)|$(grep -c -v '^::[a-z]* title=obl-compare' "$work/out")" \
	"0|0" "--format github: every line is obl's own command, with no raw control character"

# A label that starts like a workflow command, at the start of a table row.
db2="$work/cmd.db"
obl-ingest -q -r "::warning::x" "$db2" $G/baseline/S1-in64-out128-c1-rep*.json
obl-stats "$db2" >"$work/out"
same_text "$(sed -n 2p "$work/out" | cut -c1-15)" '\x3a:warning::x' \
	"a label beginning with :: is shown as \\x3a: at the start of a row"

# --- Markdown and CSV --------------------------------------------------------------------
db3="$work/md.db"
obl-ingest -q -r base "$db3" $G/baseline/S1-in64-out128-c1-rep*.json
obl-ingest -q -r '![x](https://evil.example/p.png)' -s '+cmd=@SUM(A1)' "$db3" \
	$G/cand-fp32/S1-in64-out128-c1-rep*.json
obl-stats --format md "$db3" >"$work/out"
same_text "$(grep -c '!\[x\\](https://evil.example/p.png)' "$work/out")|$(grep -c '[^\\]](https://' "$work/out")" \
	"$(grep -c 'evil' "$work/out")|0" \
	"Markdown: the image label is shown as text on every row, never as ](url)"
obl-stats --format csv "$db3" >"$work/out"
same_text "$(grep -c '^[^,]*,"'"'"'!\[x\]' "$work/out")|$(grep -c ',"'"'"'+cmd=@SUM(A1)' "$work/out")" \
	"0|$(grep -c 'cmd=' "$work/out")" \
	"CSV: a scenario cell starting with + gets a leading quote ('+cmd=@SUM(A1))"
printf 'x,=SUM(A1)\n1,2\n3,4\n' >"$work/f.csv"
obl-ingest -q -f csv -r f "$work/f.db" "$work/f.csv"
obl-stats --format csv "$work/f.db" >"$work/out"
same_text "$(grep -c ',"'"'"'=SUM(A1)",' "$work/out")" "1" \
	"CSV: a metric named =SUM(A1) is written as '=SUM(A1), quoted"
obl-ingest -q -r base "$work/md2.db" $G/baseline/S1-in64-out128-c1-rep*.json
obl-ingest -q -r '![x](https://evil.example/p.png)' "$work/md2.db" $G/cand-fp32/S1-in64-out128-c1-rep*.json
obl-report --baseline base --candidate '![x](https://evil.example/p.png)' -o "$work/r.md" "$work/md2.db" 2>/dev/null
same_text "$(grep -c 'evil' "$work/r.md")|$(grep -c '[^\\]](https://evil' "$work/r.md")" "$(grep -c '!\[x\\](https://evil' "$work/r.md")|0" \
	"the Markdown report shows the label as text, never as a link or an image"

# --- Chart files of labels that differ only in punctuation -------------------------------
db4="$work/charts.db"
obl-ingest -q -r base "$db4" $G/baseline/S1-*.json
obl-ingest -q -r 'a/b' "$db4" $G/cand-fp32/S1-*.json
obl-ingest -q -r 'a_b' "$db4" $G/cand-eager/S1-*.json
mkdir "$work/rep"
obl-report --baseline base --candidate 'a/b' --candidate 'a_b' -o "$work/rep/r.md" "$db4" 2>/dev/null
same_text "$(ls "$work/rep" | grep -c '^r-forest-a_b')|$(ls "$work/rep" | grep -c '^r-forest-a_b-[0-9a-f]\{8\}\.svg$')" \
	"2|1" "labels a/b and a_b give two forest plots; the sanitised one carries a hash"
same_text "$(grep -o '](r-forest-a_b[^)]*)' "$work/rep/r.md" | sort -u | wc -l)" "2" \
	"the report links each run's own chart"

# --- Read-only stores ---------------------------------------------------------------------
ro="$work/ro"
mkdir "$ro"
obl-ingest -q -r base "$ro/b.db" $G/baseline/S2-in128-out512-c1-rep*.json
obl-ingest -q -r cand "$ro/b.db" $G/cand-fp32/S2-in128-out512-c1-rep*.json
chmod 444 "$ro/b.db"
chmod 555 "$ro"
chmod 755 "$work"
as_other=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	as_other="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
$as_other env PATH="$PATH" obl-stats "$ro/b.db" >/dev/null 2>"$work/err"
s1=$?
$as_other env PATH="$PATH" obl-compare --baseline base --candidate cand "$ro/b.db" >/dev/null 2>>"$work/err"
s2=$(($? > 1))
$as_other env PATH="$PATH" obl-report --baseline base --candidate cand -o /tmp/obl-ro-$$.html "$ro/b.db" 2>>"$work/err"
s3=$?
rm -f /tmp/obl-ro-$$.html
same_text "$s1$s2$s3|$(cat "$work/err")|$(ls "$ro")" "000||b.db" \
	"a 444 database in a 555 directory: obl-stats, obl-compare and obl-report read it, and leave no -wal or -shm"
chmod 755 "$ro"
if [ -n "$as_other" ]; then
	# Another user's writable-by-owner store in a shared directory: read, nothing left behind.
	chmod 644 "$ro/b.db"
	chmod 777 "$ro"
	$as_other env PATH="$PATH" obl-stats "$ro/b.db" >/dev/null
	same_text "$?|$(ls "$ro")" "0|b.db" \
		"another user's database in a shared directory: read, no -wal or -shm left behind"
	chmod 755 "$ro"
else
	ok "another user's database # SKIP needs root and setpriv to act as another user"
fi

# --- Bounded waits for a lock ---------------------------------------------------------------
lock="$work/lock.db"
obl-ingest -q -r base "$lock" $G/baseline/S1-in64-out128-c1-rep*.json
(printf 'PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nDELETE FROM source_warning;\n'; sleep 4) |
	sqlite3 "$lock" >/dev/null &
holder=$!
sleep 1
err=$(OBL_BUSY_TIMEOUT=1 obl-stats "$lock" 2>&1 >/dev/null)
s1=$?
printf '4.5\n5.5\n6.5\n' >"$work/more.txt"
err2=$(OBL_BUSY_TIMEOUT=1 obl-ingest -r more "$lock" "$work/more.txt" 2>&1 >/dev/null)
s2=$?
wait $holder
same_text "$s1|$err" \
	"3|obl-stats: $lock: reading the database: the database is locked by another process (waited 1 s; OBL_BUSY_TIMEOUT sets the bound in seconds)" \
	"obl-stats gives up on a held lock after OBL_BUSY_TIMEOUT, exit 3"
case "$s2|$err2" in
"3|"*"the database is locked by another process (waited 1 s"*) ok "obl-ingest gives up on a held lock too, exit 3" ;;
*) not_ok "obl-ingest on a held lock: $s2 $err2" ;;
esac
OBL_BUSY_TIMEOUT=1 obl-ingest -q -r more "$lock" "$work/more.txt"
same_text "$?|$(sqlite3 "$lock" "SELECT count(*) FROM run WHERE label = 'more'")" "0|1" \
	"once the lock is released, the ingest goes through"

# --- A bad file in a list -------------------------------------------------------------------
list="$work/list.db"
printf '1\n2\n3\n' >"$work/good.txt"
printf '4\n5\nsix\n' >"$work/bad.txt"
printf '7\n8\n9\n' >"$work/good2.txt"
err=$(obl-ingest -q -r l "$list" "$work/good.txt" "$work/bad.txt" "$work/good2.txt" 2>&1)
same_text "$?|$err" \
	"3|obl-ingest: $work/bad.txt:3:1: 'six': not a number
obl-ingest: stopped at $work/bad.txt: 1 file before it written; 1 not attempted: $work/good2.txt" \
	"a bad file in a list: exit 3, naming what was written and what was not attempted"
same_text "$(sqlite3 "$list" 'SELECT group_concat(path) FROM source')" "$work/good.txt" \
	"only the file before the bad one is in the database"
before=$(db_hash "$list")
err=$(obl-ingest "$list" "$work/good2.txt" - - </dev/null 2>&1)
same_text "$?|$err|$(db_hash "$list")" \
	"2|obl-ingest: standard input ('-') is given twice; it can be read only once|$before" \
	"'-' twice is a usage error before anything is written"

# --- Full checks and the WAL after a failed write ---------------------------------------------
same_text "$(obl-stats --check "$list")" "$list: ok (every page, reference and series checked: no damage)" \
	"obl-stats --check on a sound database"
full="$work/full.db"
obl-ingest -q "$full" $G/baseline/S1-in64-out128-c1-rep*.json
awk 'BEGIN { print "{\"date\": \"x\", \"ttfts\": ["; for (i = 0; i < 400000; i++) printf "%s0.0%d", (i ? "," : ""), i % 97 + 1; print "]}" }' >"$work/big.json"
# Another connection stays open meanwhile, so the WAL is not removed when obl-ingest exits.
(printf 'select count(*) from run;\n'; sleep 3) | sqlite3 "$full" >/dev/null &
holder=$!
sleep 0.5
(ulimit -f 3000; obl-ingest -q -f vllm "$full" "$work/big.json") 2>/dev/null
s=$?
wal=$(stat -c %s "$full-wal" 2>/dev/null || echo 0)
wait $holder
same_text "$s|$([ "$wal" -lt 1048576 ] && echo small)" "3|small" \
	"a write that fills the disk: exit 3, and the WAL is truncated afterwards (not left at its high-water mark)"
printf '1.5\n2.5\n3.5\n' >"$work/small.txt"
(ulimit -f 3000; obl-ingest -q -r small "$full" "$work/small.txt")
same_text "$?|$(sqlite3 "$full" "SELECT count(*) FROM run WHERE label = 'small'")" "0|1" \
	"the next small ingest under the same limit succeeds and is stored"

# --- obl-history on an edited database ------------------------------------------------------
hist="$work/hist.db"
for r in 1 2 3 4 5; do
	obl-ingest -q -r "r$r" "$hist" $G/baseline/S1-in64-out128-c1-rep$r.json
done
sqlite3 "$hist" "UPDATE run SET label = '::error::x' || char(27) || '[2J' WHERE label = 'r1'"
same_text "$(obl-history "$hist" | sed -n 2p)" 'first run \x3a:error::x\x1b[2J, newest r5' \
	"obl-history shows an edited label escaped"
esc_count=0
for f in text md csv github json; do
	n=$(obl-history --format $f "$hist" 2>&1 | tr -d -c '\033' | wc -c)
	esc_count=$((esc_count + n))
done
same_text "$esc_count" "0" "no ESC byte in any obl-history format"
