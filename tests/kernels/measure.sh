#!/bin/sh
# In the guest of tests/kernels/boot.sh, from the source tree: every test of the
# measure suite, each in its own run with a time limit, against the same ground
# truth as on the host. Prints one line a test and "N passed, N failed".
pass=0
fail=0
tests=$(grep -o 'Test(measure, [a-z0-9_]*' tests/integration/test_measure.c | sed 's/.*, //')
# one test under advisor: its output in $out, success when nothing failed
run_one() {
	out=$(timeout 300 env ADVISOR="$PWD/bin/advisor" WORKLOADS="$PWD/.output/workloads" \
		.output/integration-tests --jobs 1 --filter "measure/$1" 2>&1) &&
		echo "$out" | grep -q 'Failing: 0 | Crashing: 0'
}
for t in $tests; do
	start=$(date +%s)
	if run_one "$t"; then
		pass=$((pass + 1))
		echo "PASS measure/$t ($(($(date +%s) - start)) s)"
		continue
	fi
	first=$(echo "$out" | grep -E 'Assertion|^\[----\]   [^ ]' | head -8)
	# the emulated guest's timing is rougher than a real machine's: a second try, said
	if run_one "$t"; then
		pass=$((pass + 1))
		echo "PASS measure/$t on the second try ($(($(date +%s) - start)) s); the first:"
		echo "$first"
	else
		fail=$((fail + 1))
		echo "FAIL measure/$t twice ($(($(date +%s) - start)) s)"
		echo "$first"
		echo "$out" | grep -E 'Assertion|^\[----\]   [^ ]' | head -8
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
