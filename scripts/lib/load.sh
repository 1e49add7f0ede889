# shellcheck shell=bash
# scripts/lib/load.sh: what scripts/load.sh and scripts/load-pg.sh do
# alike, sourced by both. The caller sets prog (its name, for messages)
# before sourcing; the functions use root, work, seconds, threads and
# serve_flags, which load_settings and the caller set.

# load_settings: reads LOAD_SECONDS, LOAD_THREADS and
# LOAD_SERVE_FLAGS into seconds, threads and serve_flags, and
# LOAD_CONNECTIONS into connections (checked by the caller), and refuses
# LOAD_SECONDS outside 1 to 60.
load_settings() {
	seconds=${LOAD_SECONDS:-5}
	connections=${LOAD_CONNECTIONS:-16}
	threads=${LOAD_THREADS:-2}
	serve_flags=${LOAD_SERVE_FLAGS---queue 64 --per-client 1000}
	if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1 || seconds > 60)); then
		echo "$prog: LOAD_SECONDS must be 1 to 60, got $seconds" >&2
		exit 2
	fi
}

# need_wrk: installs wrk as root with apt-get if missing, else stops.
need_wrk() {
	if ! command -v wrk >/dev/null; then
		if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
		else
			echo "$prog: wrk not found: apt-get install -y wrk" >&2
			exit 2
		fi
	fi
}

# The instances serve started, for stop_servers.
servers=()

# stop_servers: stops every instance serve started.
stop_servers() {
	local pid
	for pid in "${servers[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# token DB: a planner with an API token on the database DB; prints the token.
token() {
	"$work/grantplan" user add loader --role planner --password-stdin --db "$1" \
		<<<"a password for the load test only" >/dev/null
	"$work/grantplan" token add loader --label load --db "$1" | tail -n 1
}

# serve NAME DB: starts an instance on DB, its log in $work/NAME.log, and
# sets addr to its address.
serve() {
	local name=$1 db=$2
	addr=
	# The log exists before the server's shell gets to open it, so that
	# the first look for the address finds a file.
	: >"$work/$name.log"
	# shellcheck disable=SC2086 # the flags are words
	"$work/grantplan" serve --addr 127.0.0.1:0 --db "$db" --anonymous-role viewer $serve_flags \
		</dev/null >/dev/null 2>"$work/$name.log" &
	servers+=($!)
	for _ in $(seq 100); do
		addr=$(sed -n 's/.*msg=listening addr=\(127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/$name.log" | head -n 1)
		[[ -n $addr ]] && break
		sleep 0.1
	done
	if [[ -z $addr ]]; then
		echo "$prog: the server $name did not start:" >&2
		cat "$work/$name.log" >&2
		exit 1
	fi
	addr=http://$addr
}

# seed BASE TOKEN: 99 copies of the demo, named Szenario 01 to 99.
seed() {
	local i
	for i in $(seq -w 1 99); do
		sed "s/\"name\": \"KIM Kreis Siegen-Wittgenstein\"/\"name\": \"Szenario $i\"/" data/kim-siegen-wittgenstein.json >"$work/copy.json"
		curl -sf -o /dev/null -X POST -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
			--data-binary "@$work/copy.json" "$1/api/v1/scenarios"
	done
}

# wrk_run OUT BASE CONNECTIONS PATH [SCRIPT]: one wrk run into the file OUT.
wrk_run() {
	local out=$1 base=$2 conns=$3 path=$4 script=${5:-}
	if [[ -n $script ]]; then
		wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency -s "$script" "$base$path" >"$out"
	else
		wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency "$base$path" >"$out"
	fi
}
