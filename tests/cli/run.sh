#!/bin/bash
# CLI transcripts: --help, --version, usage errors and their exit statuses.
# Usage: tests/cli/run.sh ADVISOR
set -u
ADVISOR=${1:?usage: run.sh ADVISOR}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME STATUS PATTERN -- ARGS...: exit status and a line of stderr+stdout matching PATTERN
expect() {
	local name=$1 want=$2 pattern=$3
	shift 4
	local out status
	out=$("$ADVISOR" "$@" 2>&1 </dev/null)
	status=$?
	if [ "$status" -ne "$want" ]; then
		echo "FAIL $name: exit $status, want $want: $out" | head -3
		fail=$((fail + 1))
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		echo "FAIL $name: output does not match '$pattern': $out" | head -3
		fail=$((fail + 1))
	elif [ "$want" -ge 122 ] && [ "$(grep -c '^advisor: ' <<<"$out")" -ne 1 ]; then
		echo "FAIL $name: want exactly one 'advisor: ' line: $out" | head -3
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

expect help 0 '^Usage: advisor run' -- --help
expect help-run 0 'EXAMPLES' -- run --help
expect help-thresholds 0 'io_bound_min' -- --help
expect version 0 '^advisor [0-9a-f]' -- --version
expect no-command 125 'missing command' --
expect unknown-command 125 "unknown command 'frobnicate'" -- frobnicate
expect unknown-option 125 "unknown option '--frob'" -- run --frob -- true
expect missing-cmd 125 'missing command to profile' -- run
expect bad-duration 125 "bad --duration 'abc'" -- run -d abc -- true
expect neg-duration 125 "bad --duration '-1'" -- run -d -1 -- true
expect zero-duration 125 "bad --duration '0'" -- run -d 0 -- true
expect bad-threshold-name 125 "bad --threshold 'nope=1'" -- run --threshold nope=1 -- true
expect bad-threshold-value 125 "bad --threshold 'io_bound_min=x'" -- run --threshold io_bound_min=x -- true
expect bad-expect 125 "bad --expect 'fast'" -- run --expect fast -- true
expect missing-value 125 "needs a value" -- run -o
expect attach-no-pid 125 'missing -p PID' -- attach
expect report-no-file 125 'want exactly one REPORT.json' -- report
expect not-found 127 'command not found' -- run -- /nonexistent/prog
expect not-found-path 127 'command not found' -- run -- no-such-command-xyz
expect is-directory 126 'is a directory' -- run -- /tmp
touch "$tmp/noexec"
chmod 644 "$tmp/noexec"
expect not-executable 126 'not executable' -- run -- "$tmp/noexec"
expect unwritable-output 123 'cannot write /nonexistent-dir/r.json' -- run -o /nonexistent-dir/r.json -- true
expect unknown-format 125 'r.txt: unknown report format' -- run -o "$tmp/r.txt" -- true
expect report-missing 125 'no-such.json' -- report "$tmp/no-such.json"
printf '{"schema": "advisor-report/1", "dur' >"$tmp/trunc.json"
expect report-truncated 125 'trunc.json' -- report "$tmp/trunc.json"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
