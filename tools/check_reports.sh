#!/usr/bin/env bash
# Validates real --format json reports of the binary against schemas/report.schema.json with
# Debian's python3-jsonschema, so the documented format and the output cannot drift.
# Usage: tools/check_reports.sh PATH/TO/partnerpolicy
set -uo pipefail
bin=$1
cd "$(dirname "$0")/.."
ex=fixtures/examples/contoso.json
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
"$bin" check "$ex" fixtures/valid/*.json fixtures/broken/bad-email.json --format json >"$reports/check.json"
"$bin" can credit.reassign --state "$ex" credit=MC-1 user=carol --as alice --format json >"$reports/can-allowed.json"
"$bin" can credit.reassign --state "$ex" credit=MC-2 user=gina --format json >"$reports/can-denied.json"
"$bin" can credit.assign --state "$ex" credit=MC-5 --format json >"$reports/can-open.json"
"$bin" actions --state "$ex" --format json >"$reports/actions.json"
"$bin" actions --state "$ex" --as alice --entity BULK-1 --format json >"$reports/actions-entity.json"
"$bin" alerts --state "$ex" --within 1y --format json >"$reports/alerts.json"
"$bin" alerts --state fixtures/valid/minimal.json --format json >"$reports/alerts-none.json"
"$bin" can nothing --state "$ex" --format json >"$reports/error.json"
/usr/bin/python3 - "$reports" <<'PY'
import json, sys, pathlib
from jsonschema import Draft202012Validator, FormatChecker
schema = json.load(open("schemas/report.schema.json"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema, format_checker=FormatChecker())
passed = failed = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    errors = list(validator.iter_errors(json.load(open(path))))
    for e in errors:
        print(f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    if errors: failed += 1
    else: passed += 1
    print(f"{path.name}: {'ok' if not errors else 'INVALID'}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed < 9 else 0)
PY
