"""Geodesic distance, range rings and reach zones on the WGS84 ellipsoid.

The domain face of :mod:`deployguard.geodesy`.  Every function here speaks
kilometres and (lon, lat) degrees; every distance is a GeographicLib geodesic
on WGS84, never a planar, spherical or UTM shortcut.

Conventions (design.md section 2):

- ``distance_km(P, T)`` is 0 inside ``T``, else the least geodesic distance from
  ``P`` to ``T``'s boundary, whose edges are straight in lon/lat (the GeoJSON
  and shapely convention).
- "S at P reaches T" means ``distance_km(P, T) <= range_km`` (closed); with a
  minimum range, some point of ``T`` must lie at a distance in
  ``[min_range_km, range_km]``.
- Output geometries are valid EPSG:4326 geometries, split at the antimeridian
  and closed along a pole they contain.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from deployguard._types import Coordinates
from deployguard._validate import as_lonlat_arrays, as_nonnegative_km
from deployguard.errors import InvalidInputError
from deployguard.geodesy.donut import within_annulus
from deployguard.geodesy.ellipsoid import HALF_MERIDIAN_KM
from deployguard.geodesy.index import DistanceIndex, validated_geometry
from deployguard.geodesy.rings import DIRECT_MAX_M, geodesic_discs
from deployguard.geodesy.tracing import KM_PER_DEG_LAT_MIN, crop, traced, traced_disc
from deployguard.geography.indexes import target_index
from deployguard.geography.territories import state_territory

__all__ = [
    "MIN_RING_RADIUS_KM",
    "MIN_TOLERANCE_KM",
    "distance_km",
    "geometry_distance_km",
    "within_range",
    "range_ring",
    "reach_zone",
    "target_index",
]

#: Smallest radius a range ring is drawn for (1 m); below it lon/lat edges mean nothing.
MIN_RING_RADIUS_KM = 0.001
#: Finest edge tolerance accepted (1 m); finer ones cost time and vertices for nothing
#: (vertices are exact anyway; 1 m is the accuracy every distance is tested to).
MIN_TOLERANCE_KM = 0.001
# The tolerance a ring derives from its radius (1 %) never goes below this: 1 % of the
# smallest radius drawn (1 m), so no radius the floors let through asks for finer edges.
_MIN_DERIVED_TOLERANCE_M = 0.01


def distance_km(lon: Coordinates, lat: Coordinates, target: Any) -> NDArray[np.float64]:
    """Geodesic WGS84 distance in km from points to a target.

    Parameters
    ----------
    lon, lat : float or array_like
        Point coordinates in degrees; broadcast like numpy.
    target : shapely geometry, territory, DistanceIndex, or state name or code (its land)
        In EPSG:4326; parts cut at +-180 deg are fine.

    Returns
    -------
    ndarray
        Distances in km, the broadcast shape of ``lon`` and ``lat`` (a 0-d array for scalars).

    Notes
    -----
    Exact to well under a metre against GeographicLib on a densified boundary
    (tests compare with a brute force).  Polygon edges are straight in lon/lat.
    For an area or route deployment use :func:`geometry_distance_km`.

    See Also
    --------
    geometry_distance_km : the least distance between two geometries.
    within_range : the same question as a yes/no, cheaper.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(float(distance_km(2.0, 0.5, box(0, 0, 1, 1))), 3)
    111.315
    >>> float(distance_km(0.5, 0.5, box(0, 0, 1, 1)))
    0.0
    """
    if isinstance(lon, BaseGeometry) or hasattr(lon, "geometry"):
        raise InvalidInputError(
            "distance_km(lon, lat, target) takes points; for the distance between an area or "
            "route and a target use geometry_distance_km(source, target)"
        )
    if target is None:
        raise InvalidInputError("distance_km(lon, lat, target): target is missing")
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    out: NDArray[np.float64] = target_index(target).distance_m(lon_a, lat_a) / 1000.0
    return out


def geometry_distance_km(source: Any, target: Any) -> float:
    """Least geodesic WGS84 distance in km between two geometries (0 if they touch).

    Parameters
    ----------
    source : shapely geometry, territory, or state name or code (its land)
        An area, route or point set (a base perimeter, a patrol box, a flight route).
    target : shapely geometry, territory, DistanceIndex, or state name or code (its land)

    See Also
    --------
    distance_km : from points.

    Examples
    --------
    >>> from shapely.geometry import LineString, box
    >>> round(geometry_distance_km(LineString([(3, 0.5), (2, 0.5)]), box(0, 0, 1, 1)), 3)
    111.315
    """
    if isinstance(source, DistanceIndex):
        s_idx = source
    else:
        s_idx = target_index(validated_geometry(state_territory(source, "source"), "source"))
    return float(_set_distance_m(s_idx, target_index(target)) / 1000.0)


def _set_distance_m(s_idx: DistanceIndex, t_idx: DistanceIndex) -> float:
    if shapely.intersects(s_idx.geometry, t_idx.geometry):
        return 0.0
    sb = s_idx.boundary
    best = float(t_idx.distance_m(sb.lon, sb.lat).min())
    # The nearest pair may sit at a target vertex facing a source edge: check the
    # target's vertices too, but only those that could beat the current best.
    tb = t_idx.boundary
    lb = s_idx.lower_bound_m(tb.lon, tb.lat)
    cand = np.flatnonzero(lb <= best)
    if cand.size:
        best = min(best, float(s_idx.distance_m(tb.lon[cand], tb.lat[cand]).min()))
    return best


def _check_radii(r: float, rmin: float, range_km: Any, min_range_km: Any) -> None:
    if rmin > 0 and rmin >= r:
        raise InvalidInputError(
            f"min_range_km ({rmin:g}) must be less than range_km ({r:g}); "
            "use min_range_km=0 for no minimum range"
        )


def within_range(
    lon: Coordinates, lat: Coordinates, target: Any, range_km: float, min_range_km: float = 0.0
) -> NDArray[np.bool_]:
    """True where some point of ``target`` lies at a distance in ``[min_range_km, range_km]``.

    Parameters
    ----------
    lon, lat : float or array_like
        Launch points in degrees (broadcast).
    target : shapely geometry, territory, DistanceIndex, or state name or code (its land)
    range_km : float
        Maximum range (closed interval).
    min_range_km : float, default 0
        Minimum range, less than ``range_km``.  With a minimum range, a target
        that surrounds the launcher still counts if part of it lies in the annulus;
        each connected part of the target is judged on its own (two islands at 100 and
        900 km hold no point at 300 to 800 km).

    Returns
    -------
    ndarray of bool

    Notes
    -----
    Decides most points from cheap rigorous bounds and computes the exact
    nearest (and, with a minimum range, farthest) distance only near a threshold,
    so it equals the exact answer (tested against a brute force) at a fraction of
    the cost.

    See Also
    --------
    distance_km : the nearest distance itself.
    range_ring : the annulus drawn as a polygon (for maps, not for decisions).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> bool(within_range(2.0, 0.5, box(0, 0, 1, 1), 112.0))
    True
    >>> bool(within_range(2.0, 0.5, box(0, 0, 1, 1), 111.0))
    False
    >>> bool(within_range(0.5, 0.5, box(0, 0, 1, 1), 500.0, min_range_km=90.0))
    False
    """
    r = as_nonnegative_km(range_km, "range_km")
    rmin = as_nonnegative_km(min_range_km, "min_range_km")
    _check_radii(r, rmin, range_km, min_range_km)
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    shape = lon_a.shape
    lon_f, lat_f = lon_a.ravel(), lat_a.ravel()
    idx = target_index(target)
    if rmin > 0.0:
        return within_annulus(idx, lon_f, lat_f, r * 1000.0, rmin * 1000.0).reshape(shape)
    r_m = r * 1000.0
    result = idx.contains(lon_f, lat_f)
    rest = np.flatnonzero(~result)
    if rest.size:
        lower, upper = idx.bounds_m(lon_f[rest], lat_f[rest])
        maybe = lower <= r_m
        result[rest[maybe & (upper <= r_m)]] = True
        exact = rest[maybe & (upper > r_m)]
        if exact.size:
            result[exact] = idx.distance_m(lon_f[exact], lat_f[exact]) <= r_m
    return result.reshape(shape)


def _km_array(value: ArrayLike, name: str) -> NDArray[np.float64]:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} must be a number of kilometres, got {value!r}") from exc
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise InvalidInputError(
            f"{name} must be a finite number of km >= 0, got {float(arr[bad].ravel()[0]):g}"
        )
    return arr


def range_ring(
    lon: Coordinates, lat: Coordinates, range_km: ArrayLike, min_range_km: ArrayLike = 0.0,
    tolerance_km: float = 0.01,
) -> Any:
    """The disc (or annulus) of points within range of launch sites.

    Parameters
    ----------
    lon, lat : float or array_like
        Sites in degrees; broadcast like numpy with the radii.
    range_km : float or array_like
        Radius, at least :data:`MIN_RING_RADIUS_KM` (1 m); from half the meridian
        (20,003.9 km) on, the whole globe is returned.
    min_range_km : float or array_like, default 0
        Inner radius of an annulus: 0 for none, else at least :data:`MIN_RING_RADIUS_KM`
        (1 m) and less than ``range_km``.
    tolerance_km : float, default 0.01
        How far the straight lon/lat edges may stray from the exact circle, at
        least :data:`MIN_TOLERANCE_KM` (1 m), never coarser than 1 % of the radius;
        vertices themselves are exact (GeographicLib).

    Returns
    -------
    shapely Polygon or MultiPolygon, or ndarray of them
        One geometry for scalar input, else an array of the broadcast shape (shapely
        2 style).  Each is valid in EPSG:4326, split at +-180 deg and closed along a
        pole it contains.

    Notes
    -----
    Rings are for maps and "where" answers; decide reach with :func:`within_range`.

    See Also
    --------
    within_range : the exact yes/no behind a ring.
    reach_zone : the same around a whole target.

    Examples
    --------
    >>> ring = range_ring(20.5, 54.7, 500)
    >>> ring.is_valid and ring.contains(shapely.Point(21.0, 52.2))
    True
    >>> rings = range_ring([20.5, 179.0], [54.7, 60.0], [500, 1000])
    >>> rings.shape, [g.geom_type for g in rings]
    ((2,), ['Polygon', 'MultiPolygon'])
    """
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    r = _km_array(range_km, "range_km")
    rmin = _km_array(min_range_km, "min_range_km")
    tol = as_nonnegative_km(tolerance_km, "tolerance_km")
    if tol < MIN_TOLERANCE_KM:
        raise InvalidInputError(
            f"tolerance_km must be at least {MIN_TOLERANCE_KM} km (1 m), got {tolerance_km!r}; "
            "ring vertices are exact whatever the tolerance"
        )
    try:
        lon_b, lat_b, r_b, rmin_b = np.broadcast_arrays(lon_a, lat_a, r, rmin)
    except ValueError as exc:
        raise InvalidInputError(
            f"lon, lat, range_km and min_range_km must broadcast together, got shapes "
            f"{lon_a.shape}, {r.shape} and {rmin.shape}"
        ) from exc
    small = r_b < MIN_RING_RADIUS_KM
    if small.any():
        raise InvalidInputError(
            f"range_km must be at least {MIN_RING_RADIUS_KM} km (1 m) for a range ring, got "
            f"{float(r_b[small].ravel()[0]):g}"
        )
    tiny = (rmin_b > 0) & (rmin_b < MIN_RING_RADIUS_KM)
    if tiny.any():
        raise InvalidInputError(
            f"min_range_km must be 0 (no minimum range) or at least {MIN_RING_RADIUS_KM} km "
            f"(1 m) for a range ring, got {float(rmin_b[tiny].ravel()[0]):g}"
        )
    clash = (rmin_b > 0) & (rmin_b >= r_b)
    if clash.any():
        i = np.argwhere(clash)[0]
        raise InvalidInputError(
            f"min_range_km ({float(rmin_b[tuple(i)]):g}) must be less than range_km "
            f"({float(r_b[tuple(i)]):g}); use min_range_km=0 for no minimum range"
        )
    shape = lon_b.shape
    x, y = lon_b.ravel(), lat_b.ravel()
    # a tolerance never coarser than 1 % of the inner or outer radius
    inner = rmin_b.ravel()
    r_f = r_b.ravel()
    tol_m = np.maximum(np.minimum(tol * 1000.0, np.where(inner > 0, inner, r_f) * 10.0),
                       _MIN_DERIVED_TOLERANCE_M)
    out = _discs(x, y, r_f, tol_m)
    holes = np.flatnonzero(inner > 0)
    if holes.size:
        out[holes] = shapely.difference(out[holes], _discs(x[holes], y[holes], inner[holes],
                                                           tol_m[holes]))
    if shape == ():
        return out[0]
    return out.reshape(shape)


def _discs(lon: NDArray[np.float64], lat: NDArray[np.float64], radius_km: NDArray[np.float64],
           tol_m: NDArray[np.float64]) -> NDArray[np.object_]:
    out = np.empty(lon.size, dtype=object)
    direct = np.flatnonzero(radius_km * 1000.0 <= DIRECT_MAX_M)
    if direct.size:
        out[direct] = geodesic_discs(lon[direct], lat[direct], radius_km[direct] * 1000.0,
                                     tol_m[direct])
    for i in np.flatnonzero(radius_km * 1000.0 > DIRECT_MAX_M):
        # within 100 km of half the meridian: rare, traced (one site at a time)
        out[i] = traced_disc(float(lon[i]), float(lat[i]), float(radius_km[i]), float(tol_m[i]))
    return out


def reach_zone(target: Any, range_km: float, tolerance_km: float | None = None
               ) -> BaseGeometry:
    """Points from which ``target`` lies within ``range_km``: its geodesic buffer.

    Parameters
    ----------
    target : shapely geometry, territory, DistanceIndex, or state name or code (its land)
    range_km : float
        Buffer distance (km), at least :data:`MIN_RING_RADIUS_KM` (1 m).
    tolerance_km : float, optional
        How far the zone's edges may stray from the exact distance; default
        ``max(0.05, 5e-5 * range_km)`` (half the accuracy the tests demand); at least
        :data:`MIN_TOLERANCE_KM`.

    Returns
    -------
    shapely Polygon or MultiPolygon
        Valid in EPSG:4326, split at +-180 deg, closed along a pole it contains.

    Notes
    -----
    Traced as the level set ``distance_km(p, target) == range_km`` (see
    :mod:`deployguard.geodesy.levelset`); decisions should still use
    :func:`within_range`, which is exact.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> zone = reach_zone(box(0, 0, 1, 1), 100)
    >>> zone.contains(shapely.Point(1.8, 0.5)), zone.contains(shapely.Point(2.0, 0.5))
    (True, False)
    """
    r = as_nonnegative_km(range_km, "range_km")
    if r < MIN_RING_RADIUS_KM:
        # below it the zone's edges mean nothing and the tracer's grid cannot hold the zone
        raise InvalidInputError(
            f"range_km must be at least {MIN_RING_RADIUS_KM} km (1 m) for a reach zone, got "
            f"{range_km!r}"
        )
    if tolerance_km is None:
        tol = max(0.05, 5e-5 * r)
    else:
        tol = as_nonnegative_km(tolerance_km, "tolerance_km")
        if tol < MIN_TOLERANCE_KM:
            raise InvalidInputError(
                f"tolerance_km must be at least {MIN_TOLERANCE_KM} km (1 m), got "
                f"{tolerance_km!r}"
            )
    idx = target_index(target)
    if r >= HALF_MERIDIAN_KM:
        return shapely.box(-180.0, -90.0, 180.0, 90.0)
    cell = float(np.clip(r / KM_PER_DEG_LAT_MIN / 20.0, 1e-5, 0.5))
    lat_range, lon_range = crop(idx.geometry.bounds, r, cell)
    return traced(idx.distance_m, r, cell, max(tol * 1000.0, 0.05), lat_range, lon_range)
