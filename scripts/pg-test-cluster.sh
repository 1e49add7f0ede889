#!/usr/bin/env bash
# pg-test-cluster.sh makes a throw-away PostgreSQL cluster for the tests of
# the PostgreSQL store, and removes it afterwards.
#
# Usage:
#   scripts/pg-test-cluster.sh start [DIR]   make and start a cluster in DIR (a new
#                                            temporary directory if not given) and
#                                            print its URL on standard output
#   scripts/pg-test-cluster.sh stop DIR      stop the cluster in DIR and remove DIR
#   scripts/pg-test-cluster.sh down DIR      stop the cluster in DIR at once, as a crash
#                                            or a lost server would (pg_ctl's immediate
#                                            mode), keeping DIR
#   scripts/pg-test-cluster.sh up DIR        start the cluster in DIR again, on its port
#   scripts/pg-test-cluster.sh run CMD …     start a cluster, run CMD with
#                                            GRANTPLAN_TEST_POSTGRES set to its URL,
#                                            then stop and remove it
#
# For example: scripts/pg-test-cluster.sh run make test
#
# The cluster listens on 127.0.0.1 on a free port and on a socket in DIR,
# has one database, grantplan, owned by the role grantplan with a random
# password (given in the URL), and is in UTF-8 without a locale, so that
# the tests cannot lean on a locale's case rules. PostgreSQL refuses to run
# as root: run as root, the script runs it as the user grantplan-ci, which
# it creates (a system user without a home or a login shell) if missing.
#
# Environment: PG_BIN, the directory of initdb and pg_ctl (default: the
# newest /usr/lib/postgresql/*/bin, else the PATH's); PG_USER, the user to
# run PostgreSQL as when run as root (default grantplan-ci).
set -euo pipefail

marker=.grantplan-pg-test-cluster

die() {
	echo "pg-test-cluster: $*" >&2
	exit 1
}

# pg_bin finds initdb and pg_ctl: Debian keeps them off the PATH, under
# /usr/lib/postgresql/VERSION/bin.
pg_bin() {
	if [ -n "${PG_BIN:-}" ]; then
		echo "$PG_BIN"
		return
	fi
	local newest
	newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$newest" ]; then
		echo "$newest"
	elif command -v initdb >/dev/null; then
		dirname "$(command -v initdb)"
	else
		die "initdb not found: install PostgreSQL (apt-get install -y postgresql) or set PG_BIN"
	fi
}

# as_owner runs a command as the user that owns the cluster.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$owner" -- "$@"
	else
		"$@"
	fi
}

# port_in_use reports whether something listens on 127.0.0.1:$1.
port_in_use() {
	(: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
	local dir=${1:-}
	bin=$(pg_bin)
	[ -x "$bin/initdb" ] || die "$bin/initdb not found: install PostgreSQL or set PG_BIN"
	if [ -z "$dir" ]; then
		dir=$(mktemp -d "${TMPDIR:-/tmp}/grantplan-pg.XXXXXX")
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
	touch "$dir/$marker"

	if [ "$(id -u)" = 0 ]; then
		if ! id -u "$owner" >/dev/null 2>&1; then
			useradd --system --user-group --no-create-home --home-dir /nonexistent \
				--shell /usr/sbin/nologin "$owner"
		fi
		chown -R "$owner:" "$dir"
	fi
	chmod 700 "$dir"

	local password
	password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	(umask 077 && echo "$password" >"$dir/pwfile")
	[ "$(id -u)" != 0 ] || chown "$owner:" "$dir/pwfile"
	as_owner "$bin/initdb" --pgdata="$dir/data" --username=grantplan --pwfile="$dir/pwfile" \
		--auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --no-locale \
		--no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	}
	rm -f "$dir/pwfile"

	# A free port: try a few at random, since another process may take
	# the one found free before PostgreSQL binds it.
	local port started=
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + RANDOM % 20000))
		port_in_use "$port" && continue
		# In the configuration, not on pg_ctl's command line, so that
		# pg_ctl restart (a test of a database that goes away and comes
		# back) keeps them; the last of repeated settings counts.
		printf "listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n" \
			"$port" "$dir" | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
		if as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --silent start; then
			started=yes
			break
		fi
	done
	if [ -z "$started" ]; then
		cat "$dir/server.log" >&2 || true
		die "PostgreSQL did not start"
	fi
	as_owner "$bin/createdb" --host="$dir" --port="$port" --username=grantplan grantplan

	local url="postgres://grantplan:$password@127.0.0.1:$port/grantplan?sslmode=disable"
	(umask 077 && echo "$url" >"$dir/url")
	echo "$url"
	echo "pg-test-cluster: PostgreSQL on 127.0.0.1:$port in $dir; stop it with: $0 stop $dir" >&2
}

stop() {
	local dir=${1:-}
	[ -n "$dir" ] || die "usage: $0 stop DIR"
	[ -f "$dir/$marker" ] || die "$dir is not a cluster this script made"
	bin=$(pg_bin)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --silent stop ||
			echo "pg-test-cluster: pg_ctl stop failed" >&2
	fi
	rm -rf "$dir"
}

# down stops the cluster at once: every connection is cut, and the next
# start recovers from the write-ahead log, as after a crash.
down() {
	local dir=${1:-}
	[ -n "$dir" ] || die "usage: $0 down DIR"
	[ -f "$dir/$marker" ] || die "$dir is not a cluster this script made"
	bin=$(pg_bin)
	as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait --silent stop
}

# up starts a cluster that down stopped, on the port it had.
up() {
	local dir=${1:-}
	[ -n "$dir" ] || die "usage: $0 up DIR"
	[ -f "$dir/$marker" ] || die "$dir is not a cluster this script made"
	bin=$(pg_bin)
	as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --silent start
}

owner=${PG_USER:-grantplan-ci}
command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
start)
	start "$@"
	;;
stop)
	stop "$@"
	;;
down)
	down "$@"
	;;
up)
	up "$@"
	;;
run)
	[ $# -gt 0 ] || die "usage: $0 run COMMAND [ARGUMENT …]"
	dir=$(mktemp -d "${TMPDIR:-/tmp}/grantplan-pg.XXXXXX")
	trap 'stop "$dir"' EXIT
	url=$(start "$dir")
	GRANTPLAN_TEST_POSTGRES=$url "$@"
	;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
