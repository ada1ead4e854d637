"""Geodesic distance, range rings and reach zones (the design card's name for this module).

The code lives in :mod:`deployguard.geography.ranges`; this module re-exports it so that
``from deployguard.ranges import distance_km`` keeps working.

Examples
--------
>>> from shapely.geometry import box
>>> from deployguard.ranges import distance_km
>>> round(float(distance_km(2.0, 0.5, box(0, 0, 1, 1))), 3)
111.315
"""

from deployguard.geography.ranges import (
    distance_km,
    geometry_distance_km,
    range_ring,
    reach_zone,
    target_index,
    within_range,
)

__all__ = [
    "distance_km",
    "geometry_distance_km",
    "range_ring",
    "reach_zone",
    "target_index",
    "within_range",
]
