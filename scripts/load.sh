#!/usr/bin/env bash
# load.sh puts `grantplan serve` under load with wrk and reports, per
# endpoint, the requests a second, the 99th percentile of latency and the
# answers that were not 2xx, and the ratio of the plan's throughput to
# /healthz's. It starts its own server on a fresh database in a temporary
# directory, on the loopback interface only, stores the demo and 99 more
# scenarios (as a planner with an API token), and stops the server when
# done. The server lets requests without credentials act as viewers
# (--anonymous-role viewer), who may read and plan: the figures are the
# work of the routes, not of signing in.
#
# Usage: make load   (or scripts/load.sh from anywhere in the repository)
#
# Environment: LOAD_SECONDS per endpoint (5; at most 60), LOAD_CONNECTIONS
# (16; at most 256), LOAD_THREADS (2), LOAD_SERVE_FLAGS (flags for serve;
# by default the queue and the share of one client are raised, since the
# load generator is one client and serve would refuse most of its
# expensive requests with 503 otherwise: that is the gate working, and
# LOAD_SERVE_FLAGS= shows it). Needs go and wrk; as root it installs wrk
# (apt-get install -y wrk) if missing.
set -euo pipefail

prog=load
# shellcheck source=scripts/lib/load.sh
. "$(dirname "$0")/lib/load.sh"
load_settings
if ! [[ $connections =~ ^[0-9]+$ ]] || ((connections < 1 || connections > 256)); then
	echo "load: LOAD_CONNECTIONS must be 1 to 256, got $connections" >&2
	exit 2
fi
need_wrk

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cleanup() {
	stop_servers
	rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
go build -o "$work/grantplan" ./cmd/grantplan
token=$(token "$work/load.db")
serve serve "$work/load.db"
base=$addr
demo=kim-siegen-wittgenstein

# 99 more scenarios for the list, each a copy of the demo.
seed "$base" "$token"

# The plan of the same document every time (its plan is kept), and of a
# new document every time (planned anew): the name carries the thread and
# a counter.
cat >"$work/plan.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$root/data/kim-siegen-wittgenstein.json")
wrk.body = f:read("*a")
f:close()
EOF
cat >"$work/plan-new.lua" <<EOF
local f = io.open("$root/data/kim-siegen-wittgenstein.json")
local body = f:read("*a")
f:close()
local name = '"name": "KIM Kreis Siegen-Wittgenstein"'
local at = body:find(name, 1, true)
local before, after = body:sub(1, at - 1), body:sub(at + #name)
local headers = {["Content-Type"] = "application/json"}
local threads, id, n = 0, 0, 0
function setup(thread)
	threads = threads + 1
	thread:set("id", threads)
end
function request()
	n = n + 1
	return wrk.format("POST", nil, headers, before .. '"name": "Load ' .. id .. "-" .. n .. '"' .. after)
end
EOF

# run NAME PATH [LUA]: one wrk run; prints a row and remembers the rate.
declare -A rate
printf '%-16s %12s %10s %10s %8s\n' endpoint requests/s p50 p99 non-2xx
run() {
	local name=$1 path=$2 script=${3:-}
	local out
	wrk_run "$work/run.out" "$base" "$connections" "$path" "$script"
	out=$(<"$work/run.out")
	local rps p50 p99 errors
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
	rate[$name]=$rps
	printf '%-16s %12s %10s %10s %8s\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}"
}

run healthz /healthz
run plan /api/v1/plan "$work/plan.lua"
run plan-new /api/v1/plan "$work/plan-new.lua"
run stored-plan "/api/v1/scenarios/$demo/plan"
run scenario-page "/scenarios/$demo"
run workbook "/api/v1/scenarios/$demo/export.xlsx"
run list /

awk -v plan="${rate[plan]}" -v fresh="${rate[plan-new]}" -v health="${rate[healthz]}" 'BEGIN {
	printf "plan/healthz %.0f %% (the same document), %.0f %% (a new document every time)\n", 100 * plan / health, 100 * fresh / health
}'
