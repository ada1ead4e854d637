"""Zones traced as level sets, with grids sized and cropped to the zone.

Helpers of :mod:`~deployguard.geodesy.levelset` for the two callers that know nothing of
states: a reach zone around any target, and a disc whose radius is too close to half the
meridian for :mod:`~deployguard.geodesy.rings` (where ``Geod.fwd`` points could lie past
the cut locus).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError, ZoneTraceError
from deployguard.geodesy.ellipsoid import B_M, HALF_MERIDIAN_KM, geodesic_m
from deployguard.geodesy.levelset import level_set_zone

__all__ = ["KM_PER_DEG_LAT_MIN", "crop", "traced", "traced_disc"]

Field = Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]]
Bounds = tuple[float, float, float, float]

# The geodesic length of one degree of latitude is at least 110.57 km.
KM_PER_DEG_LAT_MIN = 110.5
_MAX_GRID_NODES = 60_000_000


def crop(
    bounds: Bounds, radius_km: float, cell: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Latitude and longitude ranges that surely hold every point within the radius.

    A path of length r changes latitude by at most r / 110.5 km per degree, and
    longitude by at most r / (b cos(phi_max)) radians below latitude phi_max;
    the crop is the sole guarantee the tracer relies on, and it checks it.

    Examples
    --------
    >>> lat_range, lon_range = crop((0.0, 0.0, 1.0, 1.0), 100.0, 0.1)
    >>> [round(x, 3) for x in lat_range]
    [-1.123, 2.123]
    """
    lon_min, lat_min, lon_max, lat_max = bounds
    margin = radius_km / KM_PER_DEG_LAT_MIN * 1.02 + 2 * cell
    lat_range = (max(-90.0, lat_min - margin), min(90.0, lat_max + margin))
    lon_range = (-180.0, 180.0)
    phi_max = max(abs(lat_range[0]), abs(lat_range[1]))
    if phi_max < 89.0:
        lon_margin = float(np.degrees(radius_km * 1000.0 / (B_M * np.cos(np.radians(phi_max)))))
        lon_margin = lon_margin * 1.02 + 2 * cell
        if lon_min - lon_margin > -180.0 and lon_max + lon_margin < 180.0:
            lon_range = (lon_min - lon_margin, lon_max + lon_margin)
    nodes = ((lat_range[1] - lat_range[0]) / cell + 2) * ((lon_range[1] - lon_range[0]) / cell + 2)
    if nodes > _MAX_GRID_NODES:
        raise InvalidInputError(
            f"a {radius_km:g} km zone around a target spanning "
            f"{lon_max - lon_min:.1f} x {lat_max - lat_min:.1f} deg needs a {cell:.2g} deg grid "
            f"of {nodes:.2g} nodes (more than {_MAX_GRID_NODES:.0e}); use a larger radius or a "
            "smaller target"
        )
    return lat_range, lon_range


def traced(
    field: Field, radius_km: float, cell: float, tol_m: float,
    lat_range: tuple[float, float], lon_range: tuple[float, float] = (-180.0, 180.0),
) -> BaseGeometry:
    """Trace a zone, halving the grid cell while some edge cannot be resolved.

    An unresolved edge means the grid missed a feature (a notch or a hole
    narrower than a cell); a finer grid brings it into the topology.
    """
    worst = 0.0
    for _ in range(4):
        res = level_set_zone(
            field, radius_km * 1000.0, cell_deg=cell, tol_m=tol_m, lat_range=lat_range,
            lon_range=lon_range,
        )
        if res.max_edge_error_m <= tol_m:
            return res.geometry
        worst = res.max_edge_error_m
        cell /= 2
    raise ZoneTraceError(
        f"could not trace the zone of radius {radius_km} km within {tol_m} m "
        f"(worst edge {worst:.0f} m); please report this case"
    )


def traced_disc(lon0: float, lat0: float, radius_km: float, tol_m: float) -> BaseGeometry:
    """The disc of ``radius_km`` around one site, traced as a level set (any radius).

    Examples
    --------
    >>> traced_disc(0.0, 0.0, 20_100.0, 10.0).equals(shapely.box(-180, -90, 180, 90))
    True
    """
    if radius_km >= HALF_MERIDIAN_KM:
        return shapely.box(-180.0, -90.0, 180.0, 90.0)

    def field(lo: NDArray[np.float64], la: NDArray[np.float64]) -> NDArray[np.float64]:
        return geodesic_m(lon0, lat0, lo, la)

    pole_gap_km = min(float(geodesic_m(lon0, lat0, 0.0, 90.0)),
                      float(geodesic_m(lon0, lat0, 0.0, -90.0))) / 1000.0
    # eight cells across the radius: the disc's topology is never in doubt
    cell = float(np.clip(radius_km / KM_PER_DEG_LAT_MIN / 8.0, 1e-5, 4.0))
    if pole_gap_km <= 2 * radius_km + 5.0:
        # the grid spans all longitudes there; the pole row itself resolves the cap
        cell = max(cell, 0.05)
    lat_range, lon_range = crop((lon0, lat0, lon0, lat0), radius_km, cell)
    return traced(field, radius_km, cell, tol_m, lat_range, lon_range)
