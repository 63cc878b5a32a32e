#!/usr/bin/python3
"""Validates the output of `mtcnn detect` against docs/output-format.schema.json.

Usage: validate_records.py FILE [--schema SCHEMA] [--count N]

FILE holds JSON Lines (the default format) or one JSON array (--format json); '-' reads
standard input. Exits 0 when every record is valid (and, with --count, when there are exactly N),
1 otherwise, listing each problem on stderr.
"""

import argparse
import json
import pathlib
import sys

import jsonschema

DEFAULT_SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "docs" / "output-format.schema.json"


def load_records(text):
    """Returns [(where, record)], where 'where' names the line or array index for messages."""
    if text.lstrip().startswith("["):
        return [(f"element {i}", record) for i, record in enumerate(json.loads(text))]
    records = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last record
    for number, line in enumerate(lines, start=1):
        # A blank line is not a record: JSON Lines has none, so it is reported, not skipped.
        try:
            records.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: not valid JSON: {error}") from error
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--schema", default=str(DEFAULT_SCHEMA))
    parser.add_argument("--count", type=int, help="the exact number of records expected")
    args = parser.parse_args()

    schema = json.loads(pathlib.Path(args.schema).read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)

    text = sys.stdin.read() if args.file == "-" else pathlib.Path(args.file).read_text()
    try:
        records = load_records(text)
    except json.JSONDecodeError as error:
        print(f"{args.file}: not valid JSON: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 1

    problems = 0
    for where, record in records:
        for error in validator.iter_errors(record):
            problems += 1
            location = "/".join(str(part) for part in error.absolute_path) or "(record)"
            print(f"{args.file}: {where}: {location}: {error.message}", file=sys.stderr)
    if args.count is not None and len(records) != args.count:
        problems += 1
        print(f"{args.file}: {len(records)} records, expected {args.count}", file=sys.stderr)

    if problems:
        return 1
    print(f"{args.file}: {len(records)} valid records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
