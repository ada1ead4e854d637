"""What each bundled data file describes, when it was compiled, and where it comes from.

Every data file of ``geodata/`` carries its own metadata: CSV files in leading ``#`` lines of
the form ``# describes: ...``, ``# compiled: ...``, ``# source: ...``, ``# licence: ...``,
``# built by: ...``; JSON files in an ``_about`` object with the keys ``describes, compiled,
source, licence, built_by``; binary files (GeoParquet) and GeoJSON in a sidecar
``<file>.about.json`` with the same keys. :func:`data_versions` lists them as one table, the
one a methods section cites.

Examples
--------
>>> v = data_versions().set_index("file")
>>> v.loc["places.csv", "licence"].startswith("CC BY 4.0")
True
>>> v.loc["systems.json", "compiled"]
'2026-12-01'
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FIELDS", "data_versions", "read_about"]

#: The metadata every data file states (``built_by`` is ``# built by:`` in a CSV header).
FIELDS: tuple[str, ...] = ("describes", "compiled", "source", "licence", "built_by")
_DATA_SUFFIXES = (".csv", ".json", ".geojson", ".parquet")
_SIDECAR = ".about.json"


def _csv_about(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        key = key.strip().lower().replace(" ", "_")
        if sep and key in FIELDS and key not in out:
            out[key] = value.strip()
    return out


def _json_about(text: str) -> tuple[dict[str, str], str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}, "unreadable"
    about = data.get("_about") if isinstance(data, dict) else None
    if isinstance(about, dict):
        return {k: str(about[k]) for k in FIELDS if about.get(k) not in (None, "")}, "_about"
    if isinstance(about, str):  # a description without the dated fields
        return {}, "_about (text only)"
    return {}, "none"


def read_about(node: Traversable, folder: Traversable) -> tuple[dict[str, str], str]:
    """The metadata of one data file and where it was found.

    Returns ``(fields, where)``: ``fields`` maps some of :data:`FIELDS` to their text;
    ``where`` is ``"header"``, ``"_about"``, ``"_about (text only)"``, ``"sidecar"`` or
    ``"none"``. A sidecar ``<file>.about.json`` in ``folder`` (the file's folder) takes
    precedence over what the file says.

    Examples
    --------
    >>> root = resources.files("deployguard.geodata")
    >>> read_about(root.joinpath("countries_50m.parquet"), root)[1]
    'sidecar'
    """
    sidecar = folder.joinpath(node.name + _SIDECAR)
    if sidecar.is_file():
        about = json.loads(sidecar.read_text(encoding="utf-8"))
        return {k: str(about[k]) for k in FIELDS if about.get(k) not in (None, "")}, "sidecar"
    if node.name.endswith(".csv"):
        fields = _csv_about(node.read_text(encoding="utf-8"))
        return fields, "header" if fields else "none"
    if node.name.endswith((".json", ".geojson")):
        return _json_about(node.read_text(encoding="utf-8"))
    return {}, "none"


def _walk(node: Traversable, prefix: str = "") -> list[tuple[str, Traversable, Traversable]]:
    out: list[tuple[str, Traversable, Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            if not child.name.startswith(("_", ".")):
                out += _walk(child, f"{prefix}{child.name}/")
        elif child.name.endswith(_DATA_SUFFIXES) and not child.name.endswith(_SIDECAR):
            out.append((f"{prefix}{child.name}", child, node))
    return out


def data_versions() -> pd.DataFrame:
    """One row per bundled data file: what it describes, when compiled, source, licence.

    Returns
    -------
    pandas.DataFrame
        Columns ``file, describes, compiled, source, licence, built_by, metadata``; a field
        the file does not state is ``""`` and ``metadata`` says where the fields were found
        (``"none"`` when nowhere). Reads only the files' headers and ``_about`` entries.

    Examples
    --------
    >>> v = data_versions()
    >>> {"file", "describes", "compiled", "licence"} <= set(v.columns)
    True
    """
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for name, node, folder in _walk(resources.files("deployguard.geodata")):
        fields, where = read_about(node, folder)
        rows.append({"file": name, **{k: fields.get(k, "") for k in FIELDS}, "metadata": where})
    return pd.DataFrame(rows, columns=["file", *FIELDS, "metadata"])
