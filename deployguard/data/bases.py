"""Named military sites and reference points with sourced coordinates.

The records live in ``geodata/bases.csv``: name, aliases, ``(lon, lat)`` on WGS84, the host
state as ISO alpha-3 (``host`` is the *de facto* host, ``host_de_jure`` differs for
Sevastopol), operators, kind, where the coordinates come from, source and confidence.
Points we chose on a named city, landmark or site are confidence M (about +-2 km; the tests
check the distances between them); the others are well-known published coordinates, marked
"approximate, our estimate" and confidence L. A base is a point: its perimeter is not modelled.

Examples
--------
>>> from deployguard.data.bases import Bases
>>> bases = Bases.load()
>>> bases.get("wiesbaden").lonlat
(8.3253, 50.0497)
>>> bases.get("grafenwohr").name
'Grafenwöhr'
>>> bases.get("Sevastopol").host, bases.get("Sevastopol").host_de_jure
('RUS', 'UKR')
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import shapely

from deployguard._names import NameIndex
from deployguard._validate import as_lonlat_arrays
from deployguard.errors import DataError, InvalidInputError, UnknownBaseError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Base", "Bases", "UnknownBaseError"]

@dataclass(frozen=True)
class Base:
    """One named site.

    Attributes
    ----------
    name : str
    aliases : tuple of str
    lon, lat : float
        WGS84 degrees.
    host : str
        ISO alpha-3 of the state that controls the site de facto.
    host_de_jure : str
        ISO alpha-3 under the majority legal view (differs for Sevastopol).
    operators : tuple of str
        Alpha-3 codes of the forces using it (empty for reference points).
    kind : str
        "air_base", "naval_base", "army_garrison", "reference_point", ...
    coord_source, source, confidence, notes : str
    """

    name: str
    aliases: tuple[str, ...]
    lon: float
    lat: float
    host: str
    host_de_jure: str
    operators: tuple[str, ...]
    kind: str
    coord_source: str
    source: str
    confidence: str
    notes: str = ""

    @property
    def lonlat(self) -> tuple[float, float]:
        """``(lon, lat)`` in degrees, the order used everywhere in deployguard."""
        return (self.lon, self.lat)

    @property
    def point(self) -> shapely.Point:
        """The site as a shapely Point (lon, lat)."""
        return shapely.Point(self.lon, self.lat)


class Bases:
    """Name-indexed table of :class:`Base` records (case-, accent- and punctuation-insensitive).

    Examples
    --------
    >>> Bases.load().get("Buchel").host
    'DEU'
    >>> Bases.load().get("Ramstien")
    Traceback (most recent call last):
    ...
    deployguard.errors.UnknownBaseError: unknown base or site 'Ramstien'; did you mean ...
    """

    def __init__(self, bases: tuple[Base, ...]) -> None:
        self._bases = bases
        self._index: NameIndex[Base] = NameIndex("base or site", UnknownBaseError)
        for b in bases:
            for n in (b.name, *b.aliases):
                other = self._index.find(n)
                if other is not None and other is not b:
                    raise DataError(f"bases: name {n!r} used by both {other.name!r} and {b.name!r}")
                self._index.add(n, b)

    @classmethod
    def load(cls) -> Bases:
        """The bundled table (cached)."""
        return _bundled()

    def get(self, name: str | Base) -> Base:
        """The site called ``name`` or one of its aliases; a miss raises UnknownBaseError."""
        if isinstance(name, Base):
            return name
        if not isinstance(name, str):
            raise InvalidInputError(f"base name must be a string, got {name!r}")
        return self._index.get(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._index

    def __iter__(self) -> Iterator[Base]:
        return iter(self._bases)

    def __len__(self) -> int:
        return len(self._bases)

    @property
    def names(self) -> list[str]:
        """Canonical names in file order."""
        return [b.name for b in self._bases]

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per site."""
        import dataclasses

        import pandas as pd

        return pd.DataFrame([dataclasses.asdict(b) for b in self._bases])


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("|") if p.strip())


@functools.cache
def _bundled() -> Bases:
    text = resources.files("deployguard.geodata").joinpath("bases.csv").read_text("utf-8")
    # leading '#' lines are the file's metadata (what it describes, when it was compiled)
    lines = text.splitlines(keepends=True)
    skipped = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    out = []
    reader = csv.DictReader(io.StringIO("".join(lines[skipped:])))
    for line, row in enumerate(reader, start=skipped + 2):
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
            as_lonlat_arrays(lon, lat)  # validation only: keep the stored digits exactly
        except (ValueError, InvalidInputError) as exc:
            raise DataError(f"bases.csv line {line}: bad coordinates: {exc}") from exc
        if not -180.0 <= lon <= 180.0:
            raise DataError(f"bases.csv line {line}: lon must be in [-180, 180], got {lon}")
        if not row["source"].strip() or not row["coord_source"].strip():
            raise DataError(f"bases.csv line {line}: source and coord_source are required")
        out.append(
            Base(
                name=row["name"],
                aliases=_split(row["aliases"]),
                lon=lon,
                lat=lat,
                host=row["host"],
                host_de_jure=row["host_de_jure"],
                operators=_split(row["operators"]),
                kind=row["kind"],
                coord_source=row["coord_source"],
                source=row["source"],
                confidence=row["confidence"],
                notes=row["notes"],
            )
        )
    return Bases(tuple(out))
