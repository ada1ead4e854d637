"""Writing maps: PNG, SVG, PDF or JPEG at a given DPI, atomically (a whole file or none).

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

__all__ = ["FORMATS", "figure_bytes", "save_figure"]

FORMATS = ("png", "svg", "pdf", "jpg", "jpeg")
#: metadata without a date, so that the same map gives the same bytes
_METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": "deployguard"}, "svg": {"Date": None}, "pdf": {"CreationDate": None},
    "jpg": {}, "jpeg": {}}


def figure_bytes(fig: Figure, fmt: str, dpi: float = 150.0) -> bytes:
    """``fig`` as the bytes of an image file: ``fmt`` is one of :data:`FORMATS` (a suffix's
    dot may be given); ``dpi`` sets the pixels of PNG and JPEG and the raster parts of SVG/PDF.

    Raises
    ------
    InvalidInputError
        For another format or a DPI that is not a positive number.
    """
    kind = str(fmt).lower().lstrip(".")
    if kind not in FORMATS:
        raise InvalidInputError(f"format must be one of {list(FORMATS)}, got {fmt!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not dpi > 0:
        raise InvalidInputError(f"dpi must be a positive number, got {dpi!r}")
    buf = io.BytesIO()
    fig.savefig(buf, format="jpeg" if kind == "jpg" else kind, dpi=dpi,
                metadata=_METADATA[kind] or None)
    return buf.getvalue()


def save_figure(fig: Figure, path: str | os.PathLike[str], dpi: float = 150.0) -> Path:
    """Write ``fig`` to ``path`` atomically; the format is the suffix (.png, .svg, .pdf, .jpg).

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
    atomic_write_bytes(target, figure_bytes(fig, fmt, dpi))
    return target
