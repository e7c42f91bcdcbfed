#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# What advisor costs, next to strace and perf trace. Prints the figures, then
# a summary of the cost goals beside them, each met or NOT met as judged on
# the loop figure (the goals of --stacks marked as opt-in ones: it is off by
# default), and strace and perf trace for comparison. Asserts nothing about
# time (exit 0 unless the bench itself cannot run).
# Usage: tests/bench/bench.sh ADVISOR WORKLOADS_DIR
#
# Storms, each bare / advisor run -q / advisor run -q --stacks / advisor run
# -q -S / strace -c -f / perf trace -s, BENCH_REPS repeats interleaved (each
# repeat runs every mode once, in a rotated order), medians:
#   getppid   WORKLOADS_DIR/getppid_storm, K getppid() calls
#   pingpong  tests/bench/storm.c, two processes bouncing a byte over pipes
#   connect   tests/bench/storm.c, short-lived loopback TCP connections
# Every storm times its own loop ("loop" figures: start-up and tear-down of
# the tool left out); "wall" is fork-to-reap of the whole command. strace
# and perf trace are ~100x slower, so they run fewer operations and are
# compared per operation.
# Then: a storm run bare while advisor run -q [--stacks | -S] -- sleep
# profiles something else (what everyone else on the machine pays), and
# while empty programs sit on the same hooks (tests/bench/floor.bpf.c: the
# kernel's own price for running a program there, the floor); start-up
# (advisor run -q -- true); advisor's peak RSS over a 5 s run and a long one.
#
# Environment (defaults in brackets):
#   BENCH_REPS [5]  BENCH_LONG [1] (0 skips the long RSS run)
#   BENCH_LONG_SECS [600]  the long RSS run's length in seconds (the goal:
#                    flat over 10 minutes; a shorter run is judged, and says so)
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
LONG_SECS=${BENCH_LONG_SECS:-600}
LONG_GOAL=600 # s: peak RSS flat over 10 minutes
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
case $REPS in '' | *[!0-9]* | 0) die "BENCH_REPS must be a positive integer, not '$REPS'" ;; esac
case $LONG_SECS in '' | *[!0-9]* | 0) die "BENCH_LONG_SECS must be a positive integer, not '$LONG_SECS'" ;; esac

tmp=$(mktemp -d)
bgpid=
# shellcheck disable=SC2317 # called by the EXIT trap
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
# the floor: empty programs on advisor's hooks (floor.bpf.c), loaded by floor.c
FLOOR=
VMLINUX_H=$(dirname "$WORKLOADS")/vmlinux.h
if [ -s "$VMLINUX_H" ] &&
	clang -O2 -g -target bpf -I"$(dirname "$VMLINUX_H")" -c "$here/floor.bpf.c" \
		-o "$tmp/floor.bpf.o" 2>"$tmp/floor.log" &&
	gcc -O2 -Wall "$here/floor.c" -o "$tmp/floor" -lbpf 2>>"$tmp/floor.log"; then
	FLOOR=$tmp/floor
fi

# ---- the tools ---------------------------------------------------------------
MODES=(bare adv advK advS strace perf)
declare -A LABEL=([bare]="bare" [adv]="advisor run" [advK]="advisor run --stacks"
	[advS]="advisor run -S" [strace]="strace -c -f" [perf]="perf trace -s"
	[floorD]="empty programs on the default hooks" [floorS]="empty programs on -S's hooks"
	[floorT]="empty programs on the default hooks, loaded around the command")
STRACE=$(command -v strace)
PERF=$(command -v perf)
if [ -z "$PERF" ]; then # Debian's versioned perf_X.Y, when no perf wrapper
	for f in /usr/bin/perf_*; do [ -x "$f" ] && { PERF=$f; break; }; done
fi
declare -A SKIP=()
if [ -z "$STRACE" ]; then
	SKIP[strace]="strace not installed"
fi
if [ -z "$PERF" ]; then
	SKIP[perf]="perf not installed"
elif ! "$PERF" trace -s -o /dev/null -- true >"$tmp/perf.log" 2>&1; then
	SKIP[perf]="perf trace fails here: $(grep -v '^$' "$tmp/perf.log" | head -1)"
fi
"$ADVISOR" run -q -- true >/dev/null 2>"$tmp/adv.log" ||
	die "advisor run -q -- true fails: $(grep -v '^$' "$tmp/adv.log" | tail -1)"
if ! "$ADVISOR" run -q --stacks -- true >/dev/null 2>"$tmp/adv.log"; then
	SKIP[advK]="advisor run --stacks fails here: $(grep -v '^$' "$tmp/adv.log" | tail -1)"
fi
if ! "$ADVISOR" run -q -S -- true >/dev/null 2>"$tmp/adv.log"; then
	SKIP[advS]="advisor run -S fails here: $(grep -v '^$' "$tmp/adv.log" | tail -1)"
fi
if [ -z "$FLOOR" ]; then
	SKIP[floorD]="cannot build tests/bench/floor.c: $(head -1 "$tmp/floor.log")"
	SKIP[floorS]=${SKIP[floorD]}
	SKIP[floorT]=${SKIP[floorD]}
fi
for m in advK advS strace perf floorD; do
	[ -n "${SKIP[$m]:-}" ] && echo "bench: skipping ${LABEL[$m]}: ${SKIP[$m]}"
done

# prefix MODE: sets PFX to the command words that go before the workload
prefix() {
	case $1 in
	bare) PFX=() ;;
	adv) PFX=("$ADVISOR" run -q --) ;;
	advK) PFX=("$ADVISOR" run -q --stacks --) ;;
	advS) PFX=("$ADVISOR" run -q -S --) ;;
	strace) PFX=("$STRACE" -c -f -o /dev/null --) ;;
	perf) PFX=("$PERF" trace -s -o /dev/null --) ;;
	floorT) PFX=("$FLOOR" "$tmp/floor.bpf.o" sched --) ;;
	esac
}

# ---- recording and medians ------------------------------------------------------
# rec KEY VALUE: keeps a sample; an empty or non-numeric one (NA) is left out
rec() {
	case $2 in '' | *[!0-9.eE+-]*) return ;; esac
	echo "$2" >>"$tmp/data/$1"
}
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
# calc EXPR: awk arithmetic; NA when an operand is NA, or the result is not a
# number (a division by zero: mawk prints inf or nan; an empty operand)
calc() {
	local v
	case "$*" in *NA*) echo NA; return ;; esac
	v=$(awk "BEGIN { printf \"%s\", $* }" 2>/dev/null) || v=NA
	case $v in '' | *[!0-9.eE+-]*) v=NA ;; esac
	echo "$v"
}
# shellcheck disable=SC2059 # the format is the argument
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
	local key=$1 mode=$2 try b0 b1 wall maxrss cpu other clean
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
		read -r wall maxrss _ cpu <"$tmp/w"
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
	rec "$key.maxrss" "$maxrss"
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
	local child children i
	"$ADVISOR" run -q "$@" -- sleep 600 >/dev/null 2>>"$tmp/bg.log" &
	bgpid=$!
	for i in $(seq 200); do
		children=$(cat "/proc/$bgpid"/task/*/children 2>/dev/null)
		for child in $children; do
			[ "$(cat "/proc/$child/comm" 2>/dev/null)" = sleep ] && return 0
		done
		kill -0 "$bgpid" 2>/dev/null || break
		sleep 0.05
	done
	note "background advisor did not start its target: $(tail -1 "$tmp/bg.log")"
	stop_bg
	return 1
}
# start_floor SET: the empty programs of SET (sched | syscalls) in the background
start_floor() {
	"$FLOOR" "$tmp/floor.bpf.o" "$1" >"$tmp/floor.out" 2>>"$tmp/bg.log" &
	bgpid=$!
	for _ in $(seq 200); do
		grep -q ready "$tmp/floor.out" 2>/dev/null && return 0
		kill -0 "$bgpid" 2>/dev/null || break
		sleep 0.05
	done
	note "the empty programs did not load: $(tail -1 "$tmp/bg.log")"
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
		for mode in $(rotate "${MODES[@]}"); do
			[ -n "${SKIP[$mode]:-}" ] && continue
			storm_cmd "$storm" "$mode"
			measure "$storm.$mode" "$mode" "${CMD[@]}"
		done
	done
done

# ---- 2. an unrelated process while advisor profiles something else --------------
for ((rep = 0; rep < REPS; rep++)); do
	echo "repeat $((rep + 1))/$REPS: unrelated process ($(($(date +%s) - t_start)) s)"
	for bg in $(rotate none adv advK advS floorD floorS); do
		[ -n "${SKIP[$bg]:-}" ] && continue
		case $bg in
		adv) start_bg || continue ;;
		advK) start_bg --stacks || continue ;;
		advS) start_bg -S || continue ;;
		floorD) start_floor sched || continue ;;
		floorS) start_floor syscalls || continue ;;
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
	for mode in $(rotate bare adv advK advS floorT); do
		[ -n "${SKIP[$mode]:-}" ] && continue
		measure "true.$mode" "$mode" true
	done
done

# ---- 4. advisor's peak RSS ---------------------------------------------------------
# rss_run KEY SECONDS [FLAGS...]: advisor run -q FLAGS -- sleep SECONDS under
# walltime. Records KEY.peak, ru_maxrss at exit (advisor's peak, or its
# target's if larger), and advisor's own VmRSS and VmHWM polled every 0.5 s:
# KEY.first the first sample after 1 s, KEY.mid the first one past half the
# run, KEY.last the last one before it exits, KEY.hwm the last VmHWM
rss_run() {
	local key=$1 secs=$2 wt adv='' i v first='' mid='' last='' hwm='' t0
	shift 2
	rm -f "$tmp/rss.$key"
	"$WALLTIME" "$tmp/rss.$key" "$ADVISOR" run -q "$@" -- sleep "$secs" >/dev/null 2>"$tmp/rss.err" &
	wt=$!
	t0=$SECONDS
	for i in $(seq 100); do
		adv=$(awk '{ print $1 }' "/proc/$wt/task/$wt/children" 2>/dev/null)
		[ -n "$adv" ] && break
		sleep 0.01
	done
	sleep 1
	while [ -n "$adv" ] && v=$(awk '$1 == "VmRSS:" { r = $2 } $1 == "VmHWM:" { h = $2 }
			END { if (r != "") print r, h }' "/proc/$adv/status" 2>/dev/null) && [ -n "$v" ]; do
		[ -z "$first" ] && first=${v% *}
		[ -z "$mid" ] && [ $((2 * (SECONDS - t0))) -ge "$secs" ] && mid=${v% *}
		last=${v% *}
		hwm=${v#* }
		sleep 0.5
	done
	wait "$wt" || note "rss: advisor run -q $* -- sleep $secs failed: $(tail -1 "$tmp/rss.err")"
	[ -s "$tmp/rss.$key" ] && rec "rss.$key.peak" "$(cut -d' ' -f2 "$tmp/rss.$key")"
	rec "rss.$key.first" "$first"
	rec "rss.$key.mid" "$mid"
	rec "rss.$key.last" "$last"
	rec "rss.$key.hwm" "$hwm"
}
echo "peak RSS: advisor run -- sleep 5 ($(($(date +%s) - t_start)) s)"
rss_run short 5
if [ -z "${SKIP[advK]:-}" ]; then
	echo "peak RSS: advisor run --stacks -- sleep 5 ($(($(date +%s) - t_start)) s)"
	rss_run stacks 5 --stacks
fi
if [ "$LONG" != 0 ]; then
	echo "peak RSS: advisor run -- sleep $LONG_SECS ($(($(date +%s) - t_start)) s)"
	rss_run long "$LONG_SECS"
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
	printf "  %-20s %8s %7s %16s %7s %7s %13s %9s %7s %7s\n" mode ops "wall s" "loop ns/$unit" spread \
		ratio "+ns/$unit" "cpu ns" "cpu" "wall"
	b_loop=$(median "$storm.bare.loop")
	b_ops=$(median "$storm.bare.ops")
	b_wall=$(median "$storm.bare.wall")
	b_per=$(calc "$b_loop / $b_ops")
	b_wper=$(calc "$b_wall / $b_ops")
	b_cper=$(calc "$(median "$storm.bare.cpu") / $b_ops")
	for mode in "${MODES[@]}"; do
		if [ -n "${SKIP[$mode]:-}" ]; then
			printf "  %-20s skipped: %s\n" "${LABEL[$mode]}" "${SKIP[$mode]}"
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
		printf "  %-20s %8s %7s %16s %7s%% %7s %13s %9s %7s %7s\n" "${LABEL[$mode]}" "$ops" \
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
echo "unrelated process (run bare while 'advisor run -q [--stacks | -S] -- sleep' runs beside"
echo "  it, or empty programs sit on the same hooks: the floor; cpu = the same from the storm's"
echo "  own user+system time)"
printf "  %-20s %11s %9s %9s %14s %8s %8s\n" "beside" "getppid ns" "+ns/call" "cpu +ns" \
	"ping-pong ns/rt" "+ns/rt" "cpu +ns"
per_op() { calc "$(median "$1.$2") / $(median "$1.ops")"; } # per_op KEY loop|cpu
for bg in none adv advK advS floorD floorS; do
	case $bg in none) l="nothing" ;; floorD) l="empty, default" ;; floorS) l="empty, -S" ;;
	*) l=${LABEL[$bg]} ;; esac
	if [ -n "${SKIP[$bg]:-}" ]; then
		printf "  %-20s skipped: %s\n" "$l" "${SKIP[$bg]}"
		continue
	fi
	for w in getppid pingpong; do
		ADDED[un.$w.$bg]=$(calc "$(per_op "un.$w.$bg" loop) - $(per_op "un.$w.none" loop)")
		CADDED[un.$w.$bg]=$(calc "$(per_op "un.$w.$bg" cpu) - $(per_op "un.$w.none" cpu)")
	done
	printf "  %-20s %11s %9s %9s %14s %8s %8s\n" "$l" "$(fmt %.1f "$(per_op "un.getppid.$bg" loop)")" \
		"$(fmt %+.1f "${ADDED[un.getppid.$bg]}")" "$(fmt %+.1f "${CADDED[un.getppid.$bg]}")" \
		"$(fmt %.0f "$(per_op "un.pingpong.$bg" loop)")" "$(fmt %+.0f "${ADDED[un.pingpong.$bg]}")" \
		"$(fmt %+.0f "${CADDED[un.pingpong.$bg]}")"
done

echo
echo "start-up (median of 10, fork to reap)"
declare -A T_TRUE
for mode in bare adv advK advS floorT; do
	T_TRUE[$mode]=$(calc "$(median "true.$mode.wall") / 1e6")
done
echo "  true: $(fmt %.1f "${T_TRUE[bare]}") ms; advisor run -q -- true: $(fmt %.1f "${T_TRUE[adv]}") ms;" \
	"advisor run -q --stacks -- true: $(fmt %.1f "${T_TRUE[advK]}") ms;" \
	"advisor run -q -S -- true: $(fmt %.1f "${T_TRUE[advS]}") ms"
if [ -z "${SKIP[floorT]:-}" ]; then
	echo "  the floor, libbpf loading the default hooks' empty programs around true" \
		"(tests/bench/floor.c): $(fmt %.1f "${T_TRUE[floorT]}") ms, peak RSS" \
		"$(median true.floorT.maxrss) kB (advisor run -q -- true: $(median true.adv.maxrss) kB)"
fi

echo
echo "advisor RSS (kB): peak = ru_maxrss at exit; VmHWM and VmRSS polled every 0.5 s from 1 s on"
rss_line() { # rss_line KEY LABEL
	echo "  $2: peak $(median "rss.$1.peak"), VmHWM $(median "rss.$1.hwm"), VmRSS" \
		"$(median "rss.$1.first") at 1 s -> $(median "rss.$1.mid") at half -> $(median "rss.$1.last") at the end"
}
rss_line short "advisor run -- sleep 5"
if [ -n "${SKIP[advK]:-}" ]; then
	echo "  advisor run --stacks -- sleep 5: skipped (${SKIP[advK]})"
else
	rss_line stacks "advisor run --stacks -- sleep 5"
fi
if [ "$LONG" = 0 ]; then
	echo "  advisor run -- sleep $LONG_SECS: skipped (BENCH_LONG=0)"
else
	rss_line long "advisor run -- sleep $LONG_SECS"
	echo "  $LONG_SECS s run against the 5 s run:" \
		"peak $(fmt %+.0f "$(calc "$(median rss.long.peak) - $(median rss.short.peak)")")," \
		"VmHWM $(fmt %+.0f "$(calc "$(median rss.long.hwm) - $(median rss.short.hwm)")")," \
		"VmRSS at the end $(fmt %+.0f "$(calc "$(median rss.long.last) - $(median rss.short.last)")")"
fi

# ---- summary: the cost goals ----------------------------------------------------------
met() { # met VALUE AWK_CONDITION_ON_v
	[ "$1" = NA ] && { echo "?"; return; }
	awk -v v="$1" "BEGIN { print ($2) ? \"met\" : \"NOT met\" }"
}
echo
echo "==== summary: the cost goals (loop = wall clock of the storm's own loop; cpu = its own"
echo "     CPU time, the cross-check; met / NOT met is judged on the loop figure; ? = no figure)"
if [ $((noisy * 10)) -gt "$samples" ]; then
	echo "     NOTE: $noisy of $samples samples were kept although other load ran beside them (see"
	echo "     the end): these verdicts judge disturbed figures"
fi
row() { printf "  %-50s %20s %9s   %-30s %s\n" "$@"; }
ratio_row() { # ratio_row STORM MODE LABEL GOAL_TEXT LIMIT
	local r=${RATIO[$1.$2]:-NA}
	if [ -n "${SKIP[$2]:-}" ]; then
		row "$3" skipped - "$4" "?"
		return
	fi
	row "$3" "$(fmt %.3fx "$r")" "$(fmt %.3fx "${CRATIO[$1.$2]:-NA}")" "$4" \
		"$([ -n "$5" ] && met "$r" "v <= $5" || echo -)"
}
un_row() { # un_row WORKLOAD BG LABEL FORMAT GOAL_TEXT LIMIT
	local add=${ADDED[un.$1.$2]:-NA}
	if [ -n "${SKIP[$2]:-}" ]; then
		row "$3" skipped - "$5" "$([ -n "$6" ] && echo "?" || echo -)"
		return
	fi
	row "$3" "$(fmt "$4 ns" "$add")" "$(fmt "$4" "${CADDED[un.$1.$2]:-NA}")" "$5" \
		"$([ -n "$6" ] && met "$add" "v <= $6" || echo -)"
}
row figure "loop" "cpu" goal met
ratio_row getppid adv "getppid storm, advisor run" "<= 1.02x" 1.02
ratio_row getppid advS "getppid storm, advisor run -S" "<= 1.9x" 1.9
un_row getppid advS "another process's getppid while -S runs" %+.1f "<= +140 ns" 140
un_row getppid floorS "  the floor: empty programs on -S's hooks" %+.1f "(the kernel's own)" ""
ratio_row pingpong adv "pipe ping-pong, advisor run" "<= 1.10x" 1.10
un_row pingpong adv "another process's ping-pong while advisor runs" %+.0f \
	"<= +150 ns a round trip" 150
un_row pingpong floorD "  the floor: empty programs on the default hooks" %+.0f \
	"(the kernel's own)" ""
row "advisor run -q -- true" "$(fmt "%.1f ms" "${T_TRUE[adv]}")" - "<= 50 ms" \
	"$(met "${T_TRUE[adv]}" "v <= 50")"
if [ -n "${SKIP[floorT]:-}" ]; then
	row "  the floor: libbpf, empty programs, around true" skipped - "(libbpf's and the kernel's own)" ""
else
	row "  the floor: libbpf, empty programs, around true" "$(fmt "%.1f ms" "${T_TRUE[floorT]}")" - \
		"(libbpf's and the kernel's own)" ""
fi
# peak RSS: the 5 s run and the long one both within 8 MB; flat: the long
# run's peak within 1 MiB of the 5 s run's, and its VmRSS at the end within
# 1 MiB of the lower of its samples at 1 s and at half the run. A long run
# shorter than 10 minutes is judged, and its met says how long it was
p5=$(median rss.short.peak)
short_of() { # short_of VERDICT: the verdict, with the run's length when shorter than the goal's
	if [ "$1" = met ] && [ "$LONG_SECS" -lt "$LONG_GOAL" ]; then
		echo "met over $LONG_SECS s only"
	else
		echo "$1"
	fi
}
if [ "$LONG" != 0 ]; then
	pl=$(median rss.long.peak)
	pmax=$(calc "($p5 > $pl) ? $p5 : $pl")
	row "advisor's peak RSS, 5 s run / $LONG_SECS s run" "$p5 / $pl kB" - "<= 8192 kB (8 MB)" \
		"$(met "$pmax" "v <= 8192")"
	row "peak RSS, 5 s run -> $LONG_SECS s run" "$(fmt "%+.0f kB" "$(calc "$pl - $p5")")" - \
		"flat over 10 min (<= +1 MiB)" "$(short_of "$(met "$(calc "$pl - $p5")" "v <= 1024")")"
	r1=$(median rss.long.first) rm=$(median rss.long.mid) r2=$(median rss.long.last)
	low=$(calc "($r1 < $rm) ? $r1 : $rm")
	row "VmRSS kB of the $LONG_SECS s run, 1 s -> half -> end" "$r1 -> $rm -> $r2" - \
		"flat over 10 min (<= +1 MiB)" "$(short_of "$(met "$(calc "$r2 - $low")" "v <= 1024")")"
else
	row "advisor's peak RSS, 5 s run" "$p5 kB" - "<= 8192 kB (8 MB)" "$(met "$p5" "v <= 8192")"
	row "peak RSS over 10 min" skipped - "flat over 10 min (BENCH_LONG=0)" "?"
fi
if [ -z "${SKIP[floorT]:-}" ]; then
	row "  the floor: libbpf, empty programs, around true" "$(median true.floorT.maxrss) kB" - \
		"(libbpf's own: the kernel's BTF)" ""
fi
echo "  -- opt-in: --stacks is off by default; its goals hold when it is asked for"
ratio_row getppid advK "getppid storm, advisor run --stacks" "<= 1.02x (--stacks, opt-in)" 1.02
ratio_row pingpong advK "pipe ping-pong, advisor run --stacks" "<= 1.25x (--stacks, opt-in)" 1.25
echo "  -- for comparison, and figures with no goal set"
for storm in getppid pingpong connect; do
	case $storm in
	getppid) l="getppid storm" ;;
	pingpong) l="pipe ping-pong" ;;
	connect) l="connect storm" ;;
	esac
	if [ "$storm" = connect ]; then
		for m in adv advK advS; do
			ratio_row connect "$m" "$l, ${LABEL[$m]}" "(no goal set)" ""
		done
	fi
	for m in strace perf; do
		[ -n "${SKIP[$m]:-}" ] && { row "$l, ${LABEL[$m]}" skipped - "(comparison)" -; continue; }
		row "$l, ${LABEL[$m]}" "$(fmt %.0fx "${RATIO[$storm.$m]:-NA}")" - "(comparison)" -
	done
done
un_row getppid adv "another process's getppid while advisor runs" %+.1f "(no goal set)" ""
un_row getppid advK "another process's getppid while --stacks runs" %+.1f "(no goal set)" ""
un_row pingpong advK "another process's ping-pong while --stacks runs" %+.0f "(no goal set)" ""
un_row pingpong advS "another process's ping-pong while -S runs" %+.0f "(no goal set)" ""
for m in advK advS; do
	[ -n "${SKIP[$m]:-}" ] && continue
	row "advisor run -q ${LABEL[$m]#advisor run } -- true" "$(fmt "%.1f ms" "${T_TRUE[$m]}")" - \
		"(no goal set)" -
done
[ -z "${SKIP[advK]:-}" ] &&
	row "advisor's peak RSS with --stacks, 5 s run (VmHWM)" \
		"$(median rss.stacks.peak) ($(median rss.stacks.hwm)) kB" - "(no goal set)" -
echo
echo "bench took $t_total s; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "samples: $samples; re-run because something else used the CPUs meanwhile: $retried;" \
	"kept although not clean (BENCH_WAIT=${BENCH_WAIT:-90} s budget spent): $noisy"
if [ $((noisy * 10)) -gt "$samples" ]; then
	echo "warning: other load disturbed these figures; for clean ones run again on a quiet"
	echo "         machine, or with a larger BENCH_WAIT (e.g. 900)"
fi
exit 0
