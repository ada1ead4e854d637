"""The finding schema's columns in each format: a pandas frame, JSON records, CSV rows, GeoJSON.

Every function here takes the columns of :meth:`FindingRecords.columns` (one chunk of
findings) and writes each value as its kind says (:data:`deployguard.treaty.schema.KINDS`), so
that every format has the same columns with the same values.

Examples
--------
>>> cols = {"clause": ["US-6"], "distance_km": [float("nan")], "states_reached": [["POL"]],
...         "evidence": ['{"a": 1}']}
>>> list(csv_rows(cols))
[['US-6', '', 'POL', '{"a": 1}']]
>>> list(json_rows(cols))
['{"clause": "US-6", "distance_km": null, "states_reached": ["POL"], "evidence": {"a": 1}}']
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from deployguard.treaty.schema import COLUMN, FINDING_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["csv_header", "csv_rows", "frame_of", "json_rows", "records_of"]

Columns = Mapping[str, list[Any]]


def _kind(name: str) -> str:
    return COLUMN[name].kind if name in COLUMN else "text"


def csv_header() -> list[str]:
    """The header row of findings.csv."""
    return [c.name for c in FINDING_COLUMNS]


def _csv_cell(kind: str, v: Any) -> str:
    if v is None:
        return ""
    if kind == "number":
        return "" if not math.isfinite(v) else repr(float(v))
    if kind == "list":
        return "|".join(v)
    return str(v)


def csv_rows(cols: Columns) -> Iterator[list[str]]:
    """One CSV row (cells as text, not yet neutralised) per finding of ``cols``."""
    kinds = [_kind(n) for n in cols]
    for row in zip(*cols.values(), strict=True):
        yield [_csv_cell(k, v) for k, v in zip(kinds, row, strict=True)]


def _json_value(kind: str, v: Any) -> str:
    if v is None:
        return "null"
    if kind == "object":
        return str(v)  # already JSON text
    if kind == "number":
        return repr(float(v)) if math.isfinite(v) else "null"
    if kind == "boolean":
        return "true" if v else "false"
    return json.dumps(v, ensure_ascii=False)


def json_rows(cols: Columns) -> Iterator[str]:
    """One JSON object (as text, one line) per finding of ``cols``."""
    heads = [json.dumps(n) + ": " for n in cols]
    kinds = [_kind(n) for n in cols]
    for row in zip(*cols.values(), strict=True):
        yield "{" + ", ".join(h + _json_value(k, v)
                              for h, k, v in zip(heads, kinds, row, strict=True)) + "}"


def records_of(cols: Columns) -> list[dict[str, Any]]:
    """One JSON-safe dict per finding (``json.dumps`` works on the list)."""
    return [json.loads(text) for text in json_rows(cols)]


def frame_of(cols: Columns) -> pd.DataFrame:
    """The findings of ``cols`` as a pandas DataFrame, one row per finding."""
    import numpy as np
    import pandas as pd

    data: dict[str, Any] = {}
    for name, values in cols.items():
        kind = _kind(name)
        if kind == "number":
            data[name] = np.array(values, dtype=float)
        elif kind == "list":
            data[name] = ["|".join(v) for v in values]
        elif kind == "boolean":
            data[name] = np.array(values, dtype=bool)
        elif kind == "integer":
            data[name] = np.array(values, dtype=np.int64)
        else:
            data[name] = values
    return pd.DataFrame(data, columns=list(cols))
