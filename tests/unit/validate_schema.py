#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Validates a JSON report against the report's JSON Schema.

usage: validate_schema.py SCHEMA REPORT

Exit status: 0 valid, 1 invalid (one line per error on stderr), 2 cannot
check (no python3-jsonschema, unreadable or invalid files). The unit tests
treat anything but 0 as a failure, so a missing validator is never a skip.
"""
import json
import sys


def main(argv):
    if len(argv) != 3:
        print("usage: validate_schema.py SCHEMA REPORT", file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("validate_schema: python3-jsonschema is missing "
              "(apt-get install python3-jsonschema)", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        # strict UTF-8: a report must be valid UTF-8 as well as valid JSON
        with open(argv[2], encoding="utf-8", errors="strict") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        print(f"validate_schema: {e}", file=sys.stderr)
        return 2

    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"validate_schema: {argv[1]}: invalid schema: {e.message}", file=sys.stderr)
        return 2
    errors = sorted(cls(schema).iter_errors(report), key=lambda e: list(e.path))
    for e in errors:
        where = "/".join(str(p) for p in e.path) or "(root)"
        print(f"validate_schema: {argv[2]}: {where}: {e.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
