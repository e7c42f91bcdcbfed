#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Prints a libFuzzer dictionary of the report schema's keys and enum values.

usage: make_dict.py SCHEMA > report.dict
"""
import json
import sys


def walk(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                out.update('"%s"' % k for k in value)
            if key in ("enum", "const"):
                values = value if isinstance(value, list) else [value]
                out.update(json.dumps(v) for v in values if isinstance(v, str))
            walk(value, out)
    elif isinstance(node, list):
        for value in node:
            walk(value, out)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    tokens = set()
    walk(schema, tokens)
    tokens.update(['"advisor-report/1"', "null", "true", "false", "-1", "1e308",
                   "18446744073709551616", "\"\\ud800\"", "\"\\u0000\""])
    for i, token in enumerate(sorted(tokens)):
        escaped = token.replace("\\", "\\\\").replace('"', '\\"')
        print('t%d="%s"' % (i, escaped))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
