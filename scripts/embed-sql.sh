#!/bin/sh
# Turns schema/NNN-*.sql into C arrays of lines, one per migration, in order, for
# libobl/store.c (lines, not one literal: ISO C limits a string literal to 4095 characters).
# -n NAME names the arrays (default obl_migration): schema/pg/ is another engine's.
set -eu
name=obl_migration
if [ "${1:-}" = -n ]; then
	name=$2
	shift 2
fi
echo "/* Generated from the schema directory by scripts/embed-sql.sh: do not edit. */"
i=0
for f in "$@"; do
	i=$((i + 1))
	echo "static const char *const ${name}_$i[] = { /* $(basename "$f") */"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$/\\n",/' "$f"
	echo "	NULL,"
	echo "};"
done
echo "static const char *const *const ${name}s[] = {"
j=1
while [ "$j" -le "$i" ]; do
	echo "	${name}_$j,"
	j=$((j + 1))
done
echo "	NULL,"
echo "};"
