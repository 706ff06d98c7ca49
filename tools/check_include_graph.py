#!/usr/bin/python3
"""The include graph of the library and the CLI has no cycle, module by module.

A module is a header and its source file (evaluator/coverage.h with evaluator/coverage.cc); a
public header is in include/partnerpolicy/ and its source file in evaluator/
(include/partnerpolicy/engine.h with evaluator/engine.cc: module evaluator/engine). Module A
depends on module B when a file of A includes B's header. A cycle among modules means that none
of them can be understood, tested or replaced without the others, so the layers the architecture
describes (docs/architecture.md) no longer hold. Prints each cycle as the chain of includes that
makes it (file:line of each #include) and exits 1 when there is one.

Usage: tools/check_include_graph.py [SOURCE_DIR]   (default: the repository this script is in)
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
ROOTS = ("include", "evaluator", "cli")


def resolve(source: pathlib.Path, name: str, top: pathlib.Path):
    """The repository file an #include "name" in `source` names, or None (a third-party header)."""
    # "partnerpolicy/engine.h" through include/; internal headers through evaluator/.
    bases = (source.parent, top / "include", top / "evaluator", top / "evaluator" / "lua",
             top / "cli")
    for base in bases:
        candidate = (base / name).resolve()
        if candidate.is_file() and top in candidate.parents:
            return candidate
    return None


def module(path: pathlib.Path, top: pathlib.Path) -> str:
    relative = path.relative_to(top).with_suffix("")
    if relative.parts[:2] == ("include", "partnerpolicy"):
        # A public header and its source file in evaluator/ are one module.
        return str(pathlib.Path("evaluator", *relative.parts[2:]))
    return str(relative)


def main() -> int:
    top = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
    top = top.resolve()
    edges = {}  # module -> {module: "file:line"}
    for root in ROOTS:
        if not (top / root).is_dir():
            continue
        for source in sorted((top / root).rglob("*")):
            if source.suffix not in (".h", ".cc"):
                continue
            here = module(source, top)
            edges.setdefault(here, {})
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                match = INCLUDE.match(line)
                if not match:
                    continue
                target = resolve(source, match.group(1), top)
                if target is None:
                    continue
                there = module(target, top)
                if there != here:
                    edges[here].setdefault(there, f"{source.relative_to(top)}:{number}")

    # Tarjan's strongly connected components; a component of more than one module is a cycle.
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)

    for component in components:
        members = set(component)
        print(f"include cycle among {len(component)} modules: {', '.join(component)}")
        for v in component:
            for w, where in sorted(edges[v].items()):
                if w in members:
                    print(f"  {where}: {v} includes {w}")
    modules = len(edges)
    print(f"{modules} modules in {', '.join(ROOTS)}: "
          + ("no include cycle" if not components else f"{len(components)} cycle(s)"))
    return 1 if components else 0


if __name__ == "__main__":
    sys.exit(main())
