# Runs the table of bad inputs (tests/bad-inputs.tsv): each must give its exit status and
# message, and leave the database it was pointed at exactly as it was.
. tests/sh/lib.sh
D=tests/data G=examples/gpu-h100/baseline W="$work"
base="$work/base.db"
obl-ingest -q -r base "$base" $G/S1-in64-out128-c1-rep1.json || not_ok "set-up ingest"
want_hash=$(db_hash "$base")
n=0
tab=$(printf '\t')
while IFS="$tab" read -r status message command; do
	case "$status" in '#'* | '') continue ;; esac
	n=$((n + 1))
	DB="$work/case$n.db"
	cp "$base" "$DB"
	err=$(D=$D G=$G W=$W DB=$DB sh -c "$command" 2>&1 >/dev/null)
	got=$?
	case "$err" in
	*"$message"*) found=1 ;;
	*) found=0 ;;
	esac
	if [ "$got" -ne "$status" ] || [ $found -eq 0 ]; then
		not_ok "bad input $n ($command): exit $got, want $status; message '$err', want '$message'"
	elif [ "$(db_hash "$DB")" != "$want_hash" ]; then
		not_ok "bad input $n ($command): the database changed"
	else
		ok "bad input $n: exit $status, '$message', database unchanged"
	fi
	rm -f "$work/big.json"
done <tests/bad-inputs.tsv
check "the table has 45 cases" test "$n" -eq 45
