r"""The one JSON-safe conversion and the one CSV writer of deployguard (library and command line).

Every CSV file deployguard writes goes through :func:`csv_writer`, whose cells pass
:func:`neutralise`: a text cell that a spreadsheet would run as a formula gets a leading ``'``
(OWASP, "CSV injection"). Spreadsheets skip leading blanks and line breaks before they look for
``= + - @``, so those count as a formula start too.

Examples
--------
>>> neutralise('=HYPERLINK("http://x")'), neutralise("  \n=1+1"), neutralise("-3.5")
('\'=HYPERLINK("http://x")', "'  \n=1+1", "'-3.5")
>>> neutralise("Kaliningrad"), neutralise(-3.5)
('Kaliningrad', -3.5)
>>> jsonable({"a": {2, 1}, "b": float("nan")})
{'a': [1, 2], 'b': None}
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from typing import IO, Any, Protocol

__all__ = ["CsvWriter", "csv_writer", "jsonable", "neutralise"]

_FORMULA_START = ("=", "+", "-", "@")
_CONTROL_START = ("\t", "\r")


def neutralise(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert; others unchanged.

    A formula starts with ``= + - @`` (after any blanks or line breaks), or with a tab or a
    carriage return. Numbers pass: only text can carry a formula.
    """
    if isinstance(cell, str) and (cell.startswith(_CONTROL_START)
                                  or cell.lstrip().startswith(_FORMULA_START)):
        return "'" + cell
    return cell


def jsonable(value: Any) -> Any:
    """A JSON-safe copy: geometry as WKT, sets as sorted lists, dates as ISO text, numpy
    scalars as numbers, NaN and infinities as None, anything else as its text.
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if hasattr(value, "item") and not isinstance(value, int | float):
        value = value.item()  # a numpy scalar
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "wkt"):
        return value.wkt
    return str(value)


class CsvWriter(Protocol):
    """What :func:`csv_writer` returns."""

    def writerow(self, row: Iterable[Any]) -> Any: ...

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None: ...


class _Neutralising:
    def __init__(self, fh: IO[str]) -> None:
        self._w = csv.writer(fh, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow([neutralise(c) for c in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(fh: IO[str]) -> CsvWriter:
    """A :func:`csv.writer` (comma, newline line ends) whose text cells are neutralised."""
    return _Neutralising(fh)
