#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# What advisor costs, next to strace and perf trace. Prints figures and the
# goals of issue 6 beside them; asserts nothing about time (exit 0 unless
# the bench itself cannot run).
# Usage: tests/bench/bench.sh ADVISOR WORKLOADS_DIR
#
# Storms, each bare / advisor run -q / advisor run -q -S / strace -c -f /
# perf trace -s, BENCH_REPS repeats interleaved (each repeat runs every mode
# once, in a rotated order), medians:
#   getppid   WORKLOADS_DIR/getppid_storm, K getppid() calls
#   pingpong  tests/bench/storm.c, two processes bouncing a byte over pipes
#   connect   tests/bench/storm.c, short-lived loopback TCP connections
# Every storm times its own loop ("loop" figures: start-up and tear-down of
# the tool left out); "wall" is fork-to-reap of the whole command. strace
# and perf trace are ~100x slower, so they run fewer operations and are
# compared per operation.
#
# Environment (defaults in brackets):
#   BENCH_REPS [5]  BENCH_LONG [1] (0 skips the 60 s RSS run)
#   BENCH_GETPPID [3000000]  BENCH_PINGPONG [200000]  BENCH_CONNECT [5000]
#   BENCH_GETPPID_SLOW [40000]  BENCH_PINGPONG_SLOW [10000]
#   BENCH_CONNECT_SLOW [1000]   (counts under strace and perf trace)
#   BENCH_WAIT [90]  seconds, in all, the bench may wait for a quiet machine
#                    or re-run disturbed samples (see below); raise it on a
#                    busy machine for cleaner figures at the price of time
#   BENCH_CPU [last CPU]  the CPU every storm is pinned to (taskset), so that
#                    a ping-pong is always two switches on one CPU and never
#                    sometimes cross-CPU wake-ups; "none" leaves them free
#   BENCH_RAW [unset]  a directory to keep every sample in (one file a figure)
set -u

ADVISOR=${1:?usage: bench.sh ADVISOR WORKLOADS_DIR}
WORKLOADS=${2:?usage: bench.sh ADVISOR WORKLOADS_DIR}
REPS=${BENCH_REPS:-5}
LONG=${BENCH_LONG:-1}
N_GETPPID=${BENCH_GETPPID:-3000000}
N_PINGPONG=${BENCH_PINGPONG:-200000}
N_CONNECT=${BENCH_CONNECT:-5000}
S_GETPPID=${BENCH_GETPPID_SLOW:-40000}
S_PINGPONG=${BENCH_PINGPONG_SLOW:-10000}
S_CONNECT=${BENCH_CONNECT_SLOW:-1000}
CPU=${BENCH_CPU:-$(($(nproc) - 1))}

here=$(cd "$(dirname "$0")" && pwd)
ADVISOR=$(cd "$(dirname "$ADVISOR")" && pwd)/$(basename "$ADVISOR")
WORKLOADS=$(cd "$WORKLOADS" && pwd)
die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

[ -x "$ADVISOR" ] || die "advisor not found at $ADVISOR"
[ -x "$WORKLOADS/getppid_storm" ] || die "no $WORKLOADS/getppid_storm (make it first)"
[ "$(id -u)" -eq 0 ] || die "needs root (BPF)"

tmp=$(mktemp -d)
bgpid=
cleanup() {
	[ -n "$bgpid" ] && kill -TERM "$bgpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/data"
gcc -O2 -Wall -D_GNU_SOURCE "$here/storm.c" -o "$tmp/storm" || die "cannot build storm.c"
gcc -O2 -Wall "$here/walltime.c" -o "$tmp/walltime" || die "cannot build walltime.c"
STORM=$tmp/storm
WALLTIME=$tmp/walltime

# ---- the tools ---------------------------------------------------------------
MODES="bare adv advS strace perf"
declare -A LABEL=([bare]="bare" [adv]="advisor run" [advS]="advisor run -S"
	[strace]="strace -c -f" [perf]="perf trace -s")
STRACE=$(command -v strace)
PERF=$(command -v perf || ls /usr/bin/perf_* 2>/dev/null | head -1)
declare -A SKIP=()
if [ -z "$STRACE" ]; then
	SKIP[strace]="strace not installed"
fi
if [ -z "$PERF" ]; then
	SKIP[perf]="perf not installed"
elif ! "$PERF" trace -s -o /dev/null -- true >"$tmp/perf.log" 2>&1; then
	SKIP[perf]="perf trace fails here: $(grep -v '^$' "$tmp/perf.log" | head -1)"
fi
for m in strace perf; do
	[ -n "${SKIP[$m]:-}" ] && echo "bench: skipping ${LABEL[$m]}: ${SKIP[$m]}"
done

# prefix MODE: sets PFX to the command words that go before the workload
prefix() {
	case $1 in
	bare) PFX=() ;;
	adv) PFX=("$ADVISOR" run -q --) ;;
	advS) PFX=("$ADVISOR" run -q -S --) ;;
	strace) PFX=("$STRACE" -c -f -o /dev/null --) ;;
	perf) PFX=("$PERF" trace -s -o /dev/null --) ;;
	esac
}

# ---- recording and medians ------------------------------------------------------
rec() { echo "$2" >>"$tmp/data/$1"; }
median() {
	[ -s "$tmp/data/$1" ] || { echo NA; return; }
	sort -g "$tmp/data/$1" | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# spread KEY: half the range of the samples, in per cent of their median
spread() {
	[ -s "$tmp/data/$1" ] || { echo NA; return; }
	sort -g "$tmp/data/$1" | awk '{ v[NR] = $1 }
		END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      print (m > 0) ? 50 * (v[NR] - v[1]) / m : 0 }'
}
# calc EXPR: awk arithmetic, NA when any operand is NA
calc() {
	case "$*" in *NA*) echo NA; return ;; esac
	awk "BEGIN { printf \"%s\", $* }"
}
fmt() { # fmt PRINTF_FORMAT VALUE
	if [ "$2" = NA ]; then printf "%s" NA; else printf "$1" "$2"; fi
}

# This box may be shared, and on a 2-vCPU VM a busy neighbour CPU slows a
# storm by 25 % even in its own CPU time. Before each sample, wait until no
# other advisor runs (its probes tax every process) and the CPUs are idle;
# after it, compare the CPU time the whole machine spent during the sample
# with what the command itself used (walltime's rusage): when something else
# took more than a tenth of the sample's length, run it again (up to 3
# times). Both draw on one budget, BENCH_WAIT seconds for the whole bench;
# samples kept although not clean once it is spent are counted and
# reported. On a busy machine, a larger BENCH_WAIT gives cleaner figures.
WAIT_LEFT=$((${BENCH_WAIT:-90} * 1000)) # ms
TICK_NS=$((1000000000 / $(getconf CLK_TCK)))
NCPU=$(nproc)
samples=0
noisy=0
retried=0
foreign_advisors() { # foreign_advisors [OUR_PID]: how many advisors we did not start
	local p n=0
	for p in $(pgrep -x advisor 2>/dev/null); do
		[ "$p" = "${1:-}" ] || n=$((n + 1))
	done
	echo $n
}
busy_ns() { # CPU time the machine has spent busy since boot (all CPUs, incl. steal)
	head -1 /proc/stat | awk -v t="$TICK_NS" '{ printf "%.0f", ($2 + $3 + $4 + $7 + $8 + $9) * t }'
}
cpu_busy() { # per cent of all CPUs busy over 0.1 s
	local a b
	a=$(busy_ns)
	sleep 0.1
	b=$(busy_ns)
	echo $(((b - a) / 1000000 / NCPU))
}
wait_quiet() { # wait_quiet [OUR_PID]: fails when the budget is spent
	while :; do
		[ "$(foreign_advisors "${1:-}")" -eq 0 ] && [ "$(cpu_busy)" -le 10 ] && return 0
		[ "$WAIT_LEFT" -le 0 ] && return 1
		WAIT_LEFT=$((WAIT_LEFT - 200))
		sleep 0.1
	done
}

# measure KEY MODE CMD...: one sample; records KEY.wall, KEY.loop (ns),
# KEY.ops and KEY.switches when the workload prints them, KEY.cpu (the
# storm's own user + system time) when it runs under the inner walltime
measure() {
	local key=$1 mode=$2 try b0 b1 wall cpu other clean
	shift 2
	prefix "$mode"
	samples=$((samples + 1))
	for try in 1 2 3; do
		clean=1
		wait_quiet "${bgpid:-}" || clean=0
		rm -f "$tmp/inner"
		b0=$(busy_ns)
		if ! "$WALLTIME" "$tmp/w" "${PFX[@]}" "$@" >"$tmp/out" 2>"$tmp/err"; then
			note "$key: '${PFX[*]} $*' failed: $(tail -2 "$tmp/err" | tr '\n' ' ')"
			return 1
		fi
		b1=$(busy_ns)
		read -r wall _ _ cpu <"$tmp/w"
		other=$((b1 - b0 - cpu))
		# rusage and /proc/stat disagree by a few ticks: allow 3 a CPU. Under
		# strace and perf trace they disagree by far more (tracer and tracee
		# hand the CPU to and fro; perf's kernel side): trust wait_quiet there
		case $mode in
		strace | perf) ;;
		*) [ "$other" -gt $((wall / 10 + 3 * TICK_NS * NCPU)) ] && clean=0 ;;
		esac
		[ $clean = 1 ] && break
		[ "$WAIT_LEFT" -le 0 ] && break
		[ $try -lt 3 ] && retried=$((retried + 1))
		WAIT_LEFT=$((WAIT_LEFT - wall / 1000000))
	done
	[ $clean = 0 ] && noisy=$((noisy + 1))
	rec "$key.wall" "$wall"
	rec "$key.other" "$other"
	if [ -s "$tmp/inner" ]; then
		read -r _ _ _ cpu <"$tmp/inner"
		rec "$key.cpu" "$cpu"
	fi
	awk '$1 == "truth" { $1 = ""; $0 = $0 }
		$1 == "elapsed_ns" { print "loop", $2 } $1 == "getppid_calls" || $1 == "ops" { print "ops", $2 }
		$1 == "switches" { print "switches", $2 }' "$tmp/out" |
		while read -r what v; do rec "$key.$what" "$v"; done
}

# every storm runs as walltime (its own CPU time: advisor's or a tracer's
# is not in it) -> taskset -> the storm
INNER=("$WALLTIME" "$tmp/inner")
if [ "$CPU" != none ]; then
	command -v taskset >/dev/null || die "no taskset (util-linux); set BENCH_CPU=none"
	INNER+=(taskset -c "$CPU")
fi
storm_cmd() { # storm_cmd STORM MODE: sets CMD
	local slow=0
	case $2 in strace | perf) slow=1 ;; esac
	case $1 in
	getppid) CMD=("${INNER[@]}" "$WORKLOADS/getppid_storm" "$([ $slow = 1 ] && echo "$S_GETPPID" || echo "$N_GETPPID")") ;;
	pingpong) CMD=("${INNER[@]}" "$STORM" pingpong "$([ $slow = 1 ] && echo "$S_PINGPONG" || echo "$N_PINGPONG")") ;;
	connect) CMD=("${INNER[@]}" "$STORM" connect "$([ $slow = 1 ] && echo "$S_CONNECT" || echo "$N_CONNECT")") ;;
	esac
}

# start_bg FLAGS...: advisor run FLAGS -- sleep in the background, returns
# once the target has been exec'd (every probe attached)
start_bg() {
	local child i
	"$ADVISOR" run -q "$@" -- sleep 600 >/dev/null 2>>"$tmp/bg.log" &
	bgpid=$!
	for i in $(seq 200); do
		for child in $(cat /proc/$bgpid/task/*/children 2>/dev/null); do
			[ "$(cat /proc/$child/comm 2>/dev/null)" = sleep ] && return 0
		done
		kill -0 "$bgpid" 2>/dev/null || break
		sleep 0.05
	done
	note "background advisor did not start its target: $(tail -1 "$tmp/bg.log")"
	stop_bg
	return 1
}
stop_bg() {
	[ -n "$bgpid" ] || return
	kill -TERM "$bgpid" 2>/dev/null
	wait "$bgpid" 2>/dev/null
	bgpid=
}

# rotate LIST... by $rep: each repeat starts with a different mode
rotate() {
	local -a a=("$@")
	local n=${#a[@]} i
	for ((i = 0; i < n; i++)); do echo "${a[$(((i + rep) % n))]}"; done
}

t_start=$(date +%s)
echo "advisor bench: $(nproc) CPUs, kernel $(uname -r), $REPS repeats (medians), $(date -u +%FT%TZ)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg);" \
	"storms pinned to CPU $CPU (BENCH_CPU)"

# ---- 1. the storms under each tool --------------------------------------------
for ((rep = 0; rep < REPS; rep++)); do
	echo "repeat $((rep + 1))/$REPS: storms ($(($(date +%s) - t_start)) s)"
	for storm in getppid pingpong connect; do
		for mode in $(rotate $MODES); do
			[ -n "${SKIP[$mode]:-}" ] && continue
			storm_cmd "$storm" "$mode"
			measure "$storm.$mode" "$mode" "${CMD[@]}"
		done
	done
done

# ---- 2. an unrelated process while advisor profiles something else --------------
for ((rep = 0; rep < REPS; rep++)); do
	echo "repeat $((rep + 1))/$REPS: unrelated process ($(($(date +%s) - t_start)) s)"
	for bg in $(rotate none adv advS); do
		case $bg in
		adv) start_bg || continue ;;
		advS) start_bg -S || continue ;;
		esac
		storm_cmd getppid bare
		measure "un.getppid.$bg" bare "${CMD[@]}"
		storm_cmd pingpong bare
		measure "un.pingpong.$bg" bare "${CMD[@]}"
		stop_bg
	done
done

# ---- 3. start-up: advisor run -- true --------------------------------------------
echo "start-up: 10 x advisor run -- true ($(($(date +%s) - t_start)) s)"
for ((rep = 0; rep < 10; rep++)); do
	for mode in $(rotate bare adv advS); do
		measure "true.$mode" "$mode" true
	done
done

# ---- 4. advisor's peak RSS ---------------------------------------------------------
# rss_run SECONDS: advisor run -q -- sleep SECONDS under walltime. Records
# ru_maxrss at exit (advisor's peak, or its target's if larger), and
# advisor's own VmRSS and VmHWM polled every 0.5 s: the first sample after
# 1 s and the last one before it exits
rss_run() {
	local secs=$1 wt adv='' i v first='' last='' hwm=''
	"$WALLTIME" "$tmp/rss.$secs" "$ADVISOR" run -q -- sleep "$secs" >/dev/null 2>"$tmp/rss.err" &
	wt=$!
	for i in $(seq 100); do
		adv=$(cat /proc/$wt/task/$wt/children 2>/dev/null | awk '{ print $1 }')
		[ -n "$adv" ] && break
		sleep 0.01
	done
	sleep 1
	while [ -n "$adv" ] && v=$(awk '$1 == "VmRSS:" { r = $2 } $1 == "VmHWM:" { h = $2 }
			END { if (r != "") print r, h }' /proc/$adv/status 2>/dev/null) && [ -n "$v" ]; do
		[ -z "$first" ] && first=${v% *}
		last=${v% *}
		hwm=${v#* }
		sleep 0.5
	done
	wait "$wt"
	rec "rss.$secs.peak" "$(cut -d' ' -f2 "$tmp/rss.$secs")"
	rec "rss.$secs.first" "${first:-NA}"
	rec "rss.$secs.last" "${last:-NA}"
	rec "rss.$secs.hwm" "${hwm:-NA}"
}
echo "peak RSS: advisor run -- sleep 5 ($(($(date +%s) - t_start)) s)"
rss_run 5
if [ "$LONG" != 0 ]; then
	echo "peak RSS: advisor run -- sleep 60 ($(($(date +%s) - t_start)) s)"
	rss_run 60
fi
t_total=$(($(date +%s) - t_start))
if [ -n "${BENCH_RAW:-}" ]; then
	mkdir -p "$BENCH_RAW" && cp "$tmp"/data/* "$BENCH_RAW"/
fi

# ---- results ------------------------------------------------------------------------
echo
echo "==== results: medians of $REPS repeats"
echo "  loop: the storm's own timed loop (wall clock; the tool's start-up and exit left out);"
echo "  spread: half the range of the repeats, around the median; ratio and +ns from the loop;"
echo "  cpu: the storm's own user+system time per op, as a ratio to bare (the cross-check: no"
echo "  start-up, no time of other processes; not shown for strace and perf, whose cost is in"
echo "  the tracer);"
echo "  wall: the whole command, fork to reap (start-up included), per op, as a ratio to bare"
declare -A RATIO ADDED CRATIO CADDED
for storm in getppid pingpong connect; do
	case $storm in
	getppid) unit="call"; what="getppid() storm" ;;
	pingpong) unit="round trip"; what="pipe ping-pong" ;;
	connect) unit="connection"; what="loopback connect/accept storm" ;;
	esac
	echo
	echo "$what"
	printf "  %-16s %8s %7s %16s %7s %7s %13s %9s %7s %7s\n" mode ops "wall s" "loop ns/$unit" spread \
		ratio "+ns/$unit" "cpu ns" "cpu" "wall"
	b_loop=$(median "$storm.bare.loop")
	b_ops=$(median "$storm.bare.ops")
	b_wall=$(median "$storm.bare.wall")
	b_per=$(calc "$b_loop / $b_ops")
	b_wper=$(calc "$b_wall / $b_ops")
	b_cper=$(calc "$(median "$storm.bare.cpu") / $b_ops")
	for mode in $MODES; do
		if [ -n "${SKIP[$mode]:-}" ]; then
			printf "  %-16s skipped: %s\n" "${LABEL[$mode]}" "${SKIP[$mode]}"
			continue
		fi
		ops=$(median "$storm.$mode.ops")
		wall=$(median "$storm.$mode.wall")
		per=$(calc "$(median "$storm.$mode.loop") / $ops")
		RATIO[$storm.$mode]=$(calc "$per / $b_per")
		ADDED[$storm.$mode]=$(calc "$per - $b_per")
		cper=- cratio=-
		case $mode in
		strace | perf) ;; # their cost is in the tracer, not in the storm's CPU time
		*)
			cper=$(calc "$(median "$storm.$mode.cpu") / $ops")
			CRATIO[$storm.$mode]=$(calc "$cper / $b_cper")
			cratio=$(fmt %.2fx "${CRATIO[$storm.$mode]}")
			cper=$(fmt %.0f "$cper")
			;;
		esac
		printf "  %-16s %8s %7s %16s %7s%% %7s %13s %9s %7s %7s\n" "${LABEL[$mode]}" "$ops" \
			"$(fmt %.3f "$(calc "$wall / 1e9")")" "$(fmt %.0f "$per")" \
			"$(fmt "±%.0f" "$(spread "$storm.$mode.loop")")" \
			"$(fmt %.2fx "${RATIO[$storm.$mode]}")" "$(fmt %+.0f "${ADDED[$storm.$mode]}")" \
			"$cper" "$cratio" "$(fmt %.2fx "$(calc "($wall / $ops) / $b_wper")")"
	done
done
pp_sw=$(calc "$(median pingpong.bare.switches) / $(median pingpong.bare.ops)")
echo
echo "  ping-pong bare: $(fmt %.2f "$pp_sw") context switches per round trip (both processes, getrusage)"

echo
echo "unrelated process (run bare while 'advisor run -q [-S] -- sleep' runs beside it;"
echo "  cpu = the same from the storm's own user+system time)"
printf "  %-16s %11s %9s %9s %14s %8s %8s\n" "beside" "getppid ns" "+ns/call" "cpu +ns" \
	"ping-pong ns/rt" "+ns/rt" "cpu +ns"
per_op() { calc "$(median "$1.$2") / $(median "$1.ops")"; } # per_op KEY loop|cpu
for bg in none adv advS; do
	case $bg in none) l="nothing" ;; adv) l="advisor run" ;; advS) l="advisor run -S" ;; esac
	for w in getppid pingpong; do
		ADDED[un.$w.$bg]=$(calc "$(per_op un.$w.$bg loop) - $(per_op un.$w.none loop)")
		CADDED[un.$w.$bg]=$(calc "$(per_op un.$w.$bg cpu) - $(per_op un.$w.none cpu)")
	done
	printf "  %-16s %11s %9s %9s %14s %8s %8s\n" "$l" "$(fmt %.1f "$(per_op un.getppid.$bg loop)")" \
		"$(fmt %+.1f "${ADDED[un.getppid.$bg]}")" "$(fmt %+.1f "${CADDED[un.getppid.$bg]}")" \
		"$(fmt %.0f "$(per_op un.pingpong.$bg loop)")" "$(fmt %+.0f "${ADDED[un.pingpong.$bg]}")" \
		"$(fmt %+.0f "${CADDED[un.pingpong.$bg]}")"
done

echo
echo "start-up (median of 10, fork to reap)"
t_bare=$(calc "$(median true.bare.wall) / 1e6")
t_adv=$(calc "$(median true.adv.wall) / 1e6")
t_advS=$(calc "$(median true.advS.wall) / 1e6")
echo "  true: $(fmt %.1f "$t_bare") ms; advisor run -q -- true: $(fmt %.1f "$t_adv") ms;" \
	"advisor run -q -S -- true: $(fmt %.1f "$t_advS") ms"

echo
echo "advisor RSS (kB): peak = ru_maxrss at exit; VmHWM and VmRSS polled every 0.5 s from 1 s on"
for secs in 5 60; do
	[ "$secs" = 60 ] && [ "$LONG" = 0 ] && { echo "  sleep 60: skipped (BENCH_LONG=0)"; continue; }
	echo "  sleep $secs: peak $(median rss.$secs.peak), VmHWM $(median rss.$secs.hwm)," \
		"VmRSS $(median rss.$secs.first) at 1 s -> $(median rss.$secs.last) at the end"
done

# ---- summary against the goals of issue 6 ------------------------------------------
met() { # met VALUE AWK_CONDITION_ON_v
	[ "$1" = NA ] && { echo "?"; return; }
	awk -v v="$1" "BEGIN { print ($2) ? \"yes\" : \"NO\" }"
}
echo
echo "==== summary vs the goals of issue 6 (loop = wall clock of the storm's own loop; cpu = its"
echo "     own CPU time, the cross-check; 'met' is judged on the loop figure)"
row() { printf "  %-40s %15s %9s   %-24s %s\n" "$@"; }
row figure "loop" "cpu" goal met
for storm in getppid pingpong connect; do
	case $storm in
	getppid) l="getppid storm"; g_adv="<= 1.05x"; c_adv="v <= 1.05" ;;
	pingpong) l="ping-pong"; g_adv="<= 1.15x"; c_adv="v <= 1.15" ;;
	connect) l="connect storm"; g_adv="(no goal set)"; c_adv="" ;;
	esac
	r=${RATIO[$storm.adv]:-NA}
	row "$l, advisor run" "$(fmt %.3fx "$r")" "$(fmt %.3fx "${CRATIO[$storm.adv]:-NA}")" "$g_adv" \
		"$([ -n "$c_adv" ] && met "$r" "$c_adv" || echo -)"
	r=${RATIO[$storm.advS]:-NA}
	row "$l, advisor run -S" "$(fmt %.3fx "$r")" "$(fmt %.3fx "${CRATIO[$storm.advS]:-NA}")" "<= 2.0x" \
		"$(met "$r" "v <= 2.0")"
	for m in strace perf; do
		[ -n "${SKIP[$m]:-}" ] && { row "$l, ${LABEL[$m]}" skipped - "(comparison)" -; continue; }
		row "$l, ${LABEL[$m]}" "$(fmt %.0fx "${RATIO[$storm.$m]:-NA}")" - "(comparison)" -
	done
done
cadd() { calc "($(median "$1.$2.cpu") - $(median "$1.bare.cpu")) / $(median "$1.bare.ops")"; }
row "+ns/getppid, traced, advisor run" "$(fmt %+.1f "${ADDED[getppid.adv]:-NA}")" \
	"$(fmt %+.1f "$(cadd getppid adv)")" "~ +0 (KERNEL.md: +10)" -
row "+ns/getppid, traced, advisor run -S" "$(fmt %+.1f "${ADDED[getppid.advS]:-NA}")" \
	"$(fmt %+.1f "$(cadd getppid advS)")" "(floor ~ +130)" -
row "+ns/round trip, traced, advisor run" "$(fmt %+.0f "${ADDED[pingpong.adv]:-NA}")" \
	"$(fmt %+.0f "$(cadd pingpong adv)")" "(1.15x of bare)" -
row "+ns/context switch, traced, advisor run" \
	"$(fmt %+.0f "$(calc "${ADDED[pingpong.adv]:-NA} / $pp_sw")")" \
	"$(fmt %+.0f "$(calc "$(cadd pingpong adv) / $pp_sw")")" "(per switch, getrusage)" -
row "+ns/getppid, unrelated, advisor run" "$(fmt %+.1f "${ADDED[un.getppid.adv]:-NA}")" \
	"$(fmt %+.1f "${CADDED[un.getppid.adv]:-NA}")" "~ +0 (|d| <= 10 ns)" \
	"$(met "${ADDED[un.getppid.adv]:-NA}" "v <= 10 && v >= -10")"
row "+ns/getppid, unrelated, advisor run -S" "$(fmt %+.1f "${ADDED[un.getppid.advS]:-NA}")" \
	"$(fmt %+.1f "${CADDED[un.getppid.advS]:-NA}")" "(documented ~ +130)" -
row "+ns/round trip, unrelated, advisor run" "$(fmt %+.0f "${ADDED[un.pingpong.adv]:-NA}")" \
	"$(fmt %+.0f "${CADDED[un.pingpong.adv]:-NA}")" "(no goal set)" -
row "+ns/round trip, unrelated, advisor run -S" "$(fmt %+.0f "${ADDED[un.pingpong.advS]:-NA}")" \
	"$(fmt %+.0f "${CADDED[un.pingpong.advS]:-NA}")" "(no goal set)" -
row "advisor run -q -- true" "$(fmt "%.1f ms" "$t_adv")" - "<= 100 ms" "$(met "$t_adv" "v <= 100")"
row "advisor run -q -S -- true" "$(fmt "%.1f ms" "$t_advS")" - "(no goal set)" -
p5=$(median rss.5.peak)
if [ "$LONG" != 0 ]; then
	p60=$(median rss.60.peak)
	row "peak RSS kB, 5 s run -> 60 s run" "$p5 -> $p60" - "flat (<= +1 MiB)" \
		"$(met "$(calc "$p60 - $p5")" "v <= 1024")"
	r1=$(median rss.60.first) r2=$(median rss.60.last)
	row "VmRSS kB of the 60 s run, 1 s -> end" "$r1 -> $r2" - "flat (<= +1 MiB)" \
		"$(met "$(calc "$r2 - $r1")" "v <= 1024")"
else
	row "peak RSS kB, 5 s run" "$p5" - "flat (60 s run skipped)" -
fi
echo
echo "bench took $t_total s; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "samples: $samples; re-run because something else used the CPUs meanwhile: $retried;" \
	"kept although not clean (BENCH_WAIT=${BENCH_WAIT:-90} s budget spent): $noisy"
if [ $((noisy * 10)) -gt "$samples" ]; then
	echo "warning: other load disturbed these figures; for clean ones run again on a quiet"
	echo "         machine, or with a larger BENCH_WAIT (e.g. 900)"
fi
exit 0
