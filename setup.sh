#!/bin/sh
# One command from a fresh Debian 12 machine (as root, or through sudo):
#   ./setup.sh demo   installs what is missing, builds, profiles the demo into demo-report.{json,html}
#   ./setup.sh test   installs what is missing, builds, and runs every test
set -e
cd "$(dirname "$0")"
target=${1:-demo}
if ! command -v make >/dev/null 2>&1; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null
fi
make deps
make "$target"
