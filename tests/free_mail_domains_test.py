#!/usr/bin/python3
"""Checks credits.free-domain-ban against the domains of the major free-mail providers.

Usage: tests/free_mail_domains_test.py PARTNERPOLICY   (run from the source directory; ctest does)

1. Every major provider's consumer domains, country variants included, are banned by the bundled
   policies (the npm list in policies/lib/free_mail_domains.lua plus policies.toml free_domains),
   in any letter case, and the message names the list the entry is in; company domains that
   merely contain a provider's name stay allowed. The cases run through `partnerpolicy test` on a
   copy of policies/ whose only test file is written here, so the real rule and settings decide.
2. policies/lib/free_mail_domains.lua is exactly what tools/free_mail_domains.py writes (no hand
   edits): its domains, fed back through the generator, give the same file body.
3. The generator keeps only the free list, drops lines that are not domain names, and records
   the package's name, version, licence and the date.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIB = ROOT / "policies/lib/free_mail_domains.lua"
GENERATOR = ROOT / "tools/free_mail_domains.py"
RULE = "credits.free-domain-ban"

# Consumer domains of the major providers. Each must be banned; the ones the npm list lacks are in
# policies.toml free_domains.
MAJOR = {
    "Microsoft": [
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es",
        "hotmail.nl", "hotmail.be", "hotmail.ca", "hotmail.ch", "hotmail.no", "hotmail.se",
        "hotmail.dk", "hotmail.fi", "hotmail.gr", "hotmail.cl", "hotmail.com.br", "hotmail.com.ar",
        "hotmail.com.au", "hotmail.com.tr", "hotmail.co.jp", "hotmail.co.kr", "hotmail.co.th",
        "hotmail.co.il", "hotmail.co.nz",
        "live.com", "live.co.uk", "live.fr", "live.de", "live.it", "live.nl", "live.be", "live.ca",
        "live.at", "live.ie", "live.se", "live.dk", "live.no", "live.in", "live.jp", "live.cn",
        "live.hk", "live.ru", "live.cl", "live.co.kr", "live.co.za", "live.com.au", "live.com.mx",
        "live.com.ar", "live.com.pt", "live.com.sg", "live.com.my",
        "outlook.com", "outlook.de", "outlook.fr", "outlook.es", "outlook.it", "outlook.jp",
        "outlook.kr", "outlook.in", "outlook.ie", "outlook.be", "outlook.nl", "outlook.at",
        "outlook.dk", "outlook.pt", "outlook.sa", "outlook.cl", "outlook.hu", "outlook.cz",
        "outlook.sk", "outlook.sg", "outlook.my", "outlook.ph", "outlook.com.br",
        "outlook.com.au", "outlook.com.tr", "outlook.com.gr", "outlook.com.vn", "outlook.co.th",
        "outlook.co.id", "outlook.co.il", "outlook.co.nz",
        "msn.com", "windowslive.com",
    ],
    "Google": ["gmail.com", "googlemail.com"],
    "Yahoo": [
        "yahoo.com", "yahoo.co.uk", "yahoo.co.jp", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.es",
        "yahoo.ca", "yahoo.in", "yahoo.co.in", "yahoo.com.au", "yahoo.com.br", "yahoo.com.mx",
        "yahoo.com.ar", "yahoo.com.sg", "yahoo.com.hk", "yahoo.com.tw", "ymail.com",
        "rocketmail.com",
    ],
    "Apple": ["icloud.com", "me.com", "mac.com"],
    "AOL": ["aol.com", "aol.co.uk", "aol.fr", "aol.de", "aim.com"],
    "GMX / web.de / mail.com": [
        "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "gmx.fr", "gmx.co.uk", "web.de",
        "mail.com",
    ],
    "Proton": ["proton.me", "protonmail.com", "protonmail.ch", "pm.me"],
    "Yandex": ["yandex.ru", "yandex.com", "yandex.ua", "yandex.by", "yandex.kz", "ya.ru"],
    "Mail.ru": ["mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru"],
    "Tencent / NetEase / Sina / Sohu": [
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sohu.com",
    ],
    "Naver / Daum": ["naver.com", "hanmail.net", "daum.net"],
    "Zoho / Tuta / Fastmail": ["zoho.com", "tutanota.com", "tutanota.de", "tuta.io", "fastmail.com"],
    "Europe": [
        "libero.it", "virgilio.it", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net",
        "t-online.de", "freenet.de", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl",
    ],
    "India": ["rediffmail.com"],
}

# Company domains that merely contain a provider's name: never banned by default.
COMPANY = [
    "contoso.com", "gmail-consulting.com", "notgmail.com", "gmail.com.contoso.net",
    "hotmail.com.contoso.net", "mail.hotmail.com", "mylive.com", "outlook-partners.com",
    "yahoo-consulting.com", "icloud-solutions.com", "proton.contoso.com", "gmx-consulting.de",
]

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def lib_header():
    """(package, version, licence) as the data file states them."""
    text = LIB.read_text(encoding="utf-8")
    fields = {}
    for name in ("package", "version", "licence"):
        match = re.search(rf'^  {name} = "([^"]*)",$', text, re.M)
        fields[name] = match.group(1) if match else None
    return fields["package"], fields["version"], fields["licence"]


def lib_domains():
    """The domains of the data file, by first character, in file order."""
    text = LIB.read_text(encoding="utf-8")
    buckets = {}
    for first, body in re.findall(r'^    \["(.)"\] = \[\[\n(.*?)\]\],$', text, re.M | re.S):
        buckets[first] = body.split("\n")
    return buckets


def toml_free_domains():
    text = (ROOT / "policies/policies.toml").read_text(encoding="utf-8")
    section = text[text.index(f'[rules."{RULE}"]'):]
    body = re.search(r"^free_domains = \[(.*?)\]", section, re.M | re.S).group(1)
    return set(re.findall(r'"([^"]+)"', body))


def check_major_providers(binary):
    package, version, _ = lib_header()
    public = {d for entries in lib_domains().values() for d in entries if d}
    extra = toml_free_domains()
    cases = []

    def case(name, user, decision, verdict, message=None):
        expect = {"decision": decision, "verdicts": {RULE: verdict}}
        if message is not None:
            expect["messages"] = {RULE: message}
        cases.append({
            "name": name, "as_of": "2026-11-23",
            "state": str(ROOT / "fixtures/examples/contoso.json"),
            "action": "credit.assign", "actor": "alice",
            "arguments": {"credit": "MC-5", "user": user}, "expect": expect,
        })

    for provider, domains in MAJOR.items():
        for domain in domains:
            if domain in public:
                where = f"in the free-mail list from npm {package} {version}"
            elif domain in extra:
                where = "in policies.toml free_domains"
            else:
                fail(f"{provider}: {domain} is in neither the npm list nor policies.toml free_domains")
                continue
            message = (f"pat@{domain} uses the free e-mail domain {domain} ({where}); Azure credits "
                       "cannot be assigned to users of free e-mail services")
            case(f"{provider}: {domain}", f"pat@{domain}", "denied", "deny", message)
            case(f"{provider}: {domain.upper()}", f"Pat@{domain.upper()}", "denied", "deny")
    for domain in COMPANY:
        case(f"company domain {domain}", f"pat@{domain}", "allowed", "allow",
             f"pat@{domain} uses a company domain ({domain}), which Azure credits accept")
    # An open user: the condition names a few domains and the lists, not thousands of domains.
    open_case = {
        "name": "open user", "as_of": "2026-11-23",
        "state": str(ROOT / "fixtures/examples/contoso.json"),
        "action": "credit.assign", "actor": "alice", "arguments": {"credit": "MC-5"},
        "expect": {"decision": "allowed if", "messages": {RULE: (
            "the user must not have a free e-mail address: gmail.com, hotmail.com, live.com or any "
            f"other free-mail domain (list: {len(public)} domains from npm {package} {version} in "
            f"policies/lib/free_mail_domains.lua plus the {len(extra)} domains in policies.toml "
            "free_domains)")}},
    }
    cases.append(open_case)

    with tempfile.TemporaryDirectory() as temp:
        policies = pathlib.Path(temp) / "policies"
        shutil.copytree(ROOT / "policies", policies, ignore=shutil.ignore_patterns("*.test.json"))
        test_file = policies / "credits/free_domain_ban.test.json"
        test_file.write_text(json.dumps({"cases": cases}, indent=1), encoding="utf-8")
        run = subprocess.run([binary, "test", str(policies)], capture_output=True, text=True)
        if run.returncode != 0:
            fail("partnerpolicy test on the major providers' domains:\n" + run.stdout + run.stderr)
        elif f"{len(cases)} passed, 0 failed" not in run.stdout:
            fail(f"expected {len(cases)} passing cases:\n" + run.stdout)
    print(f"major providers: {sum(map(len, MAJOR.values()))} domains, {len(COMPANY)} company "
          f"domains, {len(cases)} cases")


def generate(package_dir, output, date):
    subprocess.run([sys.executable, str(GENERATOR), "--package", str(package_dir), "-o",
                    str(output), "--date", date], check=True, capture_output=True, text=True)
    return output.read_text(encoding="utf-8")


def fake_package(directory, version, licence, free_lines):
    (directory / "data").mkdir(parents=True)
    (directory / "package.json").write_text(
        json.dumps({"name": "freemail", "version": version, "license": licence}), encoding="utf-8")
    (directory / "LICENSE").write_text("Copyright (c) 2015, Someone\n\nPermission ...\n",
                                       encoding="utf-8")
    (directory / "data/free.txt").write_text("\n".join(free_lines), encoding="utf-8")
    (directory / "data/disposable.txt").write_text("mailinator.com\n", encoding="utf-8")


def check_generator():
    with tempfile.TemporaryDirectory() as temp:
        temp = pathlib.Path(temp)
        fake_package(temp / "pkg", "9.9.9", "ISC",
                     ["Gmail.com", "gmail.com", "404: not found", "", "  yahoo.co.jp  ", "1-2.example",
                      "nodot", "bad_label.com"])
        text = generate(temp / "pkg", temp / "out.lua", "2000-01-02")
        expected_lines = [
            "-- Source: the npm package freemail 9.9.9, data/free.txt only (never its",
            "-- disposable list), licence ISC.",
            "-- Generated 2000-01-02 by tools/free_mail_domains.py: 3 domains, trimmed and",
            '-- Lines of free.txt dropped as not domain names or repeated: "gmail.com (duplicate)",',
            '-- "404: not found", "nodot", "bad_label.com".',
            "-- Copyright (c) 2015, Someone",
            '  package = "freemail",', '  version = "9.9.9",', '  licence = "ISC",', "  count = 3,",
            '    ["1"] = [[', "1-2.example", '    ["g"] = [[', "gmail.com", '    ["y"] = [[',
            "yahoo.co.jp",
        ]
        for line in expected_lines:
            if line not in text.split("\n"):
                fail(f"generator output lacks the line {line!r}:\n{text}")
        if "mailinator" in text:
            fail("the generator read the disposable list")

        # The committed data file is the generator's output for its own domains.
        package, version, licence = lib_header()
        committed = LIB.read_text(encoding="utf-8")
        domains = [d for entries in lib_domains().values() for d in entries if d]
        if len(domains) != len(set(domains)) or domains != sorted(domains):
            fail("policies/lib/free_mail_domains.lua: domains are not sorted and unique")
        fake_package(temp / "again", version, licence, domains)
        again = generate(temp / "again", temp / "again.lua", "2000-01-02")
        body = committed[committed.index("\nreturn {"):]
        if again[again.index("\nreturn {"):] != body:
            fail("policies/lib/free_mail_domains.lua differs from what tools/free_mail_domains.py "
                 "writes for its domains: regenerate it instead of editing it")
        if not re.search(rf"^-- Source: the npm package {package} {re.escape(version)}, data/free.txt",
                         committed, re.M) or not re.search(
                             r"^-- Generated \d{4}-\d{2}-\d{2} by tools/free_mail_domains.py",
                             committed, re.M):
            fail("policies/lib/free_mail_domains.lua: the header lacks the source or the date")
        print(f"generator: ok; data file: {package} {version} ({licence}), {len(domains)} domains")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    check_major_providers(sys.argv[1])
    check_generator()
    if failures:
        print(f"0 passed, {len(failures)} failed")
        sys.exit(1)
    print("2 passed, 0 failed")


if __name__ == "__main__":
    main()
