"""The package's layout is its architecture: stages import only the stages below them, and nothing loops.

Read from the code's own imports (ast), so a new module is held to the same rule the
day it is written. `python -m tests.test_architecture` prints the layers.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "polypress"

#: The stages from the ground up: a module may import its own stage and the ones before it.
STAGES = [
    ["version", "errors", "characters", "toml_lines", "files", "xml_input", "user_cache"],
    ["kinds"],
    ["document"],
    ["settings", "writer"],
    ["content"],
    ["i18n"],
    ["sources"],
    ["editions", "releases"],
    ["render"],
    ["formats"],
    ["site", "review"],
    ["pipeline"],
    ["project", "serve"],
    ["__init__", "cli", "cli_exchange", "bench", "__main__"],
]
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}


def modules() -> dict[str, Path]:
    """Every module by dotted name (polypress.i18n.po)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


@cache
def imports(path: Path) -> frozenset[str]:
    """The polypress modules a file imports, at any depth in the file (deferred imports count too),
    but not those only imported for type checking."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("polypress"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("polypress")}
    return frozenset(found)


def stage(name: str) -> str:
    """The stage a dotted module belongs to: its first part below polypress ("i18n" for polypress.i18n.po)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def edges() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        graph[name] = {target for target in imports(path) if target in known and target != name}
    return graph


def test_every_module_belongs_to_a_stage() -> None:
    assert sorted({stage(name) for name in modules()} - set(RANK)) == []


def test_no_import_runs_back_up() -> None:
    upward = [
        f"{source} imports {target}"
        for source, targets in edges().items()
        for target in targets
        if RANK[stage(target)] > RANK[stage(source)]
    ]
    assert upward == []


def test_no_modules_import_each_other_in_a_loop() -> None:
    graph = edges()
    # Inside a package, the package's face (__init__) may hand on what its modules define.
    graph = {s: {t for t in ts if not (s == t.rsplit(".", 1)[0] and t.startswith(s + "."))} for s, ts in graph.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_module_grows_past_about_four_hundred_lines() -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > 420}
    assert long == {}


def layers() -> list[list[str]]:
    """Modules grouped by depth: a module stands one layer above the deepest module it imports."""
    graph = edges()
    depth: dict[str, int] = {}

    def measure(node: str, seen: frozenset[str] = frozenset()) -> int:
        if node not in depth:
            below = [measure(t, seen | {node}) for t in graph[node] if t not in seen]
            depth[node] = 1 + max(below, default=0)
        return depth[node]

    for node in graph:
        measure(node)
    return [sorted(n for n, d in depth.items() if d == level) for level in range(1, max(depth.values()) + 1)]


if __name__ == "__main__":
    for number, names in enumerate(layers(), start=1):
        print(f"layer {number}: {', '.join(names)}")
