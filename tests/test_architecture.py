"""The package's shape: no import cycles, a light import, a small public API.

The floors themselves (each imports only from the floors below) are checked by the
import-linter contract in ``pyproject.toml`` (``lint-imports``, run by ``.ci/run``); this file
checks what a layers contract cannot see.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import grimp

import deployguard


def _imports_of(graph: grimp.ImportGraph, module: str) -> Iterator[str]:
    return iter(sorted(graph.find_modules_directly_imported_by(module)))


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, _imports_of(graph, root))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, _imports_of(graph, child)))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        component.append(m)
                        if m == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return out


def _declared_upward_imports() -> list[tuple[str, str]]:
    """The ``ignore_imports`` pairs of the import-linter contract in ``pyproject.toml``."""
    with open(Path(__file__).parents[1] / "pyproject.toml", "rb") as fh:
        contracts = tomllib.load(fh)["tool"]["importlinter"]["contracts"]
    pairs = [tuple(p.strip() for p in line.split("->"))
             for c in contracts for line in c.get("ignore_imports", [])]
    return [(a, b) for a, b in pairs]


def test_no_import_cycles():
    # imports under TYPE_CHECKING are annotations only, with no run-time effect; the declared
    # upward imports (Report.plot -> viz) are function-local (next test), so they make no cycle
    # at import time and are left out of the graph
    graph = grimp.build_graph("deployguard", exclude_type_checking_imports=True)
    for importer, imported in _declared_upward_imports():
        graph.remove_import(importer=importer, imported=imported)
    assert _cycles(graph) == []


def test_no_import_cycles_through_the_lower_floors_counting_type_checking_imports():
    """An import under TYPE_CHECKING is still a dependency of the design (issue 17): counting
    them, no cycle runs through geodesy or geography (farthest <-> index and locate <-> world
    did; a kernel now names what it needs of its caller with a protocol)."""
    graph = grimp.build_graph("deployguard", exclude_type_checking_imports=False)
    for importer, imported in _declared_upward_imports():
        graph.remove_import(importer=importer, imported=imported)
    floors = ("deployguard.geodesy", "deployguard.geography")
    assert [c for c in _cycles(graph) if any(m.startswith(floors) for m in c)] == []


def test_cycle_finder_counts_type_checking_imports():
    """grimp keeps the imports under ``if TYPE_CHECKING:`` when asked to: the check above
    would see a cycle made of one."""
    graph = grimp.build_graph("deployguard", exclude_type_checking_imports=False)
    assert graph.direct_import_exists(importer="deployguard.geodesy.donut",
                                      imported="deployguard.geodesy.index")
    lean = grimp.build_graph("deployguard", exclude_type_checking_imports=True)
    assert not lean.direct_import_exists(importer="deployguard.geodesy.donut",
                                         imported="deployguard.geodesy.index")


def test_lower_floors_touch_no_other_objects_private_state():
    """In geodesy and geography, ``x._name`` is only ever ``self._name`` (or ``cls._name``):
    the farthest-point and annulus kernels once kept their caches inside DistanceIndex, and
    locate read World's trees and areas; each now asks through a public method."""
    root = Path(deployguard.__file__).parent
    found = []
    for floor in ("geodesy", "geography"):
        for path in sorted((root / floor).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            # a C library loaded with ctypes: its symbols (macOS's _dyld_image_count) are
            # names in that library, not an object's private state
            libraries = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign)
                         and isinstance(n.value, ast.Call) and "CDLL" in ast.unparse(n.value.func)
                         for t in n.targets if isinstance(t, ast.Name)}
            for node in ast.walk(tree):
                if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                        and not node.attr.startswith("__")
                        and not (isinstance(node.value, ast.Name)
                                 and node.value.id in {"self", "cls", *libraries})):
                    found.append(f"{floor}/{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_only_deployguard_errors_and_warnings_reach_users():
    """Every error deployguard raises on purpose is a DeployguardError, every warning a
    DeployguardWarning (issue 17: a bare RuntimeError, ValueError and AssertionError reached
    users, and the two warnings shared no base). Python's protocols keep their own:
    AttributeError from a module's __getattr__, IndexError from a sequence, SystemExit."""
    import builtins
    import inspect

    from deployguard import errors

    for _, cls in inspect.getmembers(errors, inspect.isclass):
        if cls.__module__ != errors.__name__ or cls is errors.Problem:
            continue
        base = errors.DeployguardWarning if issubclass(cls, Warning) else errors.DeployguardError
        assert issubclass(cls, base), cls
    assert "DeployguardWarning" in deployguard.__all__
    protocol = {"AttributeError", "IndexError", "SystemExit", "NotImplementedError"}
    raised = []
    for path in sorted(Path(deployguard.__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # a raise caught by its own try (control flow turned into a deployguard error there)
        caught = {id(r) for t in ast.walk(tree) if isinstance(t, ast.Try)
                  for h in t.handlers if h.type is not None
                  for r in (n for b in t.body for n in ast.walk(b) if isinstance(n, ast.Raise))
                  if r.exc is not None and ast.unparse(
                      r.exc.func if isinstance(r.exc, ast.Call) else r.exc) in ast.unparse(h.type)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None and id(node) not in caught:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if (isinstance(exc, ast.Name) and hasattr(builtins, exc.id)
                        and exc.id not in protocol):
                    raised.append(f"{path.name}:{node.lineno}: {exc.id}")
    assert raised == []


def test_declared_upward_imports_are_inside_functions():
    """Each import the contract lets go upward happens in a function body, never at the top."""
    pairs = _declared_upward_imports()
    assert pairs, "the contract declares the Report.plot/Finding.plot imports"
    root = Path(deployguard.__file__).parent
    for importer, imported in pairs:
        path = root.joinpath(*importer.split(".")[1:]).with_suffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, ast.ImportFrom | ast.Import)]
        assert not any(imported in ast.unparse(n) for n in top), (importer, imported)
        inner = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
                 for m in ast.walk(n) if isinstance(m, ast.ImportFrom) and m.module == imported]
        assert inner, f"{importer} declares an import of {imported} it does not make"


def test_cycle_finder_finds_a_planted_cycle():
    graph = grimp.ImportGraph()
    for m in ("p.a", "p.b", "p.c"):
        graph.add_module(m)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph) == [["p.a", "p.b", "p.c"]]


IMPORT_PROBE = r"""
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0]))
                 if event == "open" and "geodata" in str(args[0]) else None)
import deployguard
heavy = [m for m in ("matplotlib", "pandas", "geopandas", "shapely", "pyproj", "scipy")
         if m in sys.modules]
print(json.dumps({"heavy": heavy, "opened": opened}))
"""


def test_import_is_light():
    """``import deployguard`` loads no matplotlib (nor pandas, shapely...) and reads no data."""
    out = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True,
                         check=True)
    seen = json.loads(out.stdout)
    assert seen == {"heavy": [], "opened": []}


def test_public_api_is_small_and_resolves():
    names = [n for n in deployguard.__all__ if n != "__version__"]
    assert 25 <= len(names) <= 45
    for name in names:
        assert getattr(deployguard, name) is not None, name
    # kernels and row records stay on their floor
    for kernel in ("DistanceIndex", "target_index", "BaselineEntry", "Territory", "Base"):
        assert kernel not in deployguard.__all__


def test_unknown_attribute_is_an_attribute_error():
    try:
        deployguard.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")


def test_regression_numbers_are_unique():
    """One number per bug (GeographicLib's habit): four tests once shared 015."""
    import re

    text = (Path(__file__).parent / "test_regressions.py").read_text(encoding="utf-8")
    numbers = re.findall(r"^def test_regression_(\d+)_", text, flags=re.M)
    assert numbers and len(numbers) == len(set(numbers))
