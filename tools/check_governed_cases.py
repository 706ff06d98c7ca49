#!/usr/bin/python3
"""Every action a rule decides has, in the rule's own test file, a case where the rule lets it
through and one where it denies it, so each governed (action, rule) pair is tested both ways
(issue 18: "every governed pair has an allowed and a denied case").

The rule lets the action through when its verdict is allow or condition, or when it has no say
(verdict "silent") on a request the case expects to be allowed: a rule that only ever denies says
nothing where the action is fine. An action the rule declares in `informs` (it decides it only to
inform, and the engine refuses a denial) needs the allowed case only.

Usage: tools/check_governed_cases.py PATH/TO/partnerpolicy [POLICY_DIR]

The rules and the actions each decides come from `partnerpolicy rules --format json`; a rule's
test file is its policy file with .lua replaced by .test.json, and a case counts for a pair when
its "action" is the action and its expected "verdicts" name the rule. Prints one line per pair
that lacks a case (what is missing and where to add it) and exits 1 when there is one.
"""
import json
import pathlib
import subprocess
import sys

ALLOWING = {"allow", "condition"}
ALLOWED_DECISIONS = {"allowed", "allowed if"}


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print("usage: check_governed_cases.py PATH/TO/partnerpolicy [POLICY_DIR]", file=sys.stderr)
        return 2
    binary = sys.argv[1]
    policies = sys.argv[2] if len(sys.argv) == 3 else "policies"
    run = subprocess.run([binary, "rules", "--format", "json", "--policies", policies],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"{binary} rules failed ({run.returncode}):\n{run.stderr}{run.stdout}",
              file=sys.stderr)
        return 2
    catalog = json.loads(run.stdout)["catalog"]
    missing = []
    pairs = 0
    for rule in catalog:
        if not rule["actions"]:
            continue
        test_file = pathlib.Path(rule["file"]).with_suffix("").with_suffix(".test.json")
        cases = []
        if test_file.exists():
            cases = json.loads(test_file.read_text(encoding="utf-8")).get("cases", [])
        informs = {entry["action"] for entry in rule.get("informs", [])}
        for action in (a["name"] for a in rule["actions"]):
            pairs += 1
            verdicts = set()
            for case in cases:
                if case.get("action") != action:
                    continue
                expect = case.get("expect", {})
                verdict = expect.get("verdicts", {}).get(rule["id"])
                if verdict == "silent" and expect.get("decision") in ALLOWED_DECISIONS:
                    verdict = "allow"
                if verdict is not None:
                    verdicts.add(verdict)
            lacks = []
            if not verdicts & ALLOWING:
                lacks.append("an allowed case (verdict allow or condition, or silent on an "
                             "allowed request)")
            if "deny" not in verdicts and action not in informs:
                lacks.append("a denied case (verdict deny)")
            if lacks:
                missing.append(f"{rule['id']} decides {action}: {test_file} has no "
                               + " and no ".join(l.removeprefix("an ").removeprefix("a ")
                                                 for l in lacks))
    for line in missing:
        print(line)
    print(f"{pairs - len(missing)} of {pairs} governed (action, rule) pairs have an allowed and a "
          f"denied case")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
