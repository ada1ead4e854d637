"""Where points and areas are: which state holds each point, which states an area touches.

Vectorised point-in-territory queries over a :class:`~deployguard.geography.world.World`:
an STR-tree gives bounding-box candidates, then one vectorised exact test per unit against its
prepared geometry (a loop over ~250 units, never over points).  Points that no unit's box holds
(the high seas, the poles) simply get no state.

Examples
--------
>>> from deployguard.geography.world import World
>>> state_at(World.load(), [21.0, 0.0], [52.2, 89.9]).tolist()
['POL', '']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard._types import Coordinates
from deployguard._validate import as_lonlat_arrays
from deployguard.errors import InvalidInputError

if TYPE_CHECKING:
    from deployguard.geography.world import World

__all__ = ["state_at", "states_touching"]


def _tree(world: World, sea: bool) -> tuple[shapely.STRtree, NDArray[np.object_]]:
    if sea not in world._trees:
        codes = world.states["iso_a3"].to_numpy()
        if sea:
            # only asked for points on no land, so land inside these does no harm
            geoms = [
                world.territory_record(c, sea=True, with_dependencies=False).geometry
                for c in codes
            ]
        else:
            geoms = list(world.states.geometry)
        world._trees[sea] = (shapely.STRtree(geoms), codes)
    return world._trees[sea]

def states_touching(
    world: World, geometry: BaseGeometry, sea: bool = False
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
    tree, codes = _tree(world, sea)
    idx = tree.query(geometry, predicate="intersects")
    sovereign = dict(zip(world.states["iso_a3"], world.states["sovereign_a3"], strict=True))
    touched = sorted({sovereign[c] for c in codes[idx]})
    covered = shapely.union_all([tree.geometries[i] for i in idx]) if len(idx) else None
    beyond = covered is None or not shapely.covers(covered, geometry)
    return tuple(touched), bool(beyond)

def state_at(
    world: World, lon: Coordinates, lat: Coordinates, sea: bool = False, sovereign: bool = True
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
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    x, y = lon_a.ravel(), lat_a.ravel()
    points: NDArray[np.object_] = np.asarray(shapely.points(x, y))
    unit = np.full(points.shape, -1, dtype=np.intp)  # row in world.states, -1 = none
    for layer in (False, True) if sea else (False,):
        tree, _ = _tree(world, layer)
        todo = np.flatnonzero(unit < 0)
        if not len(todo):
            break
        # Bounding-box candidates from the tree, then one vectorised exact test per unit
        # against its prepared geometry: a loop over ~250 units, never over points.
        qi, ti = tree.query(points[todo])
        hit = np.zeros(len(qi), dtype=bool)
        order = np.argsort(ti, kind="stable")
        qi, ti = qi[order], ti[order]
        # no candidate at all (high seas, the poles) leaves every point on no state
        starts = np.flatnonzero(np.r_[True, ti[1:] != ti[:-1]]) if len(ti) else np.zeros(0, int)
        stops = np.append(starts[1:], len(ti)) if len(ti) else np.zeros(0, int)
        for start, stop in zip(starts, stops, strict=True):
            geom = tree.geometries[ti[start]]
            shapely.prepare(geom)
            sel = todo[qi[start:stop]]
            hit[start:stop] = shapely.intersects_xy(geom, x[sel], y[sel])
        qi, ti = qi[hit], ti[hit]
        order = np.lexsort((ti, qi))  # lowest unit index wins a shared border
        qi, ti = qi[order], ti[order]
        first = np.unique(qi, return_index=True)[1]
        unit[todo[qi[first]]] = ti[first]
    column = "sovereign_a3" if sovereign else "iso_a3"
    labels = np.append(world.states[column].to_numpy(dtype=object), "")  # [-1] -> ""
    return labels[unit].reshape(lon_a.shape)
