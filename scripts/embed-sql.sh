#!/bin/sh
# Turns schema/NNN-*.sql into C arrays of lines, one per migration, in order, for
# libobl/store.c (lines, not one literal: ISO C limits a string literal to 4095 characters).
set -eu
echo "/* Generated from the schema directory by scripts/embed-sql.sh: do not edit. */"
i=0
for f in "$@"; do
	i=$((i + 1))
	echo "static const char *const obl_migration_$i[] = { /* $(basename "$f") */"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$/\\n",/' "$f"
	echo "	NULL,"
	echo "};"
done
echo "static const char *const *const obl_migrations[] = {"
j=1
while [ "$j" -le "$i" ]; do
	echo "	obl_migration_$j,"
	j=$((j + 1))
done
echo "	NULL,"
echo "};"
