#!/usr/bin/python3
"""Writes policies/lib/free_mail_domains.lua: the consumer free-mail domains that
credits.free-domain-ban denies Azure credits to, from the free list of the npm package freemail
(data/free.txt, ISC licence). Only the free list: the package's disposable.txt (throw-away
address services) is a different question and is never read.

Usage: tools/free_mail_domains.py [--version V] [--package FILE.tgz|DIR] [-o OUTPUT] [--date D]
  --version V   the freemail version to fetch with `npm pack` (default: the newest)
  --package P   use an npm tarball or an unpacked package directory instead (no registry)
  -o OUTPUT     default policies/lib/free_mail_domains.lua; "-" prints to standard output
  --date D      the generation date written in the header (default: today, YYYY-MM-DD)

The package is fetched into a temporary directory with `npm pack` (no install, no install
scripts, nothing in the repository). Each line of free.txt is trimmed and lower-cased; a line
that is not a domain name (letters, digits and hyphens in dot-separated labels, at least two
labels) is dropped and named in the header, as is a duplicate. Compliance teams extend or
override the list in policies.toml (credits.free-domain-ban: free_domains, allowed_domains),
never by editing the generated file.
"""
import argparse
import datetime
import json
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = "freemail"
# Only these characters, so no entry can end a Lua long string ("]]") or hold a line break.
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN = re.compile(rf"^{LABEL}(?:\.{LABEL})+$")


class Package:
    """What the generator reads from one freemail package."""

    def __init__(self, manifest, free_text, licence_text, integrity):
        self.name = manifest.get("name", PACKAGE)
        self.version = manifest["version"]
        self.licence = manifest.get("license", "")
        self.free_text = free_text
        self.licence_text = licence_text
        self.integrity = integrity


def read_directory(directory, integrity=""):
    directory = pathlib.Path(directory)

    def text(name):
        path = directory / name
        return path.read_text(encoding="utf-8") if path.exists() else None

    return make_package(text, integrity)


def read_tarball(path, integrity=""):
    """Reads the three files from an npm tarball without unpacking it (no paths are written)."""
    with tarfile.open(path) as tar:

        def text(name):
            try:
                member = tar.getmember("package/" + name)
            except KeyError:
                return None
            return tar.extractfile(member).read().decode("utf-8") if member.isfile() else None

        return make_package(text, integrity)


def make_package(text, integrity):
    manifest, free = text("package.json"), text("data/free.txt")
    if manifest is None or free is None:
        sys.exit("not a freemail package: package.json or data/free.txt is missing")
    return Package(json.loads(manifest), free, text("LICENSE") or "", integrity)


def fetch(version):
    """Packs freemail from the npm registry into a temporary directory and reads it."""
    spec = PACKAGE if version is None else f"{PACKAGE}@{version}"
    with tempfile.TemporaryDirectory() as temp:
        out = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", temp],
                             cwd=temp, check=True, capture_output=True, text=True).stdout
        packed = json.loads(out)[0]
        return read_tarball(pathlib.Path(temp) / packed["filename"], packed.get("integrity", ""))


def domains_of(free_text):
    """(sorted unique domains, dropped lines) of free.txt."""
    kept, dropped = set(), []
    for raw in free_text.splitlines():
        line = raw.strip().lower()
        if not line:
            continue
        if DOMAIN.match(line) and len(line) <= 253:
            if line in kept:
                dropped.append(f"{line} (duplicate)")
            kept.add(line)
        else:
            dropped.append(line)
    return sorted(kept), dropped


def lua_string(text):
    return json.dumps(text, ensure_ascii=True)  # a JSON string is a valid Lua string here


def wrap_comment(words, width=100):
    """Comment lines of at most `width` characters, never breaking inside a word."""
    lines, line = [], "--"
    for word in words:
        if len(line) + 1 + len(word) > width and line != "--":
            lines.append(line)
            line = "--"
        line += " " + word
    return lines + [line]


def render(package, date):
    domains, dropped = domains_of(package.free_text)
    out = [
        "-- policies/lib/free_mail_domains.lua: consumer free-mail domains (GENERATED: do not edit;",
        "-- run tools/free_mail_domains.py). Policies read it as lib.free_mail_domains (read-only).",
        "--",
        f"-- Source: the npm package {package.name} {package.version}, data/free.txt only (never its",
        "-- disposable list), licence " + (package.licence or "not stated") + ".",
    ]
    if package.integrity:
        out.append(f"-- Package integrity: {package.integrity}")
    out += [
        f"-- Generated {date} by tools/free_mail_domains.py: {len(domains)} domains, trimmed and",
        "-- lower-cased.",
    ]
    words = "Lines of free.txt dropped as not domain names or repeated:".split()
    words += [lua_string(d) + "," for d in dropped] or ["none,"]
    words[-1] = words[-1][:-1] + "."
    out += wrap_comment(words)
    out.append("-- Extend or override the list in policies.toml (credits.free-domain-ban), not here.")
    if package.licence_text.strip():
        out.append("--")
        out.append(f"-- The package's licence ({package.licence}):")
        out += [("-- " + line).rstrip() for line in package.licence_text.strip().splitlines()]
    out += [
        "",
        "return {",
        f"  package = {lua_string(package.name)},",
        f"  version = {lua_string(package.version)},",
        f"  licence = {lua_string(package.licence)},",
        f"  count = {len(domains)},",
        "  -- The domains (lower case) by their first character, one a line in a long string that",
        "  -- starts and ends with a line break, so a whole entry is found with a plain",
        "  -- string.find(by_first[c], \"\\n\" .. domain .. \"\\n\", 1, true). Strings, not a table",
        "  -- per domain: the compiler, the loader and the coverage line hook see a few dozen",
        "  -- constants instead of thousands of lines.",
        "  by_first = {",
    ]
    buckets = {}
    for d in domains:
        buckets.setdefault(d[0], []).append(d)
    for first in sorted(buckets):
        # "[[" followed by a line break drops that break, so an empty line gives the leading one.
        out.append(f"    [{lua_string(first)}] = [[")
        out.append("")
        out += buckets[first]
        out.append("]],")
    out += ["  },", "}", ""]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", help="freemail version to fetch (default: the newest)")
    parser.add_argument("--package", help="an npm tarball or unpacked package directory")
    parser.add_argument("-o", "--output", default=str(ROOT / "policies/lib/free_mail_domains.lua"))
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args()
    if args.package is not None:
        path = pathlib.Path(args.package)
        package = read_directory(path) if path.is_dir() else read_tarball(path)
    else:
        package = fetch(args.version)
    text = render(package, args.date)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        pathlib.Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}: {package.name} {package.version}", file=sys.stderr)


if __name__ == "__main__":
    main()
