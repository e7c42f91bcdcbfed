#!/bin/sh
# In the guest of tests/kernels/boot.sh, from the source tree: every test of the
# measure suite, each in its own run with a time limit, against the same ground
# truth as on the host. Prints one line a test and "N passed, N failed".
pass=0
fail=0
tests=$(grep -o 'Test(measure, [a-z0-9_]*' tests/integration/test_measure.c | sed 's/.*, //')
for t in $tests; do
	start=$(date +%s)
	if out=$(timeout 300 env ADVISOR="$PWD/bin/advisor" WORKLOADS="$PWD/.output/workloads" \
		.output/integration-tests --jobs 1 --filter "measure/$t" 2>&1) &&
		echo "$out" | grep -q 'Failing: 0 | Crashing: 0'; then
		pass=$((pass + 1))
		echo "PASS measure/$t ($(($(date +%s) - start)) s)"
	else
		fail=$((fail + 1))
		echo "FAIL measure/$t ($(($(date +%s) - start)) s)"
		echo "$out" | grep -E 'Assertion|^\[----\]   [^ ]' | head -8
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
