#!/usr/bin/env python3
"""Validates a JSON document (stdin) against a schema file: validate-json.py SCHEMA < DOCUMENT."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.validators.validator_for(schema)  # the draft the schema names ($schema)
validator.check_schema(schema)
document = json.load(sys.stdin)
errors = sorted(validator(schema).iter_errors(document), key=lambda e: list(e.path))
for error in errors[:20]:
    print(f"{sys.argv[1]}: {'/'.join(map(str, error.path))}: {error.message}", file=sys.stderr)
sys.exit(1 if errors else 0)
