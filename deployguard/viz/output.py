"""Writing maps: PNG, SVG or PDF at a given DPI, atomically (a whole file or none).

Examples
--------
>>> import pathlib, tempfile
>>> import matplotlib; matplotlib.use("Agg")
>>> from matplotlib.figure import Figure
>>> path = pathlib.Path(tempfile.mkdtemp()) / "map.svg"
>>> save_figure(Figure(figsize=(1, 1)), path).read_bytes()[:5]
b'<?xml'
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from matplotlib.figure import Figure

from deployguard._atomic import atomic_write_bytes
from deployguard.errors import InvalidInputError

__all__ = ["FORMATS", "save_figure"]

FORMATS = ("png", "svg", "pdf")


def save_figure(fig: Figure, path: str | os.PathLike[str], dpi: float = 150.0) -> Path:
    """Write ``fig`` to ``path``; the format is the suffix (.png, .svg or .pdf).

    Raises
    ------
    InvalidInputError
        For another suffix or a DPI that is not a positive number.
    """
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInputError(
            f"path must end in one of {['.' + f for f in FORMATS]}, got {str(path)!r}"
        )
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not dpi > 0:
        raise InvalidInputError(f"dpi must be a positive number, got {dpi!r}")
    buf = io.BytesIO()
    # metadata without a date, so that the same map gives the same file
    meta = {"png": {"Software": "deployguard"}, "svg": {"Date": None},
            "pdf": {"CreationDate": None}}[fmt]
    fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
    atomic_write_bytes(target, buf.getvalue())
    return target
