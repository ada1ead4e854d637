"""Reach zones of a missile with a minimum range: where some target point lies in [min, max].

A point ``p`` is within reach of a connected part ``C`` of the target exactly when ``C`` comes
within ``max`` of ``p`` and does not lie wholly within ``min`` of it: the distance to points of
``C`` is continuous along ``C``, so it then takes a value in ``[min, max]``.  Hence

    excluded = union over parts C of ( reach_zone(C, max) minus {p : farthest(p, C) < min} )

and the second set, the points within ``min`` of every point of ``C``, is the sub-level set of
the farthest-point distance (1-Lipschitz, like the nearest), traced with the same level-set
kernel. Any split of the target into connected parts works (a point of ``C`` in [min, max] is
one of the target, and conversely), so parts cut at 180 deg need no gluing. The farthest
distance is the rigorous one of the part's distance index
(:meth:`~deployguard.geodesy.index.DistanceIndex.farthest_m`: every vertex a bound cannot rule
out measured with GeographicLib, edge interiors to centimetres, half a meridian where the part
holds the antipode).

Examples
--------
>>> from shapely.geometry import box
>>> zone = annulus_reach_zone(box(0, 0, 0.5, 0.5), 300.0, 200.0, 0.05)
>>> zone.contains(shapely.Point(0.25, 0.25)), zone.contains(shapely.Point(2.5, 0.25))
(False, True)
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from deployguard.geodesy.levelset import level_set_zone
from deployguard.geography.indexes import target_index
from deployguard.geography.ranges import reach_zone

__all__ = ["annulus_reach_zone"]


def _inner(part: BaseGeometry, rmin_km: float, tol_m: float) -> BaseGeometry:
    """Points within ``rmin_km`` of every point of ``part`` (empty if none)."""
    index = target_index(part)
    cell = float(np.clip(rmin_km / 110.5 / 20.0, 1e-3, 0.5))
    # the set lies in the disc of radius rmin around any one vertex
    lat0 = float(index.boundary.lat[0])
    margin = rmin_km / 110.5 * 1.02 + 2 * cell
    lat_range = (max(-90.0, lat0 - margin), min(90.0, lat0 + margin))
    res = level_set_zone(index.farthest_m, rmin_km * 1000.0, cell_deg=cell, tol_m=tol_m,
                         lat_range=lat_range, lon_range=(-180.0, 180.0))
    return res.geometry


def annulus_reach_zone(
    target: BaseGeometry, range_km: float, min_range_km: float, tolerance_km: float
) -> BaseGeometry:
    """Points from which some point of ``target`` lies at a geodesic distance in [min, max].

    Valid EPSG:4326, split at 180 deg; edges within ``tolerance_km`` of the exact sets. One
    reach zone and one farthest-point trace per polygon part of ``target``.
    """
    parts = [p for p in shapely.get_parts(target) if not p.is_empty]
    pieces = []
    tol_m = max(tolerance_km * 1000.0, 0.05)
    for part in parts:  # a loop over the target's parts, not over points
        zone = reach_zone(part, range_km, tolerance_km=tolerance_km)
        inner = _inner(part, min_range_km, tol_m)
        pieces.append(shapely.difference(zone, inner) if not inner.is_empty else zone)
    return shapely.union_all(pieces)
