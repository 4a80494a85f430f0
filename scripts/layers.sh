#!/bin/sh
# make layers: every #include "..." in libobl/ and libstats/ is checked against the table of
# allowed dependencies between layers (docs/DESIGN.md section 2). A layer may include its own
# headers and those of the layers listed after it; anything else is reported with file and
# line, and the check fails. Outside libstats/, no file includes GSL.
set -u
cd "$(dirname "$0")/.." || exit 2

# layer: the layers it may use (besides itself)
allowed() {
	case $1 in
	libstats) echo "" ;;
	base) echo "" ;;
	model) echo "base libstats" ;;
	read) echo "base model libstats" ;;
	store) echo "base model read libstats" ;;
	compare) echo "base model read store libstats" ;;
	history) echo "base model read store compare libstats" ;;
	render) echo "base model store compare" ;;
	report) echo "base model store compare history render libstats" ;;
	*) echo "?" ;;
	esac
}

# The layer a header belongs to: public headers (libobl/include/) by name, the others by folder.
layer_of() {
	case $1 in
	error.h | strbuf.h) echo base ;;
	model.h | kv.h | group.h) echo model ;;
	reader.h) echo read ;;
	store.h) echo store ;;
	compare.h) echo compare ;;
	render.h) echo render ;;
	report.h) echo report ;;
	stats.h | internal.h | changepoint.h) echo libstats ;;
	schema_sql.h | pg_schema_sql.h | templates.h) echo gen ;; # made by the build from schema/ and templates/
	*)
		f=$(ls libobl/*/"$1" 2>/dev/null | head -n 1)
		[ -n "$f" ] && basename "$(dirname "$f")" || echo "?"
		;;
	esac
}

bad=0
for f in libstats/*.[ch] libobl/*/*.[ch]; do
	case $f in
	libstats/*) from=libstats ;;
	libobl/include/*) from=$(layer_of "$(basename "$f")") ;;
	*) from=$(basename "$(dirname "$f")") ;;
	esac
	ok=$(allowed "$from")
	grep -n '^#include "' "$f" | while IFS=: read -r line text; do
		h=$(echo "$text" | sed 's/^#include "\(.*\)".*/\1/')
		case $h in */*) to="?" ;; *) to=$(layer_of "$h") ;; esac
		[ "$to" = "$from" ] || [ "$to" = gen ] && continue
		case " $ok " in *" $to "*) continue ;; esac
		echo "$f:$line: layer '$from' may not include \"$h\" (layer '$to'; allowed: ${ok:-none})"
	done
done > "${TMPDIR:-/tmp}/obl-layers.$$"
# Statistics live in libstats: nothing else includes GSL.
grep -n '^#include <gsl/' libobl/*/*.[ch] tools/*.[ch] 2>/dev/null | sed 's/^\([^:]*:[0-9]*\):.*/\1: only libstats may include GSL (statistics live there)/' \
	>> "${TMPDIR:-/tmp}/obl-layers.$$"
# The PostgreSQL client library is the PostgreSQL engine's alone (libobl/store/pg.c).
grep -n '^#include <libpq' libstats/*.[ch] libobl/*/*.[ch] tools/*.[ch] 2>/dev/null | grep -v '^libobl/store/pg\.c:' |
	sed 's/^\([^:]*:[0-9]*\):.*/\1: only libobl\/store\/pg.c may include libpq (the PostgreSQL engine)/' \
	>> "${TMPDIR:-/tmp}/obl-layers.$$"
if [ -s "${TMPDIR:-/tmp}/obl-layers.$$" ]; then
	cat "${TMPDIR:-/tmp}/obl-layers.$$"
	bad=1
else
	echo "layers: every #include follows the table"
fi
rm -f "${TMPDIR:-/tmp}/obl-layers.$$"
exit $bad
