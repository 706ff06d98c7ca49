#!/usr/bin/python3
"""cli/ includes only the library's public headers, and those name no third-party type.

The library's contract is include/partnerpolicy/ (docs/architecture.md, "Who may include what");
everything in evaluator/ is the library's own. Two checks:

  cli/        each #include "..." is a file of cli/ or a header of include/partnerpolicy/; each
              #include <...> is a standard or system header, CLI11, fmt or nlohmann_json (the
              libraries cli/ itself uses). Lua, toml++ and valijson are the library's business.
  include/partnerpolicy/
              each #include is a standard header or another public header, and the code (not
              the comments) names no third-party namespace or type: nlohmann, toml::, lua_State
              and the Lua C API, valijson, fmt::, CLI::.

Prints each violation as file:line: what and why, and exits 1 when there is one.

Usage: tools/check_public_headers.py [SOURCE_DIR]   (default: the repository this script is in)
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')

# The C++ standard library, and the C library under its C++ and its C names.
STD_HEADERS = set("""
algorithm any array atomic barrier bit bitset charconv chrono codecvt compare complex concepts
condition_variable coroutine deque exception execution expected filesystem format forward_list
fstream functional future initializer_list iomanip ios iosfwd iostream istream iterator latch
limits list locale map memory memory_resource mutex new numbers numeric optional ostream queue
random ranges ratio regex scoped_allocator semaphore set shared_mutex source_location span
sstream stack stdexcept stop_token streambuf string string_view syncstream system_error thread
tuple type_traits typeindex typeinfo unordered_map unordered_set utility valarray variant vector
version
cassert cctype cerrno cfenv cfloat cinttypes climits clocale cmath csetjmp csignal cstdarg
cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype
assert.h ctype.h errno.h fenv.h float.h inttypes.h limits.h locale.h math.h setjmp.h signal.h
stdarg.h stddef.h stdint.h stdio.h stdlib.h string.h time.h uchar.h wchar.h wctype.h
""".split())
# POSIX headers the program uses for processes, files and terminals.
SYSTEM_HEADERS = {"dirent.h", "fcntl.h", "glob.h", "poll.h", "spawn.h", "unistd.h"}
SYSTEM_PREFIXES = ("sys/",)
# The third-party libraries cli/ uses itself: flags, formatting, writing JSON.
CLI_LIBRARIES = ("CLI/", "fmt/", "nlohmann/")
# The library's third-party libraries, named for the message.
LIBRARY_ONLY = (
    (re.compile(r"^(lua\.hpp|lua\w*\.h|lauxlib\.h|lualib\.h)$"), "Lua"),
    (re.compile(r"^toml\+\+/"), "toml++"),
    (re.compile(r"^valijson/"), "valijson"),
)
# Third-party names a public header's code must not contain.
THIRD_PARTY_NAMES = re.compile(
    r"\b(nlohmann|toml\s*::|lua_State|lua_\w+|luaL_\w+|valijson|fmt\s*::|CLI\s*::)")


def code_only(text: str) -> str:
    """The text with comments and string/character literals blanked, line breaks kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:end]))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def library_only(name: str):
    for pattern, library in LIBRARY_ONLY:
        if pattern.search(name):
            return library
    return None


def includes(text: str):
    """(line number, '"' or '<', name, name as written) of each #include of `text`."""
    for number, line in enumerate(text.splitlines(), 1):
        match = INCLUDE.match(line)
        if match:
            kind, name = match.groups()
            yield number, kind, name, (f'"{name}"' if kind == '"' else f"<{name}>")


def check_cli(top: pathlib.Path, problems: list) -> int:
    files = 0
    public = top / "include"
    for source in sorted((top / "cli").rglob("*")):
        if source.suffix not in (".h", ".cc"):
            continue
        files += 1
        where = source.relative_to(top)
        for number, kind, name, shown in includes(source.read_text(encoding="utf-8")):
            if kind == '"':
                if name.startswith("partnerpolicy/"):
                    if not (public / name).is_file():
                        problems.append(f"{where}:{number}: #include {shown}: no such public "
                                        "header in include/partnerpolicy/")
                elif not (source.parent / name).is_file():
                    problems.append(f"{where}:{number}: #include {shown}: cli/ includes its own "
                                    'files and the library\'s public headers ("partnerpolicy/...")'
                                    " only")
                continue
            library = library_only(name)
            if library:
                problems.append(f"{where}:{number}: #include {shown}: {library} is the library's "
                                "business; cli/ reaches it only through include/partnerpolicy/")
            elif not (name in STD_HEADERS or name in SYSTEM_HEADERS
                      or name.startswith(SYSTEM_PREFIXES) or name.startswith(CLI_LIBRARIES)):
                problems.append(f"{where}:{number}: #include {shown}: not a standard header nor "
                                "one of cli/'s libraries (CLI11, fmt, nlohmann_json)")
    return files


def check_public(top: pathlib.Path, problems: list) -> int:
    files = 0
    public = top / "include" / "partnerpolicy"
    for header in sorted(public.glob("*")) if public.is_dir() else []:
        if header.suffix not in (".h", ".hpp", ".cc"):
            continue
        files += 1
        where = header.relative_to(top)
        text = header.read_text(encoding="utf-8")
        for number, kind, name, shown in includes(text):
            if kind == '"':
                if not name.startswith("partnerpolicy/"):
                    problems.append(f"{where}:{number}: #include {shown}: a public header "
                                    'includes only other public headers ("partnerpolicy/...")')
                elif not (top / "include" / name).is_file():
                    problems.append(f"{where}:{number}: #include {shown}: no such public "
                                    "header in include/partnerpolicy/")
            elif name not in STD_HEADERS:
                problems.append(f"{where}:{number}: #include {shown}: a public header includes "
                                "only standard headers and other public headers")
        for number, line in enumerate(code_only(text).splitlines(), 1):
            if INCLUDE.match(line):
                continue  # checked above
            for match in THIRD_PARTY_NAMES.finditer(line):
                problems.append(f"{where}:{number}: names {match.group(1)}: no third-party type "
                                "in a public header (wrap it in the library)")
    return files


def main() -> int:
    top = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
    top = top.resolve()
    problems = []
    cli_files = check_cli(top, problems)
    public_files = check_public(top, problems)
    for problem in problems:
        print(problem)
    print(f"{cli_files} files in cli/, {public_files} public headers in include/partnerpolicy/: "
          + ("includes and names as the contract says" if not problems
             else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
