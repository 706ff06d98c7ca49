#!/usr/bin/env python3
"""Runs every hostile policy of tests/adversarial/ through the real binary, under a watchdog.

Usage: tools/run_adversarial.py BINARY [--watchdog SECONDS] [--fixture FILE]

Each tests/adversarial/<name>.lua is a rule whose check (or whose file top) does something a
policy must not get away with: a loop in an xpcall handler or a finalizer, a builtin that works
for minutes per instruction, a message of megabytes. Its first lines say what must happen:

    -- expect: stopped: instruction budget      (a substring of the error)
    -- line: 9                                  (the line the error names)
    -- within: 20                               (optional: its own watchdog, in seconds)

The policy is copied alone, with tests/adversarial/actions.toml, into a temporary policy
directory, and `check` runs it on the example fixture: it must exit 2 within the watchdog, print
nothing on standard output, and name <dir>/<name>.lua:<line> and the expected words on standard
error. A policy whose hostile code is at its file's top (line 4) must also stop `rules` and
`explain` (exit 2), `lint` (exit 1, the problem at its line) and `--version` (exit 0, "not
loaded" and its line): none of them may hang. Prints each run's time; exits 1 on any failure.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def header(text, name, default=None):
    match = re.search(r"^-- " + name + r": (.*)$", text, re.M)
    if not match:
        if default is not None:
            return default
        raise SystemExit(f"missing '-- {name}:' header")
    return match.group(1)


def run(binary, args, watchdog):
    start = time.monotonic()
    try:
        done = subprocess.run([binary] + args, capture_output=True, text=True, errors="replace",
                              timeout=watchdog, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None, "", "", time.monotonic() - start
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--watchdog", type=float, default=10.0)
    parser.add_argument("--fixture", default="fixtures/examples/contoso.json")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    source = os.path.join(ROOT, "tests", "adversarial")
    failures = []
    slowest = 0.0
    policies = sorted(glob.glob(os.path.join(source, "*.lua")))
    for policy in policies:
        name = os.path.splitext(os.path.basename(policy))[0]
        text = open(policy, encoding="utf-8").read()
        expect = header(text, "expect")
        line = int(header(text, "line"))
        watchdog = float(header(text, "within", str(options.watchdog)))
        rule = re.search(r'id = "([^"]+)"', text).group(1)
        with tempfile.TemporaryDirectory(prefix="pp-adversarial-") as directory:
            shutil.copy(os.path.join(source, "actions.toml"), directory)
            shutil.copy(policy, directory)
            where = f"{directory}/{name}.lua:{line}"
            runs = [("check", ["check", "--policies", directory, options.fixture], 2, "err",
                     expect)]
            if line == 4:  # hostile code at the file's top: loading stops every command
                runs += [("rules", ["rules", "--policies", directory], 2, "err", expect),
                         ("explain", ["explain", rule, "--policies", directory], 2, "err", expect),
                         ("lint", ["lint", directory], 1, "out", expect),
                         ("--version", ["--policies", directory, "--version"], 0, "out",
                          "not loaded")]
            for label, args, code, stream, words in runs:
                status, out, err, seconds = run(binary, args, watchdog)
                slowest = max(slowest, seconds)
                print(f"{seconds:6.2f} s  {name}: {label}")
                said = err if stream == "err" else out
                problems = []
                if status is None:
                    problems.append(f"still running after the {watchdog:g} s watchdog")
                else:
                    if status != code:
                        problems.append(f"exit {status}, expected {code}")
                    if where not in said:
                        problems.append(f"does not name {where}")
                    if words not in said:
                        problems.append(f"does not say '{words}'")
                    if stream == "err" and out:
                        problems.append("printed a partial report on standard output")
                if problems:
                    failures.append(f"{name} ({label}): " + "; ".join(problems) +
                                    f"\n  stdout: {out[:400]!r}\n  stderr: {err[:400]!r}")
    print(f"{len(policies)} hostile policies; slowest run {slowest:.2f} s")
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
