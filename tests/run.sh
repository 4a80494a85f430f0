#!/bin/sh
# Runs every test: unit and oracle programs (they print TAP-style "ok"/"not ok" lines),
# golden-output cases of the tools (tests/golden/*/), and shell tests (tests/sh/*.sh).
# A test that cannot run here (e.g. the corpus ../shared/corpus is absent in a user's clone)
# prints "ok - NAME # SKIP reason": it is counted as skipped, neither passed nor failed.
# Last line: "N passed, N failed", or "N passed, N failed, N skipped" when something skipped.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
bin="$top/$build/bin"
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM

run_program() { # name, command...
	name=$1
	shift
	if "$@" >"$log.out" 2>&1; then status=0; else status=$?; fi
	grep -aE '^(ok|not ok)' "$log.out" >>"$log"
	grep -aE '^not ok' "$log.out" | sed "s|^|$name: |"
	if [ "$status" -ne 0 ] && ! grep -q '^not ok' "$log.out"; then
		echo "not ok - $name exited with $status" | tee -a "$log"
		tail -5 "$log.out"
	fi
	rm -f "$log.out"
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run_program "$(basename "$t")" env OBL_BIN="$bin" "$t"
done

for dir in tests/golden/*/; do
	[ -f "$dir/cmd" ] || continue
	name=$(basename "$dir")
	want_status=$(cat "$dir/status" 2>/dev/null || echo 0)
	got=$(mktemp)
	err=$(mktemp)
	PATH="$bin:$PATH" sh -c "$(cat "$dir/cmd")" >"$got" 2>"$err" </dev/null
	status=$?
	problem=""
	[ "$status" -eq "$want_status" ] || problem="exit $status, want $want_status"
	if [ -f "$dir/stdout" ] && ! cmp -s "$got" "$dir/stdout"; then
		problem="$problem stdout differs"
		diff -u "$dir/stdout" "$got" | head -20
	fi
	if [ -f "$dir/stderr" ] && ! cmp -s "$err" "$dir/stderr"; then
		problem="$problem stderr differs"
		diff -u "$dir/stderr" "$err" | head -10
	fi
	if [ -z "$problem" ]; then
		echo "ok - golden/$name" >>"$log"
	else
		echo "not ok - golden/$name: $problem" | tee -a "$log"
	fi
	rm -f "$got" "$err"
done

for t in tests/sh/*.sh; do
	[ -f "$t" ] || continue
	run_program "$(basename "$t")" env OBL_BIN="$bin" OBL_BUILD="$build" sh "$t"
done

skipped=$(grep -c '^ok .*# SKIP' "$log")
passed=$(($(grep -c '^ok' "$log") - skipped))
failed=$(grep -c '^not ok' "$log")
if [ "$skipped" -gt 0 ]; then
	sed -n 's/^ok .*# SKIP //p' "$log" | sort | uniq -c | sed 's/^ */skipped: /' 
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
