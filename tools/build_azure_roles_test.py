#!/usr/bin/python3
"""Tests tools/build_azure_roles.py on small made-up inputs, and the shipped table's block for
what the sources say of Owner, Contributor and Reader. Run by ctest; prints "N passed, M failed".
"""
import io
import json
import pathlib
import re
import sys
import tempfile
import unittest
from contextlib import redirect_stderr

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build_azure_roles  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
RENAMED = "b9331d33-8a36-4f8c-b097-4f54124fdb44"
PREVIEW = "423170ca-a8f6-4b0f-8487-9e4eb8f49bfa"
BLOB = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"


def definition(guid, name, data_actions=(), role_type="BuiltInRole"):
    return {"name": guid, "roleName": name, "roleType": role_type,
            "permissions": [{"actions": ["*/read"], "dataActions": list(data_actions)}]}


CURRENT = [
    definition(OWNER, "Owner"),
    definition(CONTRIBUTOR, "Contributor"),
    definition(READER, "Reader"),
    definition(RENAMED, "Managed Application Publisher Operator"),
    definition(PREVIEW, "Azure Maps Data Reader", ["Microsoft.Maps/accounts/data/read"]),
    definition(BLOB, "Storage Blob Data Owner ", ["Microsoft.Storage/x/blobs/*"]),
    definition("11111111-2222-3333-4444-555555555555", "Contoso Ops", role_type="CustomRole"),
]
FORMER = [definition(RENAMED, "Managed Applications Reader")]


def sxs(local, english):
    return (f'<span data-ttu-id="x-1">{local}</span><span class="sxs-lookup">'
            f'<span data-stu-id="x-1">{english}</span></span>')


BILINGUAL = "\n".join([
    "# Rollen", "",
    f"|{sxs('**Rolle**', '**Role**')}|{sxs('**Beschreibung**', '**Description**')}|"
    f"{sxs('**PEC berechtigt**', '**PEC eligible**')}|",
    "|-----------------|:------------------|:--------------|",
    f"|{sxs('Besitzer', 'Owner')}|{sxs('Alles', 'Everything')}|{sxs('Ja', 'Yes')}|",
    f"|{sxs('Leser', 'Reader')}|{sxs('Lesen', 'Read')}|{sxs('Nein', 'No')}|",
    f"{sxs('Lesen verwaltet', 'Managed Applications Reader')} | {sxs('x', 'x')} | {sxs('Nein', 'No')} |",
    f"{sxs('Karten', 'Azure Maps Data Reader (Preview)')} | {sxs('x', 'x')} | {sxs('Nein', 'No')} |",
    f"{sxs('Blob', 'storage blob data owner')} | {sxs('x', 'x')} | {sxs('Ja', 'Yes')} |",
    "", "## Next steps",
])

LUA = "-- head\n-- BEGIN GENERATED\nold\n-- END GENERATED\nlocal tail = 1\n"


class GeneratorTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = pathlib.Path(self.dir.name)
        (self.path / "now").mkdir()
        for i, d in enumerate(CURRENT):
            (self.path / "now" / f"{i}.json").write_text(json.dumps(d))
        (self.path / "old.json").write_text(json.dumps(FORMER))
        (self.path / "pec.md").write_text(BILINGUAL)
        (self.path / "roles.lua").write_text(LUA)

    def tearDown(self):
        self.dir.cleanup()

    def run_script(self, *extra, page="pec.md"):
        err = io.StringIO()
        with redirect_stderr(err):
            code = build_azure_roles.main([
                "--pec-page", str(self.path / page), "--roles", str(self.path / "now"),
                "--former-roles", str(self.path / "old.json"), "--pec-source", "the PEC page",
                "--roles-source", "role definitions", "-o", str(self.path / "roles.lua"), *extra])
        return code, err.getvalue(), (self.path / "roles.lua").read_text()

    def test_rows_keyed_by_id_with_verdict_data_actions_and_page_name(self):
        code, err, lua = self.run_script()
        self.assertEqual(code, 0, err)
        self.assertTrue(lua.startswith("-- head\n-- BEGIN GENERATED"))
        self.assertTrue(lua.endswith("-- END GENERATED\nlocal tail = 1\n"))
        self.assertNotIn("old\n", lua)
        self.assertIn("--   PEC eligibility: the PEC page", lua)
        self.assertIn(f'{{ "{OWNER}", "Owner", "yes", false }},', lua)
        self.assertIn(f'{{ "{CONTRIBUTOR}", "Contributor", false, false }},', lua)  # not on the page
        self.assertIn(f'{{ "{READER}", "Reader", "no", false }},', lua)
        # A former name and a "(Preview)" suffix find the role; the page's name is kept.
        self.assertIn(f'"Managed Application Publisher Operator", "no", false, "Managed Applications Reader" }}', lua)
        self.assertIn(f'"Azure Maps Data Reader", "no", true, "Azure Maps Data Reader (Preview)" }}', lua)
        # Names are trimmed, a case-only difference is no other name, custom roles are left out.
        self.assertIn(f'{{ "{BLOB}", "Storage Blob Data Owner", "yes", true }},', lua)
        self.assertNotIn("Contoso Ops", lua)
        self.assertIn("-- 6 built-in roles; the PEC page lists 5: 2 eligible, 3 not;", lua)
        self.assertIn("roles 6, listed 5, eligible 2", err)

    def test_a_plain_english_table_reads_the_same(self):
        plain = "| Role | Description | PEC eligible |\n|---|---|---|\n| Owner | all | Yes |\n| Reader | read | No |\n"
        (self.path / "plain.md").write_text(plain)
        code, err, lua = self.run_script(page="plain.md")
        self.assertEqual(code, 0, err)
        self.assertIn("the PEC page lists 2: 1 eligible, 1 not;", lua)

    def test_a_name_of_no_role_writes_nothing(self):
        (self.path / "bad.md").write_text("| Role | x | PEC eligible |\n|---|---|---|\n| Ownr | x | Yes |\n")
        code, err, lua = self.run_script(page="bad.md")
        self.assertEqual(code, 1)
        self.assertIn("'Ownr' is no built-in role", err)
        self.assertEqual(lua, LUA)

    def test_an_answer_other_than_yes_or_no_is_an_error(self):
        (self.path / "bad.md").write_text("| Role | x | PEC eligible |\n|---|---|---|\n| Owner | x | Maybe |\n")
        code, err, _ = self.run_script(page="bad.md")
        self.assertEqual(code, 1)
        self.assertIn("bad.md:3: PEC eligible must be Yes or No", err)

    def test_two_rows_for_one_role_are_an_error(self):
        (self.path / "bad.md").write_text("| Role | x | PEC eligible |\n|---|---|---|\n| Owner | x | Yes |\n| owner | x | Yes |\n")
        code, err, _ = self.run_script(page="bad.md")
        self.assertEqual(code, 1)
        self.assertIn("names 'Owner' a second time", err)


class ShippedTableTest(unittest.TestCase):
    """The generated block of policies/lib/azure_roles.lua agrees with its header and sources."""

    def test_known_roles_and_counts(self):
        lua = (ROOT / "policies/lib/azure_roles.lua").read_text()
        rows = re.findall(r'^  \{ "([0-9a-f-]{36})", "([^"]*)", ("yes"|"no"|false), (true|false)', lua, re.M)
        by_id = {r[0]: r for r in rows}
        self.assertEqual(by_id[OWNER][1:], ("Owner", '"yes"', "false"))
        self.assertEqual(by_id[CONTRIBUTOR][1:], ("Contributor", '"yes"', "false"))
        self.assertEqual(by_id[READER][1:], ("Reader", '"no"', "false"))
        self.assertEqual(len(by_id), len(rows))
        header = re.search(r"-- (\d+) built-in roles; the PEC page lists (\d+): (\d+) eligible, (\d+) not;", lua)
        self.assertIsNotNone(header)
        self.assertEqual(int(header.group(1)), len(rows))
        listed = [r for r in rows if r[2] != "false"]
        self.assertEqual(int(header.group(2)), len(listed))
        self.assertEqual(int(header.group(3)), sum(1 for r in listed if r[2] == '"yes"'))
        self.assertEqual(int(header.group(4)), sum(1 for r in listed if r[2] == '"no"'))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
