#!/usr/bin/python3
"""Writes the generated part of policies/lib/azure_roles.lua: every Azure built-in role, keyed by
its role definition ID (a GUID that never changes, unlike the names), whether Microsoft's partner
earned credit (PEC) page lists it as eligible, and whether it has DataActions (Azure Lighthouse
cannot delegate such a role).

Usage:
  tools/build_azure_roles.py --pec-page PEC.md --roles ROLES [--former-roles ROLES ...]
                             --pec-source TEXT --roles-source TEXT [--former-roles-source TEXT]
                             [-o policies/lib/azure_roles.lua]

  PEC.md   Microsoft's page "Roles and permissions required to earn partner earned credit"
           (learn.microsoft.com/partner-center/billing/azure-roles-perms-pec) as Markdown: its
           first table whose header names "PEC", one row per role (name | description | Yes/No).
           A bilingual copy of a localised docs repository (<span class="sxs-lookup">English
           </span> in each cell) is read for its English text.
  ROLES    the built-in role definitions as `az role definition list` gives them: a JSON file
           holding that array, or a directory of one JSON file per role (the layout of the
           public repository easimon/azure-builtin-roles, directory azure-roles/). Custom roles
           (roleType other than BuiltInRole) are skipped.
  --former-roles  an older snapshot of the same kind, read only for the names roles had then:
           the PEC page still uses some of them (e.g. "Managed Applications Reader", renamed
           "Managed Application Publisher Operator" under the same GUID).
  --pec-source, --roles-source, --former-roles-source  where each input came from (URL,
           repository, commit, date), copied into the file header.

Role names are trimmed. A role name of the PEC page is matched, case-insensitively, with (1) a current role name, then (2)
a former name, then (3) the same two with a trailing "(Preview)" removed. A name that matches no
role, or two rows naming one role, stop the script (exit 1) without writing anything.

The output replaces everything between the lines "-- BEGIN GENERATED" and "-- END GENERATED" of
the Lua file (-o, default policies/lib/azure_roles.lua; "-" prints the block), and leaves the
hand-written lookup functions after it alone. The last line printed gives the counts.

How the shipped table was made (nothing fetched is kept in the repository):
  git -C partner-center-pr.de-de show \\
      40ccbae8649a36e003b5f291c4eb5f50d33fe841:partner-center/azure-roles-perms-pec.md > pec.md
  git -C azure-builtin-roles archive db0b2258505032bd004bc356dd3eec87250d5b99 azure-roles | tar -x -C now
  git -C azure-builtin-roles archive 171e2d3114353dea7502fa31c022f9abbb461260 azure-roles | tar -x -C old
  tools/build_azure_roles.py --pec-page pec.md --roles now/azure-roles --former-roles old/azure-roles \\
      --pec-source "..." --roles-source "..." --former-roles-source "..."   (the texts in the header)
"""
import argparse
import html
import json
import pathlib
import re
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN = "-- BEGIN GENERATED"
END = "-- END GENERATED"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class InputError(Exception):
    pass


def cell_text(cell):
    """A table cell's text: the English of a bilingual (sxs) cell, else the cell itself."""
    english = re.findall(r'<span class="sxs-lookup"><span data-stu-id="[^"]*">(.*?)</span></span>', cell)
    text = " ".join(english) if english else cell
    return html.unescape(re.sub(r"\s+", " ", text)).strip()


def pec_rows(path):
    """[(role name, eligible)] of the first table whose header names PEC, in page order."""
    rows, header, in_table = [], None, False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = [cell_text(c) for c in line.strip().strip("|").split("|")] if "|" in line else None
        if not in_table:
            if cells and re.match(r"^\|?\s*:?-{3,}", line.strip()) and header:
                in_table = True
            elif cells and any("PEC" in c for c in cells):
                header = cells
            else:
                header = None
            continue
        if cells is None or line.startswith("#"):
            break
        if len(cells) != 3:
            raise InputError(f"{path}:{number}: expected 3 cells (role | description | PEC eligible), got {len(cells)}")
        answer = cells[2].strip("* ").lower()
        if answer not in ("yes", "no"):
            raise InputError(f"{path}:{number}: PEC eligible must be Yes or No, not {cells[2]!r}")
        rows.append((cells[0].strip("* "), answer == "yes", number))
    if not rows:
        raise InputError(f"{path}: no table with a PEC column")
    return rows


def role_definitions(path):
    """{guid: definition} of the built-in roles in a JSON array file or a directory of files."""
    if path.is_dir():
        items = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(path.glob("*.json"))]
    else:
        items = json.loads(path.read_text(encoding="utf-8"))
    roles, names = {}, {}
    for item in items:
        if item.get("roleType") != "BuiltInRole":
            continue
        guid = item["name"].lower()
        if not GUID.match(guid):
            raise InputError(f"{path}: role {item.get('roleName')!r} has no GUID name: {item['name']!r}")
        # Names are compared trimmed and case-insensitively (one role name ends with a space).
        item = dict(item, roleName=item["roleName"].strip())
        other = names.setdefault(item["roleName"].lower(), guid)
        if other != guid:
            raise InputError(f"{path}: {item['roleName']!r} names two roles, {other} and {guid}")
        roles[guid] = item
    if not roles:
        raise InputError(f"{path}: no built-in role definitions")
    return roles


def has_data_actions(definition):
    return any(p.get("dataActions") for p in definition.get("permissions", []))


def resolve(rows, current, former):
    """{guid: (eligible, name on the PEC page)} for the PEC page's rows."""
    by_name = {d["roleName"].lower(): guid for guid, d in current.items()}
    by_former = {}
    for snapshot in former:
        for guid, d in snapshot.items():
            by_former.setdefault(d["roleName"].lower(), guid)
    listed, problems = {}, []
    for name, eligible, line in rows:
        guid = None
        for candidate in (name, re.sub(r"\s*\(preview\)$", "", name, flags=re.IGNORECASE)):
            guid = by_name.get(candidate.lower()) or by_former.get(candidate.lower())
            if guid:
                break
        if guid is None:
            problems.append(f"line {line}: {name!r} is no built-in role, now or in a former snapshot")
        elif guid not in current:
            problems.append(f"line {line}: {name!r} ({guid}) is no longer a built-in role")
        elif guid in listed:
            problems.append(f"line {line}: {name!r} names {current[guid]['roleName']!r} a second time")
        else:
            listed[guid] = (eligible, name)
    if problems:
        raise InputError("PEC page rows that match no current role:\n  " + "\n  ".join(problems))
    return listed


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generated_block(current, listed, sources):
    """The Lua text between BEGIN and END (both lines included), and the counts."""
    eligible = sum(1 for e, _ in listed.values() if e)
    data = sum(1 for d in current.values() if has_data_actions(d))
    counts = {
        "roles": len(current),
        "listed": len(listed),
        "eligible": eligible,
        "listed_not_eligible": len(listed) - eligible,
        "not_eligible": len(current) - eligible,
        "data_actions": data,
        "eligible_with_data_actions": sum(1 for g, (e, _) in listed.items() if e and has_data_actions(current[g])),
    }
    out = [BEGIN + " by tools/build_azure_roles.py; edit the sources or the script, not this block.",
           "--",
           "-- Sources:"]
    for label, text in sources:
        if text:
            out += textwrap.wrap(f"{label}: {text}", 100, initial_indent="--   ", subsequent_indent="--     ",
                                 break_long_words=False, break_on_hyphens=False)
    out += [
        "--",
        f"-- {counts['roles']} built-in roles; the PEC page lists {counts['listed']}: {counts['eligible']} eligible, "
        f"{counts['listed_not_eligible']} not;",
        f"-- {counts['data_actions']} roles have DataActions ({counts['eligible_with_data_actions']} of them "
        "listed as PEC-eligible).",
        "--",
        "-- One row per role, sorted by name: { role definition ID, name, PEC page verdict (\"yes\", \"no\", or",
        "-- false when the page does not list the role), has DataActions, name on the PEC page when it differs }.",
        "local ROLES = {",
    ]
    for guid, d in sorted(current.items(), key=lambda item: (item[1]["roleName"].lower(), item[0])):
        verdict = "false"
        page_name = None
        if guid in listed:
            eligible, page_name = listed[guid]
            verdict = '"yes"' if eligible else '"no"'
        row = f"  {{ {lua_string(guid)}, {lua_string(d['roleName'])}, {verdict}, {str(has_data_actions(d)).lower()}"
        if page_name is not None and page_name.lower() != d["roleName"].lower():
            row += f", {lua_string(page_name)}"
        out.append(row + " },")
    out += ["}", END]
    return "\n".join(out) + "\n", counts


def write(output, block):
    if str(output) == "-":
        sys.stdout.write(block)
        return
    text = output.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise InputError(f"{output}: no '{BEGIN}' ... '{END}' block to replace")
    end = text.index("\n", end) + 1
    output.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pec-page", type=pathlib.Path, required=True)
    parser.add_argument("--roles", type=pathlib.Path, required=True)
    parser.add_argument("--former-roles", type=pathlib.Path, action="append", default=[])
    parser.add_argument("--pec-source", required=True)
    parser.add_argument("--roles-source", required=True)
    parser.add_argument("--former-roles-source", default="")
    parser.add_argument("-o", "--output", type=pathlib.Path, default=ROOT / "policies/lib/azure_roles.lua")
    args = parser.parse_args(argv)
    try:
        current = role_definitions(args.roles)
        former = [role_definitions(p) for p in args.former_roles]
        listed = resolve(pec_rows(args.pec_page), current, former)
        block, counts = generated_block(current, listed, [
            ("PEC eligibility", args.pec_source),
            ("role definitions (IDs, names, DataActions)", args.roles_source),
            ("former role names", args.former_roles_source),
        ])
        write(args.output, block)
    except (InputError, OSError, json.JSONDecodeError, KeyError) as error:
        print(f"build_azure_roles.py: {error}", file=sys.stderr)
        return 1
    print(", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
