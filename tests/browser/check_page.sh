#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Renders an advisor HTML report in headless chromium and checks it: the DOM
# holds the verdict and the decision tree (and, when the page has a gates
# section, a headline that agrees with its rules), the page requests nothing (read
# from chromium's net log) and breaks no CSP rule, only the page's own script
# runs, and HOSTILE (a name or argument the target had, e.g.
# "<script>document.title='PWNED'</script>") shows as text. Also takes a
# screenshot, REPORT.png beside the report unless SCREENSHOT=FILE is set.
#
# usage: check_page.sh REPORT.html [HOSTILE]
# Installs nothing: `make deps` brings chromium. CHROMIUM=path overrides it.
# Exit 0 on pass; on failure one line saying why and exit 1.

set -u

fail() {
	echo "check_page: FAIL: $*"
	exit 1
}

[ $# -ge 1 ] && [ $# -le 2 ] || {
	echo "usage: check_page.sh REPORT.html [HOSTILE]" >&2
	exit 2
}
page=$1
hostile=${2-}
[ -r "$page" ] || fail "cannot read $page"

here=$(cd "$(dirname "$0")" && pwd)
page_abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
shot=${SCREENSHOT:-${page_abs%.html}.png}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser; do
		if command -v "$b" >/dev/null 2>&1; then
			browser=$b
			break
		fi
	done
fi
[ -n "$browser" ] || fail "no chromium found (make deps installs it)"
command -v python3 >/dev/null 2>&1 || fail "no python3 found (make deps installs it)"

work=$(mktemp -d) || fail "cannot make a temporary directory"
trap 'rm -rf "$work"' EXIT INT TERM

# A fresh profile each run, and every background service chromium can be told
# to skip. Its own remaining requests are told apart from the page's in the
# net log: they have no initiator origin.
run_chromium() {
	profile=$(mktemp -d "$work/profile.XXXXXX")
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-default-apps --disable-extensions --no-first-run \
		--no-default-browser-check --hide-scrollbars --mute-audio \
		--user-data-dir="$profile" "$@" "file://$page_abs"
}

run_chromium --enable-logging=stderr --v=0 --log-net-log="$work/netlog.json" \
	--virtual-time-budget=3000 --dump-dom >"$work/dom.html" 2>"$work/chromium.log" ||
	fail "chromium could not render $page (see: $browser --headless --dump-dom)"
[ -s "$work/dom.html" ] || fail "chromium dumped an empty DOM for $page"

python3 "$here/check_dom.py" "$page_abs" "$work/dom.html" "$work/netlog.json" \
	"$work/chromium.log" ${hostile:+"$hostile"} >"$work/result" 2>&1
status=$?
if [ $status -ne 0 ]; then
	head -n 1 "$work/result"
	exit 1
fi

rm -f "$shot"
run_chromium --window-size=1200,2400 --screenshot="$shot" >/dev/null 2>&1 ||
	fail "chromium could not take a screenshot of $page"
[ "$(head -c 4 "$shot" 2>/dev/null | od -An -c | tr -d ' ')" = "211PNG" ] ||
	fail "no PNG screenshot at $shot"
[ "$(wc -c <"$shot")" -gt 10000 ] || fail "the screenshot $shot is blank"

echo "$(cat "$work/result"), screenshot $shot"
exit 0
