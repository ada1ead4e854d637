"""Where points and areas are: which state holds each point, which states an area touches.

Vectorised point-in-territory queries over a :class:`~deployguard.geography.world.World`:
an STR-tree gives bounding-box candidates, then one vectorised exact test per unit against its
prepared geometry (a loop over ~250 units, never over points).  Land is asked first; only the
points on no land are asked about the 12-nmi territorial-sea belts. Points that no unit's box
holds (the high seas, the poles) simply get no state.

Examples
--------
>>> from deployguard.geography.world import World
>>> state_at(World.load(), [21.0, 0.0], [52.2, 89.9]).tolist()
['POL', '']
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard._types import Coordinates
from deployguard._validate import as_lonlat_arrays
from deployguard.errors import InvalidInputError
from deployguard.geodesy.prepared import prepared

__all__ = ["Locatable", "UnitLocator", "state_at", "states_touching", "units_at"]

_Tree = tuple[shapely.STRtree, NDArray[np.intp]]


class UnitLocator:
    """STR-trees over the Natural Earth units' land and their territorial-sea belts.

    Parameters
    ----------
    land : sequence of shapely geometries
        Each unit's land, in the order of ``codes``.
    codes, sovereigns : sequences of str
        Each unit's alpha-3 code and its sovereign's.
    belts : callable
        Returns the belts and, for each, the position of its holder in ``codes``; called
        once, on the first point at sea (reading the belts costs time).

    Notes
    -----
    Every geometry is prepared with :func:`~deployguard.geodesy.prepared.prepared` before it
    is queried, and the trees are built under a lock, so one locator serves many threads.
    """

    def __init__(self, land: Sequence[BaseGeometry], codes: Sequence[str],
                 sovereigns: Sequence[str],
                 belts: Callable[[], tuple[list[BaseGeometry], NDArray[np.intp]]]) -> None:
        self.codes = np.asarray(list(codes), dtype=object)
        self.sovereigns = np.asarray(list(sovereigns), dtype=object)
        self._land_geoms = list(land)
        self._belts = belts
        self._land: _Tree | None = None
        self._sea: _Tree | None = None
        self._lock = threading.Lock()

    def land_tree(self) -> _Tree:
        """STR-tree over each unit's land, with the row of each geometry in ``codes``."""
        with self._lock:
            if self._land is None:
                geoms = self._land_geoms
                self._land = (shapely.STRtree(geoms), np.arange(len(geoms), dtype=np.intp))
            return self._land

    def sea_tree(self) -> _Tree:
        """STR-tree over the territorial-sea belts, each with the row of its holder."""
        with self._lock:
            if self._sea is None:
                geoms, rows = self._belts()
                self._sea = (shapely.STRtree(geoms), np.asarray(rows, dtype=np.intp))
            return self._sea


class Locatable(Protocol):
    """What the functions here need of a world (a protocol, so that this module does not
    import :class:`~deployguard.geography.world.World`, which calls it).
    """

    def locator(self) -> UnitLocator: ...


def _first_unit(
    tree: shapely.STRtree, rows: NDArray[np.intp], x: NDArray[np.float64],
    y: NDArray[np.float64], todo: NDArray[np.intp],
) -> NDArray[np.intp]:
    """Row in ``codes`` of the first geometry of ``tree`` holding each point of
    ``todo`` (-1 for none); the lowest row wins a shared border.
    """
    out = np.full(len(todo), -1, dtype=np.intp)
    if not len(todo):
        return out
    points = shapely.points(x[todo], y[todo])
    # Bounding-box candidates from the tree, then one vectorised exact test per geometry
    # against its prepared form: a loop over ~250 geometries, never over points.
    qi, ti = tree.query(points)
    if not len(ti):  # no candidate at all (high seas, the poles)
        return out
    order = np.argsort(ti, kind="stable")
    qi, ti = qi[order], ti[order]
    hit = np.zeros(len(qi), dtype=bool)
    starts = np.flatnonzero(np.r_[True, ti[1:] != ti[:-1]])
    stops = np.append(starts[1:], len(ti))
    for start, stop in zip(starts, stops, strict=True):
        geom = prepared(tree.geometries[ti[start]])
        sel = qi[start:stop]
        hit[start:stop] = shapely.intersects_xy(geom, x[todo][sel], y[todo][sel])
    qi, unit = qi[hit], rows[ti[hit]]
    order = np.lexsort((unit, qi))
    qi, unit = qi[order], unit[order]
    first = np.unique(qi, return_index=True)[1]
    out[qi[first]] = unit[first]
    return out


def units_at(
    world: Locatable, lon: Coordinates, lat: Coordinates
) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """The Natural Earth unit whose land holds each point, and whose territorial sea.

    Returns
    -------
    land, sea : numpy.ndarray of object
        Unit codes (``"GRL"``, not its sovereign) with the broadcast shape of the inputs;
        ``""`` where none. ``sea`` is only looked up where ``land`` is empty.

    Examples
    --------
    >>> from deployguard.geography.world import World
    >>> land, sea = units_at(World.load(), [-42.0, 19.0], [72.0, 54.6])
    >>> land.tolist(), sea.tolist()
    (['GRL', ''], ['', 'POL'])
    """
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    x, y = lon_a.ravel(), lat_a.ravel()
    # the same meridian written +180 or -180: the data use both spellings, so try both
    x = np.where(x == -180.0, 180.0, x)
    loc = world.locator()
    land = _first_unit(*loc.land_tree(), x, y, np.arange(x.size))
    seam = np.flatnonzero((land < 0) & (x == 180.0))
    if seam.size:
        land[seam] = _first_unit(*loc.land_tree(), -x, y, seam)
    sea = np.full(x.size, -1, dtype=np.intp)
    todo = np.flatnonzero(land < 0)
    if todo.size:
        sea[todo] = _first_unit(*loc.sea_tree(), x, y, todo)
        seam = todo[(sea[todo] < 0) & (x[todo] == 180.0)]
        if seam.size:
            sea[seam] = _first_unit(*loc.sea_tree(), -x, y, seam)
    labels = np.append(loc.codes, "")  # [-1] -> ""
    return labels[land].reshape(lon_a.shape), labels[sea].reshape(lon_a.shape)


def states_touching(
    world: Locatable, geometry: BaseGeometry, sea: bool = False
) -> tuple[tuple[str, ...], bool]:
    """The sovereign states whose territory an area or route touches.

    Returns
    -------
    codes : tuple of str
        Sorted alpha-3 codes of the sovereigns (Guam counts for the USA).
    beyond : bool
        Whether part of the geometry lies on no state's territory (high seas, or
        beyond the territorial sea with ``sea=True``).

    Examples
    --------
    >>> from deployguard.geography.world import World
    >>> states_touching(World.load(), shapely.LineString([(14.0, 52.3), (21.0, 52.2)]))
    (('DEU', 'POL'), False)
    """
    if not isinstance(geometry, BaseGeometry) or geometry.is_empty:
        raise InvalidInputError(
            f"geometry must be a non-empty shapely geometry, got {geometry!r}"
        )
    loc = world.locator()
    trees = [loc.land_tree()] + ([loc.sea_tree()] if sea else [])
    sovereign = loc.sovereigns
    rows: list[int] = []
    covering: list[BaseGeometry] = []
    for tree, unit_rows in trees:
        idx = tree.query(geometry, predicate="intersects")
        rows.extend(int(r) for r in unit_rows[idx])
        covering.extend(tree.geometries[i] for i in idx)
    touched = sorted({str(sovereign[r]) for r in rows})
    covered = shapely.union_all(covering) if covering else None
    beyond = covered is None or not shapely.covers(covered, geometry)
    return tuple(touched), bool(beyond)

def state_at(
    world: Locatable, lon: Coordinates, lat: Coordinates, sea: bool = False, sovereign: bool = True
) -> NDArray[np.object_]:
    """Which state holds each point, vectorised.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees, broadcast together; longitudes are wrapped, so 180 and -180 both work.
    sea : bool
        Count the territorial sea as well as land (land wins where both apply).
    sovereign : bool
        Return the sovereign (Guam -> "USA") rather than the Natural Earth unit ("GUM").

    Returns
    -------
    numpy.ndarray of object
        Alpha-3 codes with the broadcast shape of the inputs; "" where no state holds the
        point. A point exactly on a land border gets the first unit in code order.

    Raises
    ------
    InvalidInputError
        For NaN, infinite or out-of-range coordinates and non-numeric input.

    Examples
    --------
    >>> from deployguard.geography.world import World
    >>> state_at(World.load(), [179.5, 144.8, 0.0], [66.0, 13.45, 0.0]).tolist()
    ['RUS', 'USA', '']
    """
    land, sea_unit = units_at(world, lon, lat)
    codes = np.where(land != "", land, sea_unit) if sea else land
    if not sovereign:
        return np.asarray(codes, dtype=object)
    loc = world.locator()
    lookup = dict(zip(loc.codes.tolist(), loc.sovereigns.tolist(), strict=True))
    lookup[""] = ""
    flat = [lookup[c] for c in np.asarray(codes, dtype=object).ravel()]
    return np.asarray(flat, dtype=object).reshape(np.shape(codes))
