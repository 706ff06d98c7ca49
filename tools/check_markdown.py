#!/usr/bin/env python3
"""Checks that the project's Markdown files are still Markdown.

Usage: tools/check_markdown.py [FILE...]   (default: *.md and */*.md of the source tree)

A formatter run over the tree once rewrote docs/architecture.md in C++ layout ("#Architecture",
"decides(`evaluator /`,") and nothing noticed. Each file must open with a "# Title" heading,
have its code fences paired, and have no heading glued to its '#' ("#Title").
"""
import glob
import os
import re
import sys


def problems_of(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    found = []
    first = next((line for line in lines if line.strip()), "")
    if not first.startswith("# "):
        found.append(f"{path}:1: does not open with a '# Title' heading")
    fences = 0
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            fences += 1
        elif fences % 2 == 0 and re.match(r"^#{1,6}[^#\s!]", line):
            found.append(f"{path}:{number}: heading without a space after '#': {line[:40]}")
    if fences % 2:
        found.append(f"{path}: a code fence (```) is not closed")
    return found


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = sys.argv[1:] or sorted(
        path for path in glob.glob(os.path.join(root, "*.md")) + glob.glob(os.path.join(root, "*", "*.md"))
        if not os.path.relpath(path, root).startswith(("build", "node_modules")))
    found = [problem for path in files for problem in problems_of(path)]
    for problem in found:
        print(problem)
    print(f"{len(files)} Markdown files: {'ok' if not found else str(len(found)) + ' problems'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
