"""Is some point of a target at a distance in ``[r_min, r_max]``?  Many points at once.

The question a missile with a minimum range asks.  Over a *connected* part of the target
the distances from a point fill an interval ``[nearest, farthest]`` (a continuous function
on a connected set), so a part answers yes exactly when ``nearest <= r_max`` and
``farthest >= r_min``; a disconnected target (islands) answers yes when one of its parts
does.  Two islands at 100 km and 900 km hold no point at 300..800 km.

Every decision comes from rigorous bounds first (k-d trees, no geodesic), then from the
exact nearest (:meth:`~deployguard.geodesy.index.DistanceIndex.distance_m`) and farthest
(:meth:`~deployguard.geodesy.index.DistanceIndex.farthest_m`) distances where a bound
cannot decide, so the answer equals the exact one (tested against a brute force).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from deployguard.geodesy.ellipsoid import B_M, unit_vectors
from deployguard.geodesy.farthest import A_UP

if TYPE_CHECKING:
    from deployguard.geodesy.index import DistanceIndex

__all__ = ["within_annulus"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def within_annulus(index: DistanceIndex, lon: FloatArray, lat: FloatArray,
                   r_max_m: float, r_min_m: float) -> BoolArray:
    """True where some point of the target lies at a distance in ``[r_min_m, r_max_m]``.

    ``lon`` and ``lat`` are flat arrays; ``0 < r_min_m < r_max_m``.

    Examples
    --------
    >>> import shapely
    >>> from deployguard.geodesy.index import DistanceIndex
    >>> islands = DistanceIndex(shapely.MultiPolygon([shapely.box(1, 0, 1.01, 0.01),
    ...                                               shapely.box(8, 0, 8.01, 0.01)]))
    >>> within_annulus(islands, np.array([0.0]), np.array([0.0]), 800e3, 300e3).tolist()
    [False]
    >>> within_annulus(islands, np.array([0.0]), np.array([0.0]), 950e3, 300e3).tolist()
    [True]
    """
    near_ok, near_lower = _near_within(index, lon, lat, r_max_m)
    parts = index.components()
    if len(parts) == 1:
        # connected: [nearest, farthest] meets [r_min, r_max] iff both ends allow it
        result = near_ok.copy()
        cand = np.flatnonzero(near_ok)
        result[cand] = _far_enough(index, lon[cand], lat[cand], r_min_m)
        return result
    # disconnected: a nearest point already in the annulus settles it ...
    result = near_ok & (near_lower >= r_min_m)
    pending = np.flatnonzero(near_ok & ~result)
    if pending.size == 0:
        return result
    # ... and no part is farther than the whole
    _, far_hi = index.far_bounds_m(lon[pending], lat[pending])
    pending = pending[far_hi >= r_min_m]
    if pending.size == 0:
        return result
    # A part can help only if its cap allows a nearest <= r_max and a farthest >= r_min.
    caps = _caps(index)
    pu = unit_vectors(lon[pending], lat[pending])
    theta = np.arccos(np.clip(pu @ caps.centre.T, -1.0, 1.0))  # (points, parts)
    near_lo = B_M * np.maximum(theta - caps.radius, 0.0) - caps.half_edge
    far_hi_part = A_UP * np.minimum(theta + caps.radius, np.pi) + caps.half_edge
    useful = (near_lo <= r_max_m) & (far_hi_part >= r_min_m)
    open_ = np.ones(pending.size, dtype=bool)
    for k in np.argsort(-caps.size):
        rows = np.flatnonzero(open_ & useful[:, k])
        if rows.size == 0:
            continue
        hit = _part_holds(parts[k], lon[pending[rows]], lat[pending[rows]], r_max_m, r_min_m)
        open_[rows[hit]] = False
        if not open_.any():
            break
    result[pending] = ~open_
    return result


def _near_within(index: DistanceIndex, lon: FloatArray, lat: FloatArray, r_max_m: float
                 ) -> tuple[BoolArray, FloatArray]:
    """``nearest <= r_max`` (bounds first, exact near the threshold), and a lower bound
    of the nearest distance (exact where it was computed).
    """
    near_ok = index.contains(lon, lat)
    near_lower = np.zeros(lon.size)
    rest = np.flatnonzero(~near_ok)
    if rest.size:
        lower, upper = index.bounds_m(lon[rest], lat[rest])
        near_lower[rest] = lower
        near_ok[rest[upper <= r_max_m]] = True
        exact = rest[(lower <= r_max_m) & (upper > r_max_m)]
        if exact.size:
            d = index.distance_m(lon[exact], lat[exact])
            near_lower[exact] = d
            near_ok[exact] = d <= r_max_m
    return near_ok, near_lower


def _far_enough(index: DistanceIndex, lon: FloatArray, lat: FloatArray, r_min_m: float
                ) -> BoolArray:
    """``farthest >= r_min`` from bounds, exact where they cannot tell."""
    lower, upper = index.far_bounds_m(lon, lat, r_min_m)
    out = lower >= r_min_m
    unsure = np.flatnonzero(~out & (upper >= r_min_m))
    if unsure.size:
        out[unsure] = index.farthest_m(lon[unsure], lat[unsure], r_min_m) >= r_min_m
    return out


def _part_holds(part: DistanceIndex, lon: FloatArray, lat: FloatArray,
                r_max_m: float, r_min_m: float) -> BoolArray:
    """For one connected part: ``nearest <= r_max`` and ``farthest >= r_min``."""
    near_ok, _ = _near_within(part, lon, lat, r_max_m)
    out = np.zeros(lon.size, dtype=bool)
    cand = np.flatnonzero(near_ok)
    if cand.size:
        out[cand] = _far_enough(part, lon[cand], lat[cand], r_min_m)
    return out


class _Caps:
    """A bounding cap per connected part: centre, angular radius, vertex count."""

    def __init__(self, index: DistanceIndex) -> None:
        parts = index.components()
        centre = np.zeros((len(parts), 3))
        radius = np.zeros(len(parts))
        size = np.zeros(len(parts))
        half_edge = np.zeros(len(parts))
        for k, part in enumerate(parts):
            u = part.unit
            c = u.sum(axis=0)
            norm = float(np.linalg.norm(c))
            c = c / norm if norm > 1e-9 else u[0]
            centre[k] = c
            ang = float(np.arccos(np.clip(u @ c, -1.0, 1.0)).max())
            # The cap holds the part's area unless the area holds the cap's far side.
            anti = -c
            alon = float(np.degrees(np.arctan2(anti[1], anti[0])))
            alat = float(np.degrees(np.arcsin(np.clip(anti[2], -1.0, 1.0))))
            if ang >= np.pi / 2 or bool(part.contains(alon, alat)):
                ang = np.pi
            radius[k] = min(np.pi, ang * (1 + 1e-9) + 1e-12)
            half_edge[k] = part.max_edge_m / 2 + 1e-3
            size[k] = part.boundary.size
        self.centre = centre
        self.radius = radius
        self.size = size
        self.half_edge = half_edge


def _caps(index: DistanceIndex) -> _Caps:
    return index.memo("donut.caps", lambda: _Caps(index))

