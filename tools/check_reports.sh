#!/usr/bin/env bash
# Validates real --format json reports of the binary against schemas/report.schema.json and
# --format sarif logs against schemas/sarif-2.1.0.schema.json with Debian's python3-jsonschema,
# so the documented formats and the output cannot drift; parses the JUnit reports back.
# Usage: tools/check_reports.sh PATH/TO/partnerpolicy
set -uo pipefail
bin=$1
cd "$(dirname "$0")/.."
ex=fixtures/examples/contoso.json
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
"$bin" check "$ex" fixtures/valid/*.json fixtures/broken/bad-email.json --format json >"$reports/check.json"
# Waivers (one silencing, one expired, one unmatched) and a baseline of an earlier report.
cat fixtures/waivers/example.toml fixtures/waivers/unmatched.toml >"$reports/waivers.toml"
waive=(--as-of 2027-01-15 --waivers "$reports/waivers.toml")
"$bin" check "$ex" fixtures/valid/minimal.json "${waive[@]}" --format json >"$reports/check-waivers.json"
"$bin" check "$ex" "${waive[@]}" --format junit >"$reports/check-waivers.junit.xml"
"$bin" check "$ex" --format json >"$reports/check-baseline-of.json"
"$bin" check "$ex" fixtures/valid/minimal.json --baseline "$reports/check-baseline-of.json" \
  --format json >"$reports/check-baseline.json"
"$bin" can credit.reassign --state "$ex" credit=MC-1 user=carol --as alice --format json >"$reports/can-allowed.json"
"$bin" can credit.reassign --state "$ex" credit=MC-2 user=gina --format json >"$reports/can-denied.json"
"$bin" can credit.assign --state "$ex" credit=MC-5 --format json >"$reports/can-open.json"
"$bin" plan --state "$ex" --as alice "credit.reassign credit=MC-1 user=carol" \
  "credit.use credit=MC-1 azure-subscription=new" --write-state "$reports/after-plan.state" \
  --format json >"$reports/plan-allowed.json"
"$bin" check "$reports/after-plan.state" --format json >"$reports/check-after-plan.json"
"$bin" plan --state "$ex" --as alice "credit.reassign credit=MC-1 user=carol" \
  "credit.reassign credit=MC-1 user=gina" "membership.renew" --format json >"$reports/plan-denied.json"
"$bin" plan --state "$ex" "credit.use credit=MC-5 azure-subscription=new" \
  --format json >"$reports/plan-new-findings.json"
"$bin" actions --state "$ex" --format json >"$reports/actions.json"
"$bin" actions --state "$ex" --as alice --entity BULK-1 --format json >"$reports/actions-entity.json"
"$bin" alerts --state "$ex" --within 1y --format json >"$reports/alerts.json"
"$bin" alerts --state fixtures/valid/minimal.json --format json >"$reports/alerts-none.json"
"$bin" can nothing --state "$ex" --format json >"$reports/error.json"
"$bin" can credit.reassign --state "$ex" credit=MC-1 user=carol --as alice --trace --format json >"$reports/can-trace.json"
"$bin" check "$ex" fixtures/valid/minimal.json --trace --format json >"$reports/check-trace.json"
"$bin" alerts --state "$ex" --within 1y --trace --format json >"$reports/alerts-trace.json"
"$bin" rules --format json >"$reports/rules.json"
"$bin" rules --action credit.reassign --format json >"$reports/rules-action.json"
"$bin" rules --matrix --format json >"$reports/rules-matrix.json"
"$bin" explain credits.monthly.reassignment-cap --format json >"$reports/explain.json"
"$bin" explain credits.free-domain-ban --format json >"$reports/explain-list-param.json"
"$bin" lint policies --format json >"$reports/lint.json"
cp -r policies "$reports/lint-set" && printf 'x = 1\nreturn {}\n' >"$reports/lint-set/global.lua"
printf 'return { id = "Bad", severty = 1, params = { n = 1 }, check = function() end }\n' >"$reports/lint-set/bad.lua"
"$bin" lint "$reports/lint-set" --format json >"$reports/lint-problems.json"
"$bin" test policies --coverage --threshold 100 --format json >"$reports/test.json"
# A failing case (its expected verdict flipped) in a copy of the policies.
mkdir -p "$reports/repo" && cp -r policies "$reports/repo/" && ln -s "$PWD/fixtures" "$reports/repo/fixtures"
sed -i '0,/"deny"/s//"allow"/' "$reports/repo/policies/credits/monthly_reassignment_cap.test.json"
"$bin" test "$reports/repo/policies" --format json >"$reports/test-failing.json"
"$bin" check "$ex" fixtures/valid/*.json fixtures/broken/malformed.json --format junit >"$reports/check.junit.xml"
"$bin" check "$ex" --format junit --fail-on warning >"$reports/check-warning.junit.xml"
"$bin" alerts --state "$ex" --within 1y --format junit --fail-on warning >"$reports/alerts.junit.xml"
"$bin" alerts --state fixtures/valid/minimal.json --format junit >"$reports/alerts-none.junit.xml"
/usr/bin/python3 - "$reports" <<'PY'
# JUnit reports parse as XML, and their counts agree with their contents.
import sys, pathlib, xml.etree.ElementTree as ET
bad = 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.junit.xml")):
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites", path
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counts = {"tests": len(cases),
                  "failures": sum(len(c.findall("failure")) for c in cases),
                  "errors": sum(len(c.findall("error")) for c in cases),
                  "skipped": sum(len(c.findall("skipped")) for c in cases)}
        for key, value in counts.items():
            if int(suite.get(key)) != value:
                print(f"{path.name}: suite {suite.get('name')}: {key}={suite.get(key)}, counted {value}")
                bad += 1
            totals[key] += value
        for case in cases:
            if not case.get("name") or case.get("classname") != suite.get("name"):
                print(f"{path.name}: malformed testcase {case.attrib}"); bad += 1
    for key, value in totals.items():
        if root.get(key) is not None and int(root.get(key)) != value:
            print(f"{path.name}: {key}={root.get(key)}, counted {value}"); bad += 1
    print(f"{path.name}: {'ok' if not bad else 'INVALID'} ({totals})")
sys.exit(1 if bad else 0)
PY
[ $? -eq 0 ] || exit 1
# The hash every report of the bundled policies must carry (policy tests do not count, so the
# copy with a failing test has it too).
policy_hash=$("$bin" --version | sed -n 's/^policies: .* sha256:\([0-9a-f]\{64\}\)$/\1/p')
/usr/bin/python3 - "$reports" "$policy_hash" <<'PY'
import json, sys, pathlib
from jsonschema import Draft202012Validator, FormatChecker
schema = json.load(open("schemas/report.schema.json"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema, format_checker=FormatChecker())
passed = failed = 0
policy_hash = sys.argv[2]
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    report = json.load(open(path))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(report)]
    if report.get("kind") in ("check", "can", "actions", "alerts", "test", "rules", "explain"):
        got = report.get("policy_set", {}).get("sha256")
        if len(policy_hash) != 64 or got != policy_hash:
            errors.append(f"policy_set/sha256: {got}, --version says '{policy_hash}'")
    for e in errors:
        print(f"{path.name}: {e}")
    if errors: failed += 1
    else: passed += 1
    print(f"{path.name}: {'ok' if not errors else 'INVALID'}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed < 9 else 0)
PY
[ $? -eq 0 ] || exit 1

# SARIF logs: valid against the OASIS SARIF 2.1.0 schema (draft-07) shipped in schemas/, and
# consistent: rules are the policies under policies/, results point at their rule and carry
# the entity's position and fingerprint, in the order of the JSON reports.
"$bin" check "$ex" fixtures/valid/*.json --format sarif >"$reports/check.sarif"
"$bin" check "$ex" fixtures/valid/*.json fixtures/broken/bad-email.json --format sarif >"$reports/check-invalid.sarif"
"$bin" alerts --state "$ex" --within 1y --format sarif >"$reports/alerts.sarif"
"$bin" alerts --state fixtures/valid/minimal.json --format sarif >"$reports/alerts-none.sarif"
"$bin" alerts --state "$ex" --within 9x --format sarif >"$reports/error.sarif" 2>/dev/null
"$bin" check "$ex" "${waive[@]}" --format sarif >"$reports/check-waivers.sarif"
"$bin" check "$ex" --baseline fixtures/baselines/contoso.json --format sarif >"$reports/check-baseline.sarif"
/usr/bin/python3 - "$reports" "$policy_hash" <<'PY'
import json, re, sys, pathlib
from jsonschema import Draft7Validator, FormatChecker
reports = pathlib.Path(sys.argv[1])
policy_hash = sys.argv[2]
schema = json.load(open("schemas/sarif-2.1.0.schema.json"))
Draft7Validator.check_schema(schema)
validator = Draft7Validator(schema, format_checker=FormatChecker())
policies = {}
for path in sorted(pathlib.Path("policies").rglob("*.lua")):
    if path.parts[1] in ("lib", "types", "effects"): continue  # libraries, types, effects
    match = re.search(r'^\s*id\s*=\s*"([^"]+)"', path.read_text(), re.M)
    policies[match.group(1)] = str(path)
bad = []
def expect(condition, what):
    if not condition: bad.append(what)
def sarif(name):
    log = json.load(open(reports / name))
    errors = list(validator.iter_errors(log))
    for e in errors:
        print(f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    expect(not errors, f"{name}: not valid SARIF 2.1.0")
    expect(log["version"] == "2.1.0" and len(log["runs"]) == 1, f"{name}: one 2.1.0 run")
    return log["runs"][0]
def check_run(name, run):
    policy_set = run["tool"]["driver"].get("properties", {}).get("policySet", {})
    expect(policy_set.get("sha256") == policy_hash and policy_set.get("directory") == "policies",
           f"{name}: driver.properties.policySet {policy_set}, --version says '{policy_hash}'")
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    expect(ids == sorted(policies), f"{name}: rules are not the policies, sorted: {ids}")
    for r in rules:
        expect(policies.get(r["id"]) == r["properties"]["policyFile"], f"{name}: {r['id']} file")
        expect(r["defaultConfiguration"]["level"] in ("error", "warning", "note"), f"{name}: {r['id']} level")
        expect(r["shortDescription"]["text"] and r["help"]["text"], f"{name}: {r['id']} text")
    for i, result in enumerate(run["results"]):
        where = f"{name}: result {i}"
        if "ruleIndex" in result:
            expect(ids[result["ruleIndex"]] == result["ruleId"], f"{where}: ruleIndex")
        else:  # the waiver file's own findings are not policies
            expect(result["ruleId"] in ("waiver.expired", "waiver.unmatched"), f"{where}: ruleIndex")
        loc = result["locations"][0]
        region = loc["physicalLocation"]["region"]
        expect(region["startLine"] >= 1 and region["startColumn"] >= 1, f"{where}: region")
        artifact = loc["physicalLocation"]["artifactLocation"]
        expect(run["artifacts"][artifact["index"]]["location"]["uri"] == artifact["uri"], f"{where}: artifact")
        entity = loc.get("logicalLocations", [{}])[0].get("name", "")
        expect(result["partialFingerprints"]["partnerpolicy/v1"].startswith(result["ruleId"] + "|" + entity),
               f"{where}: fingerprint")

run = sarif("check-waivers.sarif")
check_run("check-waivers.sarif", run)
waived = [r for r in run["results"] if r.get("suppressions")]
expect(waived and all(s["kind"] == "external" and s["justification"]
                      for r in waived for s in r["suppressions"]), "check-waivers.sarif: suppressions")
expect(any(r["ruleId"] == "waiver.expired" for r in run["results"]), "check-waivers.sarif: expired")
run = sarif("check-baseline.sarif")
check_run("check-baseline.sarif", run)
states = [r["baselineState"] for r in run["results"]]
expect(states.count("new") == 1 and states.count("unchanged") == len(states) - 1,
       f"check-baseline.sarif: one new finding, the rest unchanged: {states}")
run = sarif("check.sarif")
check_run("check.sarif", run)
expect(run["invocations"][0]["executionSuccessful"] is True, "check.sarif: successful")
run = sarif("check-invalid.sarif")
check_run("check-invalid.sarif", run)
report = json.load(open(reports / "check.json"))  # the same fixtures, bad-email.json last
findings = [(f["rule_id"], f["line"], f["column"]) for fx in report["fixtures"] for f in fx["findings"]]
results = [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in run["results"]]
expect(results == findings, "check-invalid.sarif: results differ from the JSON report's findings")
invocation = run["invocations"][0]
expect(invocation["executionSuccessful"] is False, "check-invalid.sarif: a broken fixture is not a success")
notes = invocation["toolExecutionNotifications"]
expect(len(notes) == len(report["fixtures"][-1]["errors"]) and all(
    n["level"] == "error" and n["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    and n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "fixtures/broken/bad-email.json"
    for n in notes), "check-invalid.sarif: notifications")
expect([d["fixture"] for d in run["properties"]["evaluationDates"]] == [f["path"] for f in report["fixtures"]],
       "check-invalid.sarif: evaluation dates")
run = sarif("alerts.sarif")
check_run("alerts.sarif", run)
report = json.load(open(reports / "alerts.json"))  # same state and horizon
expect([(a["rule_id"], a["date"]) for a in report["alerts"]] ==
       [(r["ruleId"], r["properties"]["on"]) for r in run["results"]], "alerts.sarif: alerts differ")
expect(all(r["message"]["text"].startswith(r["properties"]["on"] + ": ") for r in run["results"]),
       "alerts.sarif: date in message")
expect(run["properties"]["evaluationDate"] == report["evaluation_date"], "alerts.sarif: date")
run = sarif("alerts-none.sarif")
check_run("alerts-none.sarif", run)
expect(run["results"] == [], "alerts-none.sarif: results")
run = sarif("error.sarif")
expect("results" not in run and run["invocations"][0]["executionSuccessful"] is False
       and run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith("--within 9x"),
       "error.sarif: an unsuccessful run with the error")
for b in bad: print(b)
print(f"SARIF: {len(bad)} problems in {len(list(reports.glob('*.sarif')))} logs")
sys.exit(1 if bad else 0)
PY
