#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The gain bound against the rewrite it advises: each workload that gets a
# model runs beside a variant doing the same work the advised way (threads,
# processes, all requests in flight), BOUNDS_RUNS times each, alternately
# (like with like on a shared machine), each wall without its waits for CPUs
# other programs held (verdict.own_wall_ns). Prints, per pair, the workload's
# verdict and median bound, the medians of both walls and the variant's
# speedup, and whether the speedup stays within the bound and reaches a
# third of it. Exit 1 when a speedup passes its bound: a bound is a promise.
# Usage: tests/bench/bounds.sh ADVISOR WORKLOADS_DIR
set -u

ADVISOR=${1:?usage: bounds.sh ADVISOR WORKLOADS_DIR}
W=${2:?usage: bounds.sh ADVISOR WORKLOADS_DIR}
RUNS=${BOUNDS_RUNS:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
TMP=$(mktemp -d /var/tmp/advisor-bounds.XXXXXX)
SERVERS=()
trap 'kill "${SERVERS[@]}" 2>/dev/null; rm -rf "$TMP"' EXIT

# field FILE KEY...: one value of a saved report
field() {
	"$PY" - "$@" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    d = d[k]
print(d)
EOF
}

# own FILE: the wall the bound divides (less the waits for CPUs others held), else the run's
own() {
	local w
	w=$(field "$1" verdict own_wall_ns 2>/dev/null)
	if [ -z "$w" ] || [ "$w" = 0 ] || [ "$w" = None ]; then
		w=$(field "$1" duration_ns)
	fi
	echo "$w"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# a server outside the profiled tree: echo_server DELAY_MS WORK_US; prints its port
server() {
	local port
	port=$(free_port)
	"$W/echo_server" --port "$port" --delay-ms "$1" --work-us "$2" >/dev/null 2>&1 &
	SERVERS+=($!)
	sleep 0.2
	echo "$port"
}

printf '%-14s %-16s %7s %9s %9s %8s  %s\n' workload verdict bound wall variant speedup check
FAILED=0

# pair LABEL 'ORIGINAL' 'VARIANT' [SETUP]: commands as sh -c strings; SETUP runs before each
pair() {
	local label=$1 orig=$2 variant=$3 setup=${4:-true} i
	local wo=() wv=() bo=() model
	for ((i = 0; i < RUNS; i++)); do
		eval "$setup"
		"$ADVISOR" run -q -o "$TMP/o.json" -- /bin/sh -c "$orig" >/dev/null 2>&1
		wo+=("$(own "$TMP/o.json")")
		bo+=("$(field "$TMP/o.json" verdict speedup_bound)")
		model=$(field "$TMP/o.json" verdict model)
		eval "$setup"
		"$ADVISOR" run -q -o "$TMP/v.json" -- /bin/sh -c "$variant" >/dev/null 2>&1
		wv+=("$(own "$TMP/v.json")")
	done
	local mo mv mb
	mo=$(printf '%s\n' "${wo[@]}" | median)
	mv=$(printf '%s\n' "${wv[@]}" | median)
	mb=$(printf '%s\n' "${bo[@]}" | median)
	"$PY" - "$label" "$model" "$mb" "$mo" "$mv" <<'EOF'
import sys
label, model, b, o, v = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
s = o / v
check = "over the bound" if s > b else ("under a third" if s < b / 3 else "ok")
print("%-14s %-16s %6.2fx %8.3fs %8.3fs %7.2fx  %s" % (label, model, b, o / 1e9, v / 1e9, s, check))
sys.exit(1 if s > b else 0)
EOF
	[ $? -eq 0 ] || FAILED=1
}

pair cpu-loop "$W/spin 0 1200" "$W/spin 2 600"

pair cpython-gil "$PY $ROOT/tests/workloads/gil_threads.py 4 3000000" \
	"for i in 1 2 3 4; do $PY $ROOT/tests/workloads/gil_threads.py 1 3000000 & done; wait"

mkdir -p "$TMP/d1" "$TMP/d2" "$TMP/d3" "$TMP/d4"
pair disk-files "$W/disk_io $TMP/d1 200 10 256" \
	"for d in d1 d2 d3 d4; do $W/disk_io $TMP/\$d 50 10 256 & done; wait"

FAST=$(server 0 200)
pair fast-rr "$W/rr_client --port $FAST --conns 1 --threads 1 --requests 2000" \
	"$W/rr_client --port $FAST --conns 4 --threads 4 --requests 500"

SLOW=$(server 20 0)
pair slow-rr "$W/rr_client --port $SLOW --conns 1 --requests 60" \
	"$W/rr_client --port $SLOW --conns 60 --threads 60 --requests 1"

# a crunch, then 24 reads of a pipe fed every 50 ms from outside; the variant overlaps them
mkfifo "$TMP/fifo"
pair crunch-reads "$W/spin 2 800 >/dev/null && $W/pipe_reader $TMP/fifo" \
	"$W/spin 2 800 >/dev/null & $W/pipe_reader $TMP/fifo; wait" \
	"($W/slow_writer $TMP/fifo 24 50 >/dev/null 2>&1 &); sleep 0.05"

exit $FAILED
