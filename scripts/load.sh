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

seconds=${LOAD_SECONDS:-5}
connections=${LOAD_CONNECTIONS:-16}
threads=${LOAD_THREADS:-2}
serve_flags=${LOAD_SERVE_FLAGS---queue 64 --per-client 1000}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1 || seconds > 60)); then
	echo "load: LOAD_SECONDS must be 1 to 60, got $seconds" >&2
	exit 2
fi
if ! [[ $connections =~ ^[0-9]+$ ]] || ((connections < 1 || connections > 256)); then
	echo "load: LOAD_CONNECTIONS must be 1 to 256, got $connections" >&2
	exit 2
fi

if ! command -v wrk >/dev/null; then
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
	else
		echo "load: wrk not found: apt-get install -y wrk" >&2
		exit 2
	fi
fi

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server=
cleanup() {
	if [[ -n $server ]]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
go build -o "$work/grantplan" ./cmd/grantplan
"$work/grantplan" user add loader --role planner --password-stdin --db "$work/load.db" \
	<<<"a password for the load test only" >/dev/null
token=$("$work/grantplan" token add loader --label load --db "$work/load.db" | tail -n 1)
: >"$work/serve.log" # there before the server's shell opens it
# shellcheck disable=SC2086 # the flags are words
"$work/grantplan" serve --addr 127.0.0.1:0 --db "$work/load.db" --anonymous-role viewer $serve_flags 2>"$work/serve.log" &
server=$!
addr=
for _ in $(seq 100); do
	addr=$(sed -n 's/.*msg=listening addr=\(127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/serve.log" | head -n 1)
	[[ -n $addr ]] && break
	sleep 0.1
done
if [[ -z $addr ]]; then
	echo "load: the server did not start:" >&2
	cat "$work/serve.log" >&2
	exit 1
fi
base=http://$addr
demo=kim-siegen-wittgenstein

# 99 more scenarios for the list, each a copy of the demo.
for i in $(seq -w 1 99); do
	sed "s/\"name\": \"KIM Kreis Siegen-Wittgenstein\"/\"name\": \"Szenario $i\"/" data/kim-siegen-wittgenstein.json >"$work/copy.json"
	curl -sf -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		--data-binary "@$work/copy.json" "$base/api/v1/scenarios"
done

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
	if [[ -n $script ]]; then
		out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$script" "$base$path")
	else
		out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$base$path")
	fi
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
