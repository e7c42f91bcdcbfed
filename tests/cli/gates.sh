#!/bin/bash
# advisor gates itself: `advisor run --expect ... --policy ... --baseline ...`
# over two verdict workloads, with the policy and baseline kept in tests/ci/,
# the JUnit output validated against tests/unit/junit.xsd; then
# `advisor check` over the saved reports, and its usage errors.
#
# Usage: tests/cli/gates.sh ADVISOR WORKLOADS_DIR
# The runs need root and BPF: without them they are skipped with the reason,
# except under CI=true, where that is a failure.
set -u
ADVISOR=${1:?usage: gates.sh ADVISOR WORKLOADS_DIR}
WORKLOADS=${2:?usage: gates.sh ADVISOR WORKLOADS_DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CI_DIR=$ROOT/tests/ci
XSD=$ROOT/tests/unit/junit.xsd
pass=0 fail=0 skip=
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() {
	echo "FAIL $1" | head -c 2000
	echo
	fail=$((fail + 1))
}

# gate NAME STATUS PATTERN -- ARGS...: advisor's exit status, and stderr matching PATTERN
gate() {
	local name=$1 want=$2 pattern=$3
	shift 4
	local status
	"$ADVISOR" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	status=$?
	if [ "$status" -ne "$want" ]; then
		bad "$name: exit $status, want $want: $(cat "$tmp/$name.err")"
	elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$tmp/$name.err"; then
		bad "$name: stderr does not match '$pattern': $(cat "$tmp/$name.err")"
	else
		ok
	fi
}

# junit NAME FILE TESTS FAILURES: valid against the XSD, with these counts
junit() {
	local name=$1 file=$2 tests=$3 failures=$4 out
	if ! out=$(xmllint --noout --schema "$XSD" "$file" 2>&1); then
		bad "$name: $file does not validate: $out"
	elif ! grep -q "<testsuite name=.* tests=\"$tests\" failures=\"$failures\"" "$file"; then
		bad "$name: want tests=$tests failures=$failures: $(grep '<testsuite ' "$file")"
	else
		ok
	fi
}

# has NAME FILE PATTERN: FILE has a line matching PATTERN
has() {
	if grep -qE -- "$3" "$2"; then ok; else bad "$1: $2 lacks '$3'"; fi
}

policy=$CI_DIR/spin-policy.json
baseline=$CI_DIR/spin-baseline.json

# --- check: gates over saved reports, no BPF needed --------------------------
gate check-pass 0 'gates: all 11 passed' -- \
	check --expect multiprocessing --policy "$policy" --baseline "$baseline" \
	-o "$tmp/check.xml" -o "$tmp/check.md" -o "$tmp/check.json" "$baseline"
junit check-junit "$tmp/check.xml" 12 0
has check-md "$tmp/check.md" '^# advisor: gates passed \(11 of 11\)'
gate check-expect-fails 122 'FAIL  expect async: verdict async in 0/3 runs, 3 needed' -- \
	check --expect async "$baseline"
gate check-quiet 122 '^advisor: gates: 1 of 1 failed' -- check -q --expect async "$baseline"
gate check-json-gates 0 'gates: all 1 passed' -- check --expect multiprocessing -o - "$baseline"
has check-json-gates "$tmp/check-json-gates.out" '"kind": "expect"'
gate report-md 0 '' -- report "$tmp/check.json" -o "$tmp/again.md"
has report-md "$tmp/again.md" '^\| pass \| expect multiprocessing \|'

# usage errors: one line, naming the file and the key or path
printf '{"schema": "advisor-policy/1", "limits": {"time.blocked_ns.nett": {"max": 1}}}' >"$tmp/nothing.json"
gate policy-names-nothing 125 "nothing.json: limits 'time.blocked_ns.nett' names nothing in a report: no key 'nett'" -- \
	check --policy "$tmp/nothing.json" "$baseline"
printf '{"schema": "advisor-policy/1", "limitz": {}}' >"$tmp/unknown.json"
gate policy-unknown-key 125 "unknown.json: unknown key 'limitz'" -- check --policy "$tmp/unknown.json" "$baseline"
printf '{"schema": "advisor-policy/1", "limits": {"io_fraction": {"max": "0.5"}}}' >"$tmp/type.json"
gate policy-wrong-type 125 "type.json: limits 'io_fraction': key 'max' must be a number" -- \
	check --policy "$tmp/type.json" "$baseline"
printf '{"schema": "advisor-policy/1", "limits": {' >"$tmp/broken.json"
gate policy-bad-json 125 'broken.json: malformed JSON' -- check --policy "$tmp/broken.json" "$baseline"
printf '{"schema": "advisor-policy/1", "limits": {"syscalls[name=read].count": {"max": 1}}}' >"$tmp/sys.json"
gate policy-needs-S 125 "spin-baseline.json: limits 'syscalls\[name=read\].count' names nothing in this report: it has no key 'syscalls' \(made without -S\)" -- \
	check --policy "$tmp/sys.json" "$baseline"
gate run-policy-needs-S 125 "reads the syscall table: add -S" -- run --policy "$tmp/sys.json" -- true
gate baseline-not-report 125 'spin-policy.json: not an advisor report' -- \
	check --baseline "$policy" "$baseline"
gate check-nothing 125 'check: nothing to check' -- check "$baseline"
gate report-gates 125 'report: --expect, --policy and --baseline are for run' -- \
	report --expect async "$baseline"
gate repeat-not-run 125 '--repeat is for run' -- check --repeat 3 --expect async "$baseline"
gate bad-format 125 'x.txt: unknown report format' -- check --expect async -o "$tmp/x.txt" "$baseline"
for f in "$tmp"/policy-*.err "$tmp"/check-nothing.err; do
	[ "$(wc -l <"$f")" -eq 1 ] && ok || bad "$f: want one line: $(cat "$f")"
done

# --- run: real profiles under the probes ------------------------------------
why=
if [ "$(id -u)" -ne 0 ]; then
	why="not root"
elif [ ! -r /sys/kernel/btf/vmlinux ]; then
	why="no kernel BTF"
elif [ ! -x "$WORKLOADS/spin" ] || [ ! -x "$WORKLOADS/sleeper" ]; then
	why="workloads not built in $WORKLOADS"
fi
if [ -n "$why" ]; then
	if [ "${CI:-}" = true ]; then
		bad "runs: cannot run under the probes: $why (CI=true)"
	else
		echo "SKIP runs under the probes: $why"
		skip=yes
	fi
else
	# spin 1 500: CPU-bound, multiprocessing, every gate passes
	gate run-spin 0 'gates: all 11 passed' -- \
		run --expect multiprocessing --policy "$policy" --baseline "$baseline" \
		-o "$tmp/spin.json" -o "$tmp/spin.xml" -o "$tmp/spin.md" -- "$WORKLOADS/spin" 1 500
	junit run-spin-junit "$tmp/spin.xml" 12 0
	has run-spin-md "$tmp/spin.md" '^\| pass \| baseline model \|'

	# three runs: the verdict in 3/3, the medians gated
	gate run-repeat 0 'verdict multiprocessing in 3/3 runs' -- \
		run --repeat 3 --expect multiprocessing --policy "$policy" -o "$tmp/repeat.json" \
		-- "$WORKLOADS/spin" 1 500
	has run-repeat-agreement "$tmp/repeat.json" '"agreement": "3/3"'
	has run-repeat-medians "$tmp/repeat.json" '"time.cpu_ns": \{'
	gate check-repeat 0 'gates: all' -- check --expect multiprocessing --policy "$policy" "$tmp/repeat.json"

	# sleeper 5 50: asleep, inconclusive: --expect fails, and so does the baseline's model
	gate run-sleeper 122 'FAIL  expect multiprocessing: verdict is inconclusive \(asleep\), expected multiprocessing' -- \
		run --expect multiprocessing --policy "$policy" --baseline "$baseline" \
		-o "$tmp/sleeper.json" -o "$tmp/sleeper.xml" -o "$tmp/sleeper.md" -- "$WORKLOADS/sleeper" 5 50
	has run-sleeper-model "$tmp/run-sleeper.err" 'FAIL  baseline model: model changed: multiprocessing → inconclusive'
	has run-sleeper-changed "$tmp/run-sleeper.err" 'changed: time.cpu_ns [0-9]+ → [0-9]+ \(-[0-9]+, -[0-9.]+%\), past'
	has run-sleeper-md "$tmp/sleeper.md" '^# advisor: gates FAILED'
	has run-sleeper-md-row "$tmp/sleeper.md" '^\| \*\*FAIL\*\* \| expect multiprocessing \| inconclusive \|'
	# expect, the model and five limits fail (io_fraction may be 0 either way)
	if xmllint --noout --schema "$XSD" "$tmp/sleeper.xml" 2>/dev/null &&
		grep -q '<failure message="verdict is inconclusive (asleep), expected multiprocessing" type="expect">' "$tmp/sleeper.xml"; then
		ok
	else
		bad "run-sleeper-junit: $(cat "$tmp/sleeper.xml")"
	fi

	# the target fails: said first, the gates still evaluated, its status wins
	# (expect async: `sh -c 'exit 3'` is too short, or CPU-bound when load stretches its exec)
	gate run-target-fails 3 'the target failed: it exited with status 3; the gates are still evaluated' -- \
		run --expect async -o "$tmp/fails.xml" -- sh -c 'exit 3'
	head -1 "$tmp/run-target-fails.err" | grep -q 'the target failed' && ok ||
		bad "run-target-fails: not said first: $(cat "$tmp/run-target-fails.err")"
	has run-target-fails-gates "$tmp/run-target-fails.err" '^advisor: gates: 1 of 1 failed'
	junit run-target-fails-junit "$tmp/fails.xml" 2 1
	has run-target-fails-error "$tmp/fails.xml" '<error message="target exited with status 3" type="target">'
fi

echo "$pass passed, $fail failed${skip:+, runs skipped}"
[ "$fail" -eq 0 ]
