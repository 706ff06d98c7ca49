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
"$bin" test policies --coverage --threshold 100 --format json >"$reports/test.json"
# A failing case (its expected verdict flipped) in a copy of the policies.
mkdir -p "$reports/repo" && cp -r policies "$reports/repo/" && ln -s "$PWD/fixtures" "$reports/repo/fixtures"
sed -i '0,/"deny"/s//"allow"/' "$reports/repo/policies/credits/monthly_reassignment_cap.test.json"
"$bin" test "$reports/repo/policies" --format json >"$reports/test-failing.json"
"$bin" check "$ex" fixtures/valid/*.json fixtures/broken/malformed.json --format junit >"$reports/check.junit.xml"
"$bin" check "$ex" --format junit --fail-on warning >"$reports/check-warning.junit.xml"
/usr/bin/python3 - "$reports" <<'PY'
# JUnit reports parse as XML, and their counts agree with their contents.
import sys, pathlib, xml.etree.ElementTree as ET
bad = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.junit.xml")):
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites", path
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counts = {"tests": len(cases),
                  "failures": sum(len(c.findall("failure")) for c in cases),
                  "errors": sum(len(c.findall("error")) for c in cases)}
        for key, value in counts.items():
            if int(suite.get(key)) != value:
                print(f"{path.name}: suite {suite.get('name')}: {key}={suite.get(key)}, counted {value}")
                bad += 1
            totals[key] += value
        for case in cases:
            if not case.get("name") or case.get("classname") != suite.get("name"):
                print(f"{path.name}: malformed testcase {case.attrib}"); bad += 1
    for key, value in totals.items():
        if int(root.get(key)) != value:
            print(f"{path.name}: {key}={root.get(key)}, counted {value}"); bad += 1
    print(f"{path.name}: {'ok' if not bad else 'INVALID'} ({totals})")
sys.exit(1 if bad else 0)
PY
[ $? -eq 0 ] || exit 1
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
