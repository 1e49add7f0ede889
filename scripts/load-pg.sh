#!/usr/bin/env bash
# load-pg.sh measures what a second instance on one PostgreSQL database
# adds: it puts grantplan under wrk three ways, on the same endpoints,
# one after the other —
#
#   sqlite  one instance on a SQLite file (as make load);
#   pg×1    one instance on PostgreSQL;
#   pg×2    two instances on the same PostgreSQL database, each under a
#           wrk of its own with half the connections, at the same time
#           (as a load balancer spreading the clients); their requests a
#           second are added up, their p99 is the larger of the two —
#
# and prints requests a second, p99 and the answers that were not 2xx for
# each, and the most memory each instance held. It makes a throw-away PostgreSQL cluster (scripts/pg-test-cluster.sh)
# and a temporary directory, stores the demo and 99 more scenarios in each
# database (as a planner with an API token), and removes everything when
# done. Reads go without credentials (--anonymous-role viewer); saves
# carry the token.
#
# The endpoints: /healthz (the floor of a request; on PostgreSQL its
# check is kept for a second), a scenario read from the store (GET
# /api/v1/scenarios/ID), the plan of a stored scenario (its plan kept by
# the body's hash, so mostly the store's read), the list page of 100
# scenarios with their key figures, and a save (PUT with If-Match: *, a
# new name each time, spread over the 99 scenarios: a new revision, its
# key figures planned and stored, an audit entry).
#
# Usage: make load-pg   (or scripts/load-pg.sh from anywhere in the repository)
#
# Environment: as scripts/load.sh: LOAD_SECONDS per endpoint and setup (5;
# at most 60), LOAD_CONNECTIONS (16, an even number up to 256),
# LOAD_THREADS (2), LOAD_SERVE_FLAGS; PG_BIN and PG_USER as
# scripts/pg-test-cluster.sh. Needs go, wrk, curl and PostgreSQL's
# programs (apt-get install -y wrk postgresql).
set -euo pipefail

prog=load-pg
# shellcheck source=scripts/lib/load.sh
. "$(dirname "$0")/lib/load.sh"
load_settings
if ! [[ $connections =~ ^[0-9]+$ ]] || ((connections < 2 || connections > 256 || connections % 2 != 0)); then
	echo "load-pg: LOAD_CONNECTIONS must be an even number from 2 to 256, got $connections" >&2
	exit 2
fi
need_wrk

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cluster=$(mktemp -d)
cleanup() {
	stop_servers
	"$root/scripts/pg-test-cluster.sh" stop "$cluster" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
go build -o "$work/grantplan" ./cmd/grantplan
pg=$(scripts/pg-test-cluster.sh start "$cluster" 2>/dev/null)

# save_script TOKEN FILE: a wrk script of saves with the token. Each
# thread of each wrk run (LOAD_RUN numbers the runs) walks the 99
# scenarios from a place of its own, so that saves seldom meet.
save_script() {
	cat >"$2" <<EOF
local f = io.open("$root/data/kim-siegen-wittgenstein.json")
local body = f:read("*a")
f:close()
local name = '"name": "KIM Kreis Siegen-Wittgenstein"'
local at = body:find(name, 1, true)
local before, after = body:sub(1, at - 1), body:sub(at + #name)
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $1", ["If-Match"] = "*"}
local run = tonumber(os.getenv("LOAD_RUN") or "0")
local threads, id, n = 0, 0, 0
function setup(thread)
	threads = threads + 1
	thread:set("id", threads)
end
function request()
	n = n + 1
	local i = (run * 50 + id * 17 + n) % 99 + 1
	return wrk.format("PUT", string.format("/api/v1/scenarios/szenario-%02d", i), headers,
		before .. string.format('"name": "Szenario %02d (%d-%d-%d)"', i, run, id, n) .. after)
end
EOF
}

sqlite_token=$(token "$work/load.db")
pg_token=$(token "$pg")
serve sqlite "$work/load.db"
sqlite=$addr
serve pg-a "$pg"
pg_a=$addr
serve pg-b "$pg"
pg_b=$addr
seed "$sqlite" "$sqlite_token"
seed "$pg_a" "$pg_token"
save_script "$sqlite_token" "$work/save-sqlite.lua"
save_script "$pg_token" "$work/save-pg.lua"
demo=kim-siegen-wittgenstein

# cells FILE…: requests a second (added up), p99 (the largest) and non-2xx
# (added up) of the wrk runs in the files.
cells() {
	awk '
		/^Requests\/sec:/ { rps += $2 }
		$1 == "99%" {
			v = $2; ms = v + 0
			if (v ~ /us$/) ms /= 1000; else if (v ~ /ms$/) ms += 0; else if (v ~ /s$/) ms *= 1000
			if (ms > p99) p99 = ms
		}
		/Non-2xx or 3xx responses:/ { errors += $5 }
		END { printf "%9.0f %8.1fms %6d", rps, p99, errors }
	' "$@"
}

printf '%-12s %-27s %-27s %-27s\n' "" "sqlite (one instance)" "pg×1 (one instance)" "pg×2 (two instances)"
printf '%-12s %9s %10s %6s %9s %10s %6s %9s %10s %6s\n' endpoint req/s p99 non2xx req/s p99 non2xx req/s p99 non2xx
# row NAME PATH [SQLITE-SCRIPT PG-SCRIPT]
row() {
	local name=$1 path=$2 sscript=${3:-} pscript=${4:-}
	LOAD_RUN=0 wrk_run "$work/s.out" "$sqlite" "$connections" "$path" "$sscript"
	LOAD_RUN=0 wrk_run "$work/p1.out" "$pg_a" "$connections" "$path" "$pscript"
	LOAD_RUN=0 wrk_run "$work/p2a.out" "$pg_a" $((connections / 2)) "$path" "$pscript" &
	local a=$!
	LOAD_RUN=1 wrk_run "$work/p2b.out" "$pg_b" $((connections / 2)) "$path" "$pscript"
	wait "$a"
	printf '%-12s %s %s %s\n' "$name" "$(cells "$work/s.out")" "$(cells "$work/p1.out")" "$(cells "$work/p2a.out" "$work/p2b.out")"
}

row healthz /healthz
row scenario "/api/v1/scenarios/$demo"
row stored-plan "/api/v1/scenarios/$demo/plan"
row list /
row save /api/v1/scenarios/szenario-01 "$work/save-sqlite.lua" "$work/save-pg.lua"
# The most memory each instance held (its peak resident set).
peak() { awk '/^VmHWM:/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
echo "peak memory: sqlite $(peak "${servers[0]}"), pg-a $(peak "${servers[1]}"), pg-b $(peak "${servers[2]}")"
echo "($(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $connections connections, ${seconds}s per run)"
