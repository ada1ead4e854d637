"""Test set-up shared by all test modules."""

import importlib.util
import sys
from pathlib import Path

# An installed deployguard maps the top-level geodata/ folder to the package
# deployguard.geodata (pyproject [tool.setuptools.package-dir]). In a plain checkout that is
# not installed, reproduce the same mapping so that importlib.resources finds the data.
try:
    import deployguard.geodata  # noqa: F401
except ModuleNotFoundError:
    _root = Path(__file__).resolve().parents[1] / "geodata"
    _spec = importlib.util.spec_from_file_location(
        "deployguard.geodata", _root / "__init__.py", submodule_search_locations=[str(_root)]
    )
    _mod = importlib.util.module_from_spec(_spec)
    sys.modules["deployguard.geodata"] = _mod
    _spec.loader.exec_module(_mod)
