#!/bin/bash
# make test-integration: run the integration suite and, when it fails, say
# again at its end which tests failed and why, so that the tail of a long CI
# log names them. Exits with the suite's own status.
#
# Usage: tests/integration/suite.sh INTEGRATION_TESTS [criterion options...]
set -u
tests=${1:?usage: suite.sh INTEGRATION_TESTS [options]}
shift
log=$(mktemp /tmp/advisor-suite.XXXXXX)
trap 'rm -f "$log"' EXIT
"$tests" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
	echo "integration: failed (exit $status); the failures again:"
	# an assertion's block: its "[----] file:line" line and the message lines after it
	awk '/^\[----\] .*:[0-9]+: / { show = 1 } /^\[(RUN |PASS|SKIP)\]/ { show = 0 }
	     /^\[FAIL\]/ { print; show = 0; next } show && /^\[----\]/ && !/^\[----\] *$/' "$log" | tail -n 60
fi
exit "$status"
