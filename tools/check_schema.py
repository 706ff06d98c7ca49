#!/usr/bin/python3
"""Checks schemas/partner-state.schema.json and the fixtures against it.

Run from anywhere with Debian's interpreter (it needs python3-jsonschema, 4.10 or later):

    /usr/bin/python3 tools/check_schema.py

What it checks, one output line per item:
  * the schema is a valid JSON Schema 2020-12 document (Draft202012Validator.check_schema), and
    uses only keywords that mean the same in draft 7 (the C++ host's valijson) and 2020-12;
  * every fixtures/examples/*.json, fixtures/valid/*.json and fixtures/contradictory/*.json
    file is valid (a contradictory fixture is refused by the host's consistency checks, which
    a schema cannot express, not by the schema);
  * every fixtures/invalid/NAME.json file is invalid, and the set of JSON pointers of its errors
    equals the set listed, one per line, in fixtures/invalid/NAME.expected.

A pointer is the instance location the validator reports for an error ("/" + the path segments
joined by "/", with "~" and "/" in a segment escaped as "~0" and "~1"), so the document root is
written "/". A missing required property or an unknown property is reported at the object that
holds it (e.g. /users/1), not at the property.

fixtures/broken/ holds inputs that are not schema problems (malformed JSON, dangling
references, duplicate ids, bad e-mail addresses); the C++ host tests them, this script does not.
fixtures/contradictory/ holds schema-valid states whose fields contradict each other; the C++
host refuses them (tests/partner_state_test.cc), this script checks they are schema-valid.

The last line is "N passed, M failed"; the exit status is 1 when anything failed.
"""

import datetime
import json
import pathlib
import sys

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schemas" / "partner-state.schema.json"
FIXTURES = ROOT / "fixtures"

# Keywords with the same meaning in draft 7 and 2020-12 (see the schema's description).
ALLOWED_KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "title", "description", "default",
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "minimum", "maximum", "minLength", "maxLength", "minItems", "format",
}


def strict_date(instance):
    """RFC 3339 full-date: exactly YYYY-MM-DD and a real calendar day.

    Python 3.11's date.fromisoformat (what jsonschema 4.10 uses) also accepts "20261123" and
    "2026-W47-1", which are not RFC 3339 dates; the C++ host accepts only YYYY-MM-DD.
    """
    if not isinstance(instance, str):
        return True
    if len(instance) != 10 or instance[4] != "-" or instance[7] != "-":
        raise ValueError("not YYYY-MM-DD")
    digits = instance[0:4] + instance[5:7] + instance[8:10]
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError("not YYYY-MM-DD")
    datetime.date(int(instance[0:4]), int(instance[5:7]), int(instance[8:10]))
    return True


def format_checker():
    checker = FormatChecker()
    checker.checks("date", raises=ValueError)(strict_date)
    return checker


def reject_duplicate_keys(pairs):
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError("duplicate key %r" % key)
        seen.add(key)
    return dict(pairs)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=reject_duplicate_keys)


def pointer(path):
    return "/" + "/".join(
        str(part).replace("~", "~0").replace("/", "~1") for part in path)


def lint_schema(node, where, problems):
    """Keeps the schema inside the draft-7/2020-12 common subset the host relies on."""
    if not isinstance(node, dict):
        problems.append("%s: a schema must be an object" % where)
        return
    for key in node:
        if key not in ALLOWED_KEYWORDS:
            problems.append("%s: keyword %r is not allowed" % (where, key))
    if "$ref" in node:
        extra = set(node) - {"$ref", "description", "title"}
        if extra:
            # Draft 7 ignores every keyword next to $ref.
            problems.append("%s: %s next to $ref is ignored by draft 7" %
                            (where, ", ".join(sorted(extra))))
        if not node["$ref"].startswith("#/$defs/"):
            problems.append("%s: $ref must point into #/$defs/" % where)
    types = node.get("type")
    if types == "object":
        if node.get("additionalProperties") is not False:
            problems.append("%s: objects must set additionalProperties: false" % where)
    if types == "string" and "maxLength" not in node and "enum" not in node \
            and "const" not in node:
        problems.append("%s: strings need a maxLength" % where)
    if "format" in node and node["format"] != "date":
        problems.append("%s: only format \"date\" is allowed" % where)
    for name, sub in node.get("properties", {}).items():
        if not isinstance(sub, dict) or "description" not in sub:
            problems.append("%s/properties/%s: property needs a description" % (where, name))
        lint_schema(sub, "%s/properties/%s" % (where, name), problems)
    for name, sub in node.get("$defs", {}).items():
        lint_schema(sub, "%s/$defs/%s" % (where, name), problems)
    if "items" in node:
        lint_schema(node["items"], where + "/items", problems)
    if isinstance(node.get("additionalProperties"), dict):
        lint_schema(node["additionalProperties"], where + "/additionalProperties", problems)


def describe(errors, limit=5):
    parts = ["%s: %s" % (pointer(e.absolute_path), e.message) for e in errors[:limit]]
    if len(errors) > limit:
        parts.append("(%d more)" % (len(errors) - limit))
    return "; ".join(parts)


def rel(path):
    return path.relative_to(ROOT).as_posix()


def main():
    passed = 0
    failed = 0

    def report(ok, name, detail):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        print("%s %s: %s" % ("ok  " if ok else "FAIL", name, detail))

    try:
        schema = load_json(SCHEMA_PATH)
        Draft202012Validator.check_schema(schema)
        problems = []
        lint_schema(schema, "#", problems)
        if problems:
            report(False, rel(SCHEMA_PATH), "; ".join(problems))
        else:
            report(True, rel(SCHEMA_PATH), "valid 2020-12 schema, draft-7 compatible keywords")
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        report(False, rel(SCHEMA_PATH), str(e).splitlines()[0])
        print("%d passed, %d failed" % (passed, failed))
        return 1

    validator = Draft202012Validator(schema, format_checker=format_checker())

    def errors_of(path):
        document = load_json(path)
        return sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))

    for folder in ("examples", "valid", "contradictory"):
        files = sorted((FIXTURES / folder).glob("*.json"))
        if not files:
            report(False, "fixtures/" + folder, "no fixtures found")
        for path in files:
            try:
                errors = errors_of(path)
            except (OSError, ValueError) as e:
                report(False, rel(path), "cannot read: %s" % e)
                continue
            if errors:
                report(False, rel(path), describe(errors))
            else:
                report(True, rel(path), "valid")

    invalid = sorted((FIXTURES / "invalid").glob("*.json"))
    if not invalid:
        report(False, "fixtures/invalid", "no fixtures found")
    for path in invalid:
        expected_path = path.with_suffix(".expected")
        try:
            expected = {line.strip() for line in
                        expected_path.read_text(encoding="utf-8").splitlines() if line.strip()}
            errors = errors_of(path)
        except (OSError, ValueError) as e:
            report(False, rel(path), "cannot read: %s" % e)
            continue
        actual = {pointer(e.absolute_path) for e in errors}
        if not errors:
            report(False, rel(path), "valid, but should be invalid at %s" %
                   ", ".join(sorted(expected)))
        elif actual != expected:
            report(False, rel(path), "errors at %s, expected at %s (%s)" % (
                ", ".join(sorted(actual)), ", ".join(sorted(expected)), describe(errors)))
        else:
            report(True, rel(path), "invalid at %s" % ", ".join(sorted(actual)))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
