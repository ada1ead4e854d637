r"""Writing outputs safely: checked before any work, written atomically, never over the input.

:class:`Outputs` collects every path a command will write, checks them all before anything is
computed (the folder exists or can be made, it is writable, no output is an input file, the
suffix is one we can write) and reports every problem in one message. Every CSV goes through
:func:`deployguard._encode.csv_writer` (formula-like cells neutralised).

Examples
--------
>>> print(csv_text([{"a": "=1+1", "b": 2.5}]), end="")
a,b
'=1+1,2.5
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from deployguard._atomic import atomic_write_bytes, atomic_write_text
from deployguard._encode import csv_writer, jsonable, neutralise
from deployguard.errors import InvalidInputError

__all__ = [
    "MAP_SUFFIXES",
    "Outputs",
    "csv_text",
    "jsonable",
    "neutralise",
    "table_text",
    "write_bytes",
    "write_text",
]

MAP_SUFFIXES = (".png", ".svg", ".pdf", ".jpg", ".jpeg")


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV (UTF-8, comma), through the one neutralising writer."""
    cols = list(columns) if columns is not None else list(dict.fromkeys(
        k for r in rows for k in r))
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(cols)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else _cell(r.get(c)) for c in cols])
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(jsonable(value), ensure_ascii=False)
    return value


def write_text(path: Path, text: str) -> None:
    atomic_write_text(path, text if text.endswith("\n") else text + "\n")


def write_bytes(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data)


def _probe_writable(folder: Path) -> str | None:
    """None if a file can be created in ``folder`` (tried for real: root ignores mode bits)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".deployguard-probe-", dir=folder)
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    os.unlink(tmp)
    return None


def _existing_ancestor(path: Path) -> Path:
    here = path
    while not here.exists() and here != here.parent:
        here = here.parent
    return here


class Outputs:
    """The files a command will write, checked together before any work is done."""

    def __init__(self, inputs: Iterable[Path] = ()) -> None:
        self._inputs = [p for p in inputs if p.exists()]
        self._targets: dict[Path, str] = {}
        self.problems: list[str] = []

    def _same_as_input(self, path: Path) -> Path | None:
        for src in self._inputs:
            try:
                if path.exists() and os.path.samefile(path, src):
                    return src
            except OSError:
                continue
            if path.resolve() == src.resolve():
                return src
        return None

    def folder(self, path: Path, option: str) -> Path:
        """A folder to write into (made later, only when everything is valid)."""
        if path.exists() and not path.is_dir():
            self.problems.append(f"{option} {str(path)!r} is a file; expected a folder")
            return path
        base = path if path.exists() else _existing_ancestor(path)
        if not base.is_dir():
            self.problems.append(f"{option} {str(path)!r}: {str(base)!r} is not a folder")
            return path
        why = _probe_writable(base)
        if why is not None:
            where = "" if base == path else f" (its folder {str(base)!r})"
            self.problems.append(f"{option} {str(path)!r}{where} is not writable: {why}")
        return path

    def file(self, path: Path, option: str, suffixes: Sequence[str] | None = None) -> Path:
        """One output file; its folder must exist and be writable."""
        if suffixes is not None and path.suffix.lower() not in suffixes:
            self.problems.append(f"{option} {str(path)!r}: expected a file ending in "
                                 f"{' or '.join(suffixes)}")
        if path.is_dir():
            self.problems.append(f"{option} {str(path)!r} is a folder; expected a file name")
            return path
        src = self._same_as_input(path)
        if src is not None:
            self.problems.append(f"{option} {str(path)!r} would overwrite the input "
                                 f"{str(src)!r}; choose another name")
        resolved = path.resolve()
        if resolved in self._targets:
            self.problems.append(f"{option} {str(path)!r} is also written by "
                                 f"{self._targets[resolved]}; choose another name")
        self._targets[resolved] = option
        parent = path.parent
        if parent.exists():
            if not parent.is_dir():
                self.problems.append(f"{option} {str(path)!r}: {str(parent)!r} is not a folder")
            else:
                why = _probe_writable(parent)
                if why is not None:
                    self.problems.append(f"{option} {str(path)!r}: the folder {str(parent)!r} "
                                         f"is not writable: {why}")
                elif path.exists() and not os.access(path, os.W_OK):
                    self.problems.append(f"{option} {str(path)!r} exists and is read-only")
        return path

    def in_folder(self, folder: Path, name: str, option: str) -> Path:
        """A file the command writes inside ``folder`` (checked against the inputs)."""
        path = folder / name
        src = self._same_as_input(path)
        if src is not None:
            self.problems.append(f"{option} {str(folder)!r} would overwrite the input "
                                 f"{str(src)!r} (it writes {name}); choose another folder")
        if path.is_dir():
            self.problems.append(f"{option} {str(folder)!r}: {name} there is a folder")
        self._targets[path.resolve()] = f"{option} ({name})"
        return path

    def check(self) -> None:
        """Raise one :class:`InvalidInputError` naming every problem found."""
        if self.problems:
            raise InvalidInputError("cannot write the outputs:\n  " + "\n  ".join(self.problems))


def table_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], width: int = 100,
               ) -> str:
    """Rows as an aligned plain-text table at most ``width`` columns wide.

    The widest columns are cut (with an ellipsis) until the table fits.

    Examples
    --------
    >>> print(table_text([{"a": "x", "b": 1.5}], ["a", "b"]))
    a  b
    x  1.5
    """
    cells = [[_shown(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 8:
        widths[widths.index(max(widths))] -= 1
    lines = []
    for row in [list(columns), *cells]:
        shown = [v if len(v) <= w else v[: w - 1] + "\u2026" for v, w in zip(row, widths,
                                                                           strict=True)]
        lines.append("  ".join(v.ljust(w) for v, w in zip(shown, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}" if value != int(value) else f"{value:,.0f}"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(map(str, value))
    return " ".join(str(value).split())
