#!/bin/bash
# make test-loaded: the integration suite with a CPU hog on every CPU beside
# it, as on a shared CI machine. The hogs are ordinary busy loops outside the
# traced tree at the default priority; they stop with the suite.
#
# Usage: tests/integration/loaded.sh INTEGRATION_TESTS [criterion options...]
set -u
tests=${1:?usage: loaded.sh INTEGRATION_TESTS [options]}
shift
hogs=()
cleanup() { kill "${hogs[@]}" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
for _ in $(seq "$(nproc)"); do
	sh -c 'while :; do :; done' &
	hogs+=($!)
done
echo "test-loaded: ${#hogs[@]} CPU hogs running beside the suite"
"$(dirname "$0")/suite.sh" "$tests" "$@"
