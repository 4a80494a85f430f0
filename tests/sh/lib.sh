# Helpers for shell tests: TAP-style lines counted by tests/run.sh.
# OBL_BIN is the directory of the built tools.
PATH="$OBL_BIN:$PATH"
export PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

ok() { echo "ok - $*"; }
# skip DESCRIPTION REASON: a test that cannot run here; tests/run.sh counts it as skipped.
skip() { echo "ok - $1 # SKIP $2"; }
# The corpus of real output files (../shared/corpus beside the project), read in place and
# never copied; empty when absent (a user's clone): its tests then skip.
# OBL_CORPUS overrides where it is looked for (tests run from the project's top directory).
corpus=$(cd "${OBL_CORPUS:-../shared/corpus}" 2>/dev/null && pwd)
not_ok() { echo "not ok - $*"; }
# check DESCRIPTION COMMAND...: ok if the command succeeds
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# same_text GOT WANT DESCRIPTION
same_text() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3: got '$1', want '$2'"; fi
}
# A fingerprint of a database's content (schema and rows), to prove it did not change.
db_hash() { sqlite3 "$1" .dump | sha256sum | cut -c1-64; }
