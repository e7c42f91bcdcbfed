#!/bin/bash
# The stacks' writers on a saved report with stacks and findings, read back by
# real readers: `go tool pprof` for -o x.pb.gz; for -o x.sarif the SARIF 2.1.0
# object model that Debian ships as Go types generated from the OASIS schema
# (golang-github-haya14busa-go-sarif-dev), through sarif_check.go: every
# property defined for its object and of its type, every required one there,
# enumerated values valid; and python3-jsonschema against the OASIS schema
# itself when SARIF_SCHEMA names its file (not shipped: its licence is
# OASIS's). A missing reader is skipped with the reason; under CI=true a
# missing go or object model is a failure (make deps installs them), a
# missing SARIF_SCHEMA is not.
# Usage: tests/cli/stacks.sh ADVISOR [REPORT.json]
set -u
ADVISOR=${1:?usage: stacks.sh ADVISOR [REPORT.json]}
REPORT=${2:-$(dirname "$0")/../fuzz/corpus/stacks.json}
pass=0 fail=0 skipped=
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
skip() {
	echo "SKIP $*"
	skipped=yes
}

if ! "$ADVISOR" report "$REPORT" -o "$tmp/r.folded" -o "$tmp/r.sarif" -o "$tmp/r.pb.gz" \
	-o "$tmp/R.PB.GZ" 2>"$tmp/err"; then
	bad "advisor report: $(cat "$tmp/err")"
	echo "$pass passed, $fail failed"
	exit 1
fi

# folded: one line a stack, cause first, outermost frame first, a value in ns
if grep -qx '\[net\];main;fetch_page;recv 720000000' "$tmp/r.folded" &&
	! grep -qvE '^\[[a-z]+( internal)?\](;[^;]+)+ [0-9]+$' "$tmp/r.folded"; then
	ok
else
	bad "folded lines: $(cat "$tmp/r.folded")"
fi

# pprof: go's own reader takes it, both sample types and the labels
if [ -x "$(command -v go)" ]; then
	export GOCACHE="$tmp/gocache" HOME="${HOME:-$tmp}"
	out=$(cd "$tmp" && go tool pprof -top r.pb.gz 2>&1)
	if grep -qE '720ms +100% .* recv$' <<<"$out" && grep -q 'Type: wait' <<<"$out"; then
		ok
	else
		bad "go tool pprof -top: $out"
	fi
	out=$(cd "$tmp" && go tool pprof -sample_index=cpu -top r.pb.gz 2>&1)
	grep -qE '300ms +100% .* parse_html$' <<<"$out" && ok || bad "pprof -sample_index=cpu: $out"
	out=$(cd "$tmp" && go tool pprof -tags r.pb.gz 2>&1)
	grep -qE 'cause: Total' <<<"$out" && grep -qE ': net$' <<<"$out" && ok ||
		bad "pprof -tags: $out"
	cmp -s "$tmp/r.pb.gz" "$tmp/R.PB.GZ" && ok || bad "the same report gave other pprof bytes"
else
	skip "pprof: go is not installed (golang-go), go tool pprof cannot read it back"
	[ "${CI:-}" = true ] && bad "CI=true needs go for the pprof check"
fi

# SARIF: the object model generated from the schema, then a log it must refuse
GOSARIF=/usr/share/gocode/src/github.com/haya14busa/go-sarif/sarif
if [ -x "$(command -v go)" ] && [ -d "$GOSARIF" ]; then
	sarif_check() {
		(cd "$(dirname "$0")" && GO111MODULE=off GOPATH=/usr/share/gocode go run sarif_check.go "$1" 2>&1)
	}
	out=$(sarif_check "$tmp/r.sarif") && ok || bad "SARIF against the object model: $out"
	python3 - "$tmp/r.sarif" "$tmp/bad.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
run["results"][0]["level"] = "fatal"
del run["tool"]["driver"]["name"]
run["bogus"] = 1
json.dump(log, open(sys.argv[2], "w"))
PY
	out=$(sarif_check "$tmp/bad.sarif")
	if grep -q '"fatal" is not a Level' <<<"$out" && grep -q 'required property "name"' <<<"$out" &&
		grep -q '"bogus" is not a property of Run' <<<"$out"; then
		ok
	else
		bad "the SARIF check let a broken log through: $out"
	fi
else
	skip "SARIF object model: go or golang-github-haya14busa-go-sarif-dev is not installed"
	[ "${CI:-}" = true ] && bad "CI=true needs go and the SARIF object model for the SARIF check"
fi

# SARIF: the OASIS schema, when given
if [ -n "${SARIF_SCHEMA:-}" ] && python3 -c 'import jsonschema' 2>/dev/null; then
	if python3 - "$SARIF_SCHEMA" "$tmp/r.sarif" <<'PY'; then ok; else bad "SARIF does not validate"; fi
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
assert log["version"] == "2.1.0" and len(log["runs"]) == 1
assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
           for r in log["runs"][0]["results"])
PY
else
	skip "SARIF schema check: set SARIF_SCHEMA to sarif-schema-2.1.0.json (python3-jsonschema)"
fi

echo "$pass passed, $fail failed${skipped:+, some skipped}"
[ "$fail" -eq 0 ]
