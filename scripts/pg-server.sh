#!/bin/sh
# A throwaway PostgreSQL server for the tests and benchmarks: initdb and pg_ctl (Debian's
# postgresql package) in a temporary directory, listening only on a Unix socket there, run
# as an unprivileged user (initdb refuses root: as root, the server runs as nobody). The
# role obl owns it and connects without a password; other roles need theirs (scram).
#
#   scripts/pg-server.sh start DIR   prints the conninfo of database "obl" (exit 77: no server
#                                    packages here)
#   scripts/pg-server.sh stop DIR    stops it and removes DIR
#
# The caller stops it on exit (trap), even on failure.
set -u
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

bindir=${OBL_PG_BINDIR:-}
if [ -z "$bindir" ]; then
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && bindir=$d
	done
fi

# as_owner COMMAND...: runs COMMAND as the server's owner (nobody when we are root)
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u nobody -- "$@"
		else
			setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
		fi
	else
		"$@"
	fi
}

case $cmd in
start)
	if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
		echo "no PostgreSQL server here (Debian: apt-get install postgresql)" >&2
		exit 77
	fi
	mkdir -p "$dir" || exit 1
	[ "$(id -u)" -eq 0 ] && chown nobody "$dir"
	chmod 700 "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U obl -A trust -E UTF8 --locale=C.UTF-8 \
		--no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	# the owner "obl" without a password; every other role (the tests' writer and reader)
	# with its password, as a team's server would ask
	printf 'local all obl trust\nlocal all all scram-sha-256\n' >"$dir/data/pg_hba.conf"
	# Unix socket only, in DIR; small and quick: nothing here must survive a crash
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=100 \
-c shared_buffers=32MB" start >/dev/null 2>&1 || { cat "$dir/server.log" >&2; exit 1; }
	as_owner "$bindir/psql" -X -q -h "$dir" -U obl -d postgres \
		-c "CREATE DATABASE obl" >/dev/null || exit 1
	# the socket directory must be reachable by the clients (root, or the test's user)
	chmod 755 "$dir"
	echo "host=$dir user=obl dbname=obl"
	;;
stop)
	if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
