"""Make the bundled data package ``deployguard.geodata`` importable from every layout.

The repository keeps its data in ``geodata/`` at the top (data beside its build scripts);
``pyproject.toml`` maps that folder to the package ``deployguard.geodata``, so a regular or an
editable install finds it. Python started in a clone's root, though, imports ``deployguard``
from the source tree (the current folder comes first on ``sys.path``), where no
``deployguard/geodata`` exists: without this module every data look-up failed there with
``ModuleNotFoundError: No module named 'deployguard.geodata'``, e.g. in a notebook
opened in the repository. :func:`ensure_geodata` registers the source tree's ``geodata/`` under
that name in that one case; every reader then goes through :mod:`importlib.resources` as
before (:mod:`deployguard.data.files`).

Examples
--------
>>> import importlib.resources
>>> ensure_geodata()
>>> importlib.resources.files("deployguard.geodata").joinpath("groups.csv").is_file()
True
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

__all__ = ["PACKAGE", "ensure_geodata"]

PACKAGE = "deployguard.geodata"


def ensure_geodata() -> None:
    """Register the source tree's ``geodata/`` as ``deployguard.geodata`` if none is installed.

    Does nothing when the package is importable (a regular or an editable install) or when no
    source tree is beside the code (a later data look-up then names the missing file).
    """
    if PACKAGE in sys.modules or importlib.util.find_spec(PACKAGE) is not None:
        return
    folder = Path(__file__).resolve().parent.parent / "geodata"
    init = folder / "__init__.py"
    if not init.is_file():
        return
    spec = importlib.util.spec_from_file_location(
        PACKAGE, init, submodule_search_locations=[str(folder)])
    if spec is None or spec.loader is None:  # pragma: no cover - a plain file always has both
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)
