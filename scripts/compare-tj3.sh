#!/bin/sh
# compare-tj3.sh times `grantplan plan FILE --json` against TaskJuggler 3
# (tj3) scheduling the same generated project of 1,000 posts, after
# checking that both produce the same dates, and prints both means and
# their ratio. The issue asks for grantplan to be at least 100 times faster;
# the script exits 1 when it is not.
#
# Usage: scripts/compare-tj3.sh   (from anywhere in the repository)
#
# Environment: N posts (1000), SEED (1), GP_RUNS (20) and TJ_RUNS (5) timed
# runs, MIN_RATIO (100). Needs go and tj3 (apt-get install -y tj3); uses
# hyperfine where installed (apt-get install -y hyperfine; HYPERFINE= turns
# it off), else a loop over `date +%s%N`.
set -eu

N=${N:-1000}
SEED=${SEED:-1}
GP_RUNS=${GP_RUNS:-20}
TJ_RUNS=${TJ_RUNS:-5}
MIN_RATIO=${MIN_RATIO:-100}
HYPERFINE=${HYPERFINE-hyperfine}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v tj3 >/dev/null || { echo "compare-tj3: tj3 not found (apt-get install -y tj3)" >&2; exit 2; }

cd "$root"
go build -o "$work/grantplan" ./cmd/grantplan
go build -o "$work/tj3bench" ./internal/tj3/cmd/tj3bench
"$work/tj3bench" -n "$N" -seed "$SEED" "$work"

cd "$work"
json=project-$N.json
tjp=project-$N.tjp
gp_cmd="./grantplan plan $json --json"
tj_cmd="tj3 --silent --no-color $tjp"

# Both programs must agree before their times mean anything; tj3 writes
# the task report dates.csv with the same four dates per post.
$gp_cmd >plan.json
$tj_cmd
./tj3bench -check plan.json -n "$N" .

# mean_of RUNS CMD prints CMD's mean wall-clock time in seconds.
mean_of() {
	runs=$1
	shift
	if [ -n "$HYPERFINE" ] && command -v "$HYPERFINE" >/dev/null; then
		"$HYPERFINE" --style basic --warmup 1 --runs "$runs" --export-json times.json "$*" >&2
		sed -n 's/^ *"mean": *\([0-9.e+-]*\),*$/\1/p' times.json | head -n 1
	else
		$* >/dev/null 2>&1 # warm-up
		total=0
		i=0
		while [ "$i" -lt "$runs" ]; do
			start=$(date +%s%N)
			$* >/dev/null 2>&1
			end=$(date +%s%N)
			total=$((total + end - start))
			i=$((i + 1))
		done
		awk -v ns="$total" -v n="$runs" 'BEGIN { printf "%.6f\n", ns / n / 1e9 }'
	fi
}

gp_mean=$(mean_of "$GP_RUNS" "$gp_cmd")
tj_mean=$(mean_of "$TJ_RUNS" "$tj_cmd")

echo
echo "$N posts, seed $SEED, $(nproc) CPUs"
awk -v gp="$gp_mean" -v tj="$tj_mean" -v gpruns="$GP_RUNS" -v tjruns="$TJ_RUNS" -v min="$MIN_RATIO" 'BEGIN {
	printf "grantplan plan --json  mean %8.4f s  (%d runs)\n", gp, gpruns
	printf "tj3                    mean %8.4f s  (%d runs)\n", tj, tjruns
	ratio = tj / gp
	printf "tj3 / grantplan        %8.1f x  (required: at least %d x)\n", ratio, min
	exit ratio >= min ? 0 : 1
}'
