#!/usr/bin/python3
"""No source file of the library (include/, evaluator/) or the CLI is over 600 lines.

A file that long holds more than one job (issue 19 found a runtime of 1,373 lines doing six);
past the limit, split it by job, as evaluator/lua/ is split (docs/architecture.md). Prints each
file over the limit with its line count and exits 1 when there is one.

Usage: tools/check_file_sizes.py [SOURCE_DIR] [LIMIT]   (defaults: this repository, 600)
"""
import pathlib
import sys

ROOTS = ("include", "evaluator", "cli")


def main() -> int:
    top = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    over = []
    largest = (0, "")
    files = 0
    for root in ROOTS:
        if not (top / root).is_dir():
            continue
        for source in sorted((top / root).rglob("*")):
            if source.suffix not in (".h", ".cc"):
                continue
            files += 1
            count = len(source.read_text(encoding="utf-8").splitlines())
            largest = max(largest, (count, str(source.relative_to(top))))
            if count > limit:
                over.append((count, source.relative_to(top)))
    for count, path in over:
        print(f"{path}: {count} lines, over the limit of {limit}: split it by job")
    print(f"{files} files in {', '.join(ROOTS)}; the largest is {largest[1]} ({largest[0]} lines)")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
