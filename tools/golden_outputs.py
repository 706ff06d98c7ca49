#!/usr/bin/env python3
"""Writes what the policies say, byte for byte, into one directory, so two trees can be compared.

Usage: tools/golden_outputs.py BINARY POLICY_DIR OUT_DIR

For every policy test case (POLICY_DIR/**/*.test.json, except cases with their own settings) it
runs the case's question through the real binary as a user would ask it: `can` for a decision,
`check` for findings, `alerts --within` for alerts, in text, JSON and --trace. For every fixture
under fixtures/ it runs `check` (text and JSON) and `actions` (JSON); then `rules --format json`,
`rules --matrix` and `explain` of every rule, and every plan under fixtures/plans/. Each output
(stdout, stderr and exit code) goes to its own file in OUT_DIR. Rewording a policy without
changing what it says (issue 19: words moved into message catalogs) leaves `diff -r` of two such
directories empty.
"""
import concurrent.futures
import glob
import hashlib
import json
import os
import re
import subprocess
import sys


def main():
    binary, policies, out = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    jobs = []  # (name, argv)
    for test_file in sorted(glob.glob(os.path.join(policies, "**", "*.test.json"), recursive=True)):
        base = os.path.dirname(test_file)
        for index, case in enumerate(json.load(open(test_file))["cases"]):
            if "settings" in case:
                continue
            state = os.path.normpath(os.path.join(base, case["state"]))
            common = ["--state", state, "--as-of", case["as_of"], "--policies", policies]
            name = f"{os.path.relpath(test_file, policies)}#{index}"
            if "action" in case:
                argv = ["can", case["action"]] + common
                argv += [f"{k}={v}" for k, v in sorted(case.get("arguments", {}).items())]
                if "actor" in case:
                    argv += ["--as", case["actor"]]
            elif "within" in case:
                argv = ["alerts", "--within", case["within"]] + common
            else:
                argv = ["check", state, "--as-of", case["as_of"], "--policies", policies]
            for extra in ([], ["--format", "json"], ["--trace"]):
                if extra == ["--trace"] and argv[0] != "can":
                    continue
                jobs.append((name + "".join(extra), argv + extra))
    for fixture in sorted(glob.glob("fixtures/**/*.json", recursive=True)):
        for extra in ([], ["--format", "json"]):
            jobs.append((f"check:{fixture}{''.join(extra)}",
                         ["check", fixture, "--policies", policies] + extra))
        jobs.append((f"actions:{fixture}",
                     ["actions", "--state", fixture, "--policies", policies, "--format", "json"]))
    jobs.append(("rules.json", ["--policies", policies, "rules", "--format", "json"]))
    jobs.append(("rules.matrix", ["--policies", policies, "rules", "--matrix"]))
    rules = json.loads(subprocess.run([binary, "--policies", policies, "rules", "--format", "json"],
                                      capture_output=True, text=True).stdout)
    for rule in rules["catalog"]:
        rule_id = rule["id"]
        jobs.append((f"explain:{rule_id}", ["--policies", policies, "explain", rule_id]))
    for plan in sorted(glob.glob("fixtures/plans/*.toml")):
        jobs.append((f"plan:{plan}", ["plan", "--policies", policies, "--file", plan,
                                            "--state", "fixtures/examples/contoso.json"]))

    def run(job):
        name, argv = job
        done = subprocess.run([binary] + argv, capture_output=True)
        # Policy directories differ between the two trees compared; the report names them.
        text = (done.stdout + b"\n--- stderr\n" + done.stderr).replace(policies.encode(), b"POLICIES")
        # So does the policy set's hash, which covers the files reworded.
        text = re.sub(rb"[0-9a-f]{64}", b"SHA256", text)
        file = hashlib.sha1(name.encode()).hexdigest()[:16]
        with open(os.path.join(out, file), "wb") as f:
            f.write(f"{name}\n{' '.join(argv)}\nexit {done.returncode}\n".encode().replace(
                policies.encode(), b"POLICIES") + text)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, jobs))
    print(f"{len(jobs)} outputs in {out}")


if __name__ == "__main__":
    main()
