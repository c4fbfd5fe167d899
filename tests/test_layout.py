"""The package's layout holds: parts in floors, no import upward, no circle, no needless deferral.

Every ``import`` statement of ``derive/`` is read with :mod:`ast` (at the top of a module
or deferred into a function, it counts the same), resolved to the module it names, and
checked against the floors below. A part is a subpackage (``derive/engine/``) or a
top-level module (``derive/numeric.py``); a part may import only parts on lower floors.

A deferred import is allowed only where it keeps something heavy out of an import: the
module it names loads a heavy package (sympy, z3, matplotlib, torch, hypothesis) that
the importing module does not load at its own top. The command line is the one
exception: each subcommand imports its part of the library when it runs, so that a
command loads only what it uses.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "derive"

FLOORS = {
    # floor 0: no sympy, no other part
    "_version": 0, "errors": 0, "numeric": 0, "alarm": 0, "strategies": 0,
    "limits": 1,                                    # bounds on reading and working time
    "text": 1,                                      # the safe reader
    "engine": 2,                                    # models and the derivation
    "render": 3,                                    # derivations written out
    "checker": 4, "conformance": 4, "measure": 4, "ladder": 4, "lab": 4, "prove": 4,
    "authoring": 5,                                 # for course authors
    "grade": 5,                                     # a class's submissions, sandboxed
    "serve": 6,                                     # the web app and its JSON API
    "cli": 7, "__main__": 8,
    "__init__": 9,                                  # the front door loads names lazily
}
HEAVY = {"sympy", "z3", "matplotlib", "torch", "hypothesis"}
LOADS_BY_COMMAND = {"derive.cli"}                   # deferral by subcommand, on purpose


def modules(root=PACKAGE):
    """``{dotted name: source}`` of every module of the package."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path.read_text(encoding="utf-8")
    return found


def _is_package(name, sources):
    return any(other.startswith(name + ".") for other in sources)


def imports(name, source, sources):
    """``(target, deferred, line)`` for each import of a derive module or a heavy package."""
    is_package = _is_package(name, sources)
    tree = ast.parse(source)
    deferred_lines = {node.lineno for fn in ast.walk(tree)
                      if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                      for node in ast.walk(fn) if isinstance(node, (ast.Import, ast.ImportFrom))}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            targets = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in sources else module
                       for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "derive" or target.split(".")[0] in HEAVY:
                found.append((target, node.lineno in deferred_lines, node.lineno))
    return found


def part(name):
    """``derive.engine.model`` → ``engine``; ``derive.numeric`` → ``numeric``; ``derive`` → ``__init__``."""
    pieces = name.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def upward_imports(sources):
    """``module line: imports target`` for every import of a part on the same or a higher floor."""
    wrong = []
    for name, source in sources.items():
        for target, _, line in imports(name, source, sources):
            if not target.startswith("derive"):
                continue
            mine, theirs = part(name), part(target)
            if mine != theirs and FLOORS[theirs] >= FLOORS[mine]:
                wrong.append(f"{name}:{line} imports {target} "
                             f"({mine} is on floor {FLOORS[mine]}, {theirs} on {FLOORS[theirs]})")
    return wrong


def circles(sources):
    """Every set of modules that import each other in a circle (strongly connected)."""
    graph = {name: sorted({t for t, _, _ in imports(name, source, sources)
                           if t in sources and t != name})
             for name, source in sources.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):                                   # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
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
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def heavy_at_top(sources):
    """``{module: heavy packages its top-level imports load, through derive's modules too}``."""
    top = {name: [t for t, deferred, _ in imports(name, source, sources) if not deferred]
           for name, source in sources.items()}
    memo = {}

    def heavy(name, seen=()):
        if name in memo:
            return memo[name]
        loads = set()
        for target in top.get(name, ()):
            root = target.split(".")[0]
            if root in HEAVY:
                loads.add(root)
            elif target in sources and target not in seen:
                loads |= heavy(target, seen + (name,))
            if target in sources and "." in target:  # importing derive.a.b runs derive.a first
                parent = target.rpartition(".")[0]
                if parent in sources and parent not in seen and parent != name:
                    loads |= heavy(parent, seen + (name,))
        memo[name] = loads
        return loads

    return {name: heavy(name) for name in sources}


def needless_deferrals(sources):
    """Deferred imports of derive modules that bring nothing heavy the importer lacks."""
    heavy = heavy_at_top(sources)
    wrong = []
    for name, source in sources.items():
        if name in LOADS_BY_COMMAND:
            continue
        for target, deferred, line in imports(name, source, sources):
            if deferred and target in sources and not heavy[target] - heavy[name]:
                wrong.append(f"{name}:{line} defers import of {target}, which loads nothing heavy "
                             f"that {name} does not load already")
    return wrong


# -- the package as it is -------------------------------------------------------------------

def test_every_part_has_a_floor():
    assert {part(name) for name in modules()} <= set(FLOORS)


def test_no_part_imports_a_part_on_its_floor_or_above():
    assert upward_imports(modules()) == []


def test_no_modules_import_each_other_in_a_circle():
    assert circles(modules()) == []


def test_imports_are_deferred_only_to_keep_something_heavy_out():
    assert needless_deferrals(modules()) == []


def test_import_derive_loads_nothing_heavy():
    assert heavy_at_top(modules())["derive"] == set()


def test_every_subpackage_says_what_it_does_and_what_it_may_import():
    for name, source in modules().items():
        if _is_package(name, modules()) and name != "derive":
            doc = ast.get_docstring(ast.parse(source))
            assert doc and f"Floor {FLOORS[part(name)]}" in doc, name


# -- the checks can fail ------------------------------------------------------------------

def _with(extra_module, extra_source):
    sources = modules()
    sources[extra_module] = sources.get(extra_module, "") + "\n" + extra_source
    return sources


@pytest.mark.parametrize("module, line", [
    ("derive.engine.model", "from derive.authoring import chart"),
    ("derive.engine.model", "from ..authoring import chart"),
    ("derive.text.parse", "def f():\n    from ..engine import derivation"),
    ("derive.checker.answer", "from ..conformance import suite"),
    ("derive.numeric", "import derive.cli"),
])
def test_an_upward_import_is_caught(module, line):
    assert upward_imports(_with(module, line))


def test_a_circle_is_caught():
    sources = _with("derive.engine.symbols", "def f():\n    from .presets import PRESETS")
    assert ["derive.engine.model", "derive.engine.presets", "derive.engine.symbols"] in [
        c for c in circles(sources) if "derive.engine.symbols" in c
    ] or any("derive.engine.symbols" in c and "derive.engine.presets" in c for c in circles(sources))


def test_a_needless_deferral_is_caught():
    sources = _with("derive.engine.presets", "def f():\n    from .model import Model")
    assert any("derive.engine.presets" in line for line in needless_deferrals(sources))
