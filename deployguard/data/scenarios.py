"""Scenario files: deployments read from JSON or CSV, and the scenarios bundled with deployguard.

Examples
--------
>>> from deployguard.data.scenarios import builtin_scenario
>>> cases = builtin_scenario()
>>> all(d.label and d.why for d in cases)
True
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from deployguard.data.deployments import Deployment
from deployguard.errors import DataError, InvalidInputError, UnknownNameError

__all__ = ["builtin_scenario", "load_scenario"]


def _records_from_text(text: str, suffix: str, origin: str) -> list[Mapping[str, Any]]:
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(f"scenario {origin!r} is not valid JSON: {exc}") from exc
        records = data.get("deployments") if isinstance(data, Mapping) else data
        if not isinstance(records, list):
            raise DataError(f"scenario {origin!r} must be a list or {{'deployments': [...]}}")
        return records
    if suffix == ".csv":
        return list(csv.DictReader(text.splitlines()))
    raise DataError(f"scenario file must be .json or .csv, got {origin!r}")


def _build(records: list[Mapping[str, Any]], origin: str) -> list[Deployment]:
    out = []
    for i, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            raise DataError(
                f"scenario {origin!r}, deployment {i}: expected an object of deployment fields "
                f"(by, at, date, ...), got {type(rec).__name__} {rec!r}"
            )
        try:
            out.append(Deployment.from_record(rec))
        except (InvalidInputError, UnknownNameError) as exc:
            raise type(exc)(f"scenario {origin!r}, deployment {i}: {exc}") from exc
    return out


def load_scenario(path: str | Path) -> list[Deployment]:
    """Read deployments from a JSON list (or ``{"deployments": [...]}``) or a CSV file.

    JSON ``at`` may be ``[lon, lat]``, a base name or a GeoJSON geometry; CSV uses ``at``
    (base name) or ``lon``/``lat`` columns, and ``consent`` separated by ``|``.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"scenario file not found: {str(p)!r}")
    return _build(_records_from_text(p.read_text("utf-8"), p.suffix.lower(), str(p)), str(p))


def builtin_scenario(name: str = "real_cases") -> list[Deployment]:
    """A scenario bundled in ``geodata/scenarios/`` (``"real_cases"``: real deployments).

    Examples
    --------
    >>> [d.label for d in builtin_scenario()][:1]
    ['Iskander-M in Kaliningrad']
    """
    folder = resources.files("deployguard.geodata").joinpath("scenarios")
    entry = folder.joinpath(f"{name}.json")
    if not entry.is_file():
        known = sorted(
            p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")
        )
        raise InvalidInputError(f"unknown built-in scenario {name!r}; known: {known}")
    return _build(_records_from_text(entry.read_text("utf-8"), ".json", name), name)

