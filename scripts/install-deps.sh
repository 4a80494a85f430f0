#!/bin/sh
# Installs the Debian packages obl needs to build, test and benchmark, when missing.
# A no-op when everything is present. Uses apt-get as root, or through sudo.
set -eu

packages="gcc make libsqlite3-dev libgsl-dev libcjson-dev libcsv-dev libhpdf-dev libutf8proc-dev nettle-dev
sqlite3 poppler-utils poppler-data fonts-wqy-microhei ministat clang libclang-rt-14-dev valgrind fonts-dejavu-core
python3-yaml clang-format libpq-dev postgresql"

missing=""
for p in $packages; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "make deps: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "make deps: missing packages:$missing; run as root or install sudo" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
