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

from collections import OrderedDict
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from deployguard._types import Coordinates
from deployguard._validate import as_lonlat_arrays, as_nonnegative_km
from deployguard.errors import InvalidInputError, ZoneTraceError
from deployguard.geodesy.ellipsoid import B_M, GEOD, HALF_MERIDIAN_KM, geodesic_m
from deployguard.geodesy.index import DistanceIndex
from deployguard.geodesy.levelset import level_set_zone

__all__ = [
    "distance_km",
    "geometry_distance_km",
    "within_range",
    "range_ring",
    "reach_zone",
    "target_index",
]

_INDEX_CACHE: OrderedDict[Any, DistanceIndex] = OrderedDict()
_INDEX_CACHE_SIZE = 32
# The geodesic length of one degree of latitude is at least 110.57 km.
_KM_PER_DEG_LAT_MIN = 110.5


def _as_geometry(target: Any, name: str = "target") -> shapely.Geometry:
    geom = getattr(target, "geometry", target)
    if not isinstance(geom, shapely.Geometry):
        raise InvalidInputError(
            f"{name} must be a shapely geometry or a territory, got {type(target).__name__}"
        )
    if geom.is_empty:
        raise InvalidInputError(f"{name} is an empty geometry")
    if not geom.is_valid:
        raise InvalidInputError(
            f"{name} is not a valid geometry ({shapely.is_valid_reason(geom)}); "
            "repair it with shapely.make_valid"
        )
    lon_min, lat_min, lon_max, lat_max = geom.bounds
    if lon_min < -180 - 1e-9 or lon_max > 180 + 1e-9 or lat_min < -90 or lat_max > 90:
        raise InvalidInputError(
            f"{name} must lie in lon [-180, 180], lat [-90, 90] (EPSG:4326), "
            f"got bounds {tuple(round(b, 6) for b in geom.bounds)}"
        )
    return geom


def target_index(target: Any) -> DistanceIndex:
    """The cached :class:`~deployguard.geodesy.index.DistanceIndex` of a target.

    Building the index of Russia at 1:10m takes a fraction of a second; it is
    kept (for the 32 most recent targets) so that repeated calls cost only the
    query.  Pass the returned object around to keep it alive explicitly.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> idx = target_index(box(0, 0, 1, 1))
    >>> idx is target_index(box(0, 0, 1, 1))
    True
    """
    if isinstance(target, DistanceIndex):
        return target
    geom = _as_geometry(target)
    key = shapely.to_wkb(geom)
    hit = _INDEX_CACHE.get(key)
    if hit is not None:
        _INDEX_CACHE.move_to_end(key)
        return hit
    idx = DistanceIndex(geom)
    _INDEX_CACHE[key] = idx
    if len(_INDEX_CACHE) > _INDEX_CACHE_SIZE:
        _INDEX_CACHE.popitem(last=False)
    return idx


def distance_km(lon: Coordinates, lat: Coordinates, target: Any) -> NDArray[np.float64]:
    """Geodesic WGS84 distance in km from points to a target.

    Parameters
    ----------
    lon, lat : float or array_like
        Point coordinates in degrees; broadcast like numpy.
    target : shapely geometry, territory or DistanceIndex
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
    if isinstance(lon, shapely.Geometry) or hasattr(lon, "geometry"):
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
    source : shapely geometry or territory
        An area, route or point set (a base perimeter, a patrol box, a flight route).
    target : shapely geometry, territory or DistanceIndex

    See Also
    --------
    distance_km : from points.

    Examples
    --------
    >>> from shapely.geometry import LineString, box
    >>> round(geometry_distance_km(LineString([(3, 0.5), (2, 0.5)]), box(0, 0, 1, 1)), 3)
    111.315
    """
    geom = _as_geometry(source, "source")
    return float(_set_distance_m(geom, target) / 1000.0)


def _set_distance_m(source: shapely.Geometry, target: Any) -> float:
    tgt_geom = target.geometry if isinstance(target, DistanceIndex) else _as_geometry(target)
    if shapely.intersects(source, tgt_geom):
        return 0.0
    t_idx = target_index(target)
    s_idx = target_index(source)
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


def within_range(
    lon: Any, lat: Any, target: Any, range_km: float, min_range_km: float = 0.0
) -> np.ndarray:
    """True where some point of ``target`` lies at a distance in ``[min_range_km, range_km]``.

    Parameters
    ----------
    lon, lat : float or array_like
        Launch points in degrees (broadcast).
    target : shapely geometry, territory or DistanceIndex
    range_km : float
        Maximum range (closed interval).
    min_range_km : float, default 0
        Minimum range.  With a minimum range, a target that surrounds the
        launcher still counts if part of it lies in the annulus.

    Returns
    -------
    ndarray of bool

    Notes
    -----
    Decides most points from cheap rigorous bounds and computes the exact
    distance only near the threshold, so it equals ``distance_km(...) <=
    range_km`` (tested) at a fraction of the cost.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> bool(within_range(2.0, 0.5, box(0, 0, 1, 1), 112.0))
    True
    >>> bool(within_range(2.0, 0.5, box(0, 0, 1, 1), 111.0))
    False
    """
    r = as_nonnegative_km(range_km, "range_km")
    rmin = as_nonnegative_km(min_range_km, "min_range_km")
    if rmin > r:
        raise InvalidInputError(
            f"min_range_km ({min_range_km!r}) must not exceed range_km ({range_km!r})"
        )
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    shape = lon_a.shape
    lon_f, lat_f = lon_a.ravel(), lat_a.ravel()
    idx = target_index(target)
    r_m = r * 1000.0
    result = np.zeros(lon_f.size, dtype=bool)
    inside = idx.contains(lon_f, lat_f)
    dist = np.full(lon_f.size, np.nan)
    dist[inside] = 0.0
    rest = np.flatnonzero(~inside)
    if rest.size:
        lower, upper = idx.bounds_m(lon_f[rest], lat_f[rest])
        maybe = lower <= r_m
        sure = maybe & (upper <= r_m)
        if rmin == 0.0:
            result[rest[sure]] = True
            exact = rest[maybe & ~sure]
        else:
            exact = rest[maybe]
        if exact.size:
            dist[exact] = idx.distance_m(lon_f[exact], lat_f[exact])
    known = ~np.isnan(dist)
    result[known] = dist[known] <= r_m
    if rmin > 0.0:
        close = np.flatnonzero(known & (dist < rmin * 1000.0))
        for i in close:
            # The nearest point is too close: is any other part of the target in
            # the annulus?  (Rare; one small geodesic polygon per point.)
            ring = range_ring(lon_f[i], lat_f[i], r, rmin)
            result[i] = bool(shapely.intersects(ring, idx.geometry))
    return result.reshape(shape)


_MAX_GRID_NODES = 60_000_000


def _crop(bounds, radius_km: float, cell: float):
    """Latitude and longitude ranges that surely hold every point within the radius.

    A path of length r changes latitude by at most r / 110.5 km per degree, and
    longitude by at most r / (b cos(phi_max)) radians below latitude phi_max;
    the crop is the sole guarantee the tracer relies on, and it checks it.
    """
    lon_min, lat_min, lon_max, lat_max = bounds
    margin = radius_km / _KM_PER_DEG_LAT_MIN * 1.02 + 2 * cell
    lat_range = (max(-90.0, lat_min - margin), min(90.0, lat_max + margin))
    lon_range = (-180.0, 180.0)
    phi_max = max(abs(lat_range[0]), abs(lat_range[1]))
    if phi_max < 89.0:
        lon_margin = np.degrees(radius_km * 1000.0 / (B_M * np.cos(np.radians(phi_max))))
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


def _disc(lon0: float, lat0: float, radius_km: float, tol_m: float):
    if radius_km >= HALF_MERIDIAN_KM:
        return shapely.box(-180.0, -90.0, 180.0, 90.0)

    def field(lo, la):
        return geodesic_m(lon0, lat0, lo, la)

    pole_gap_km = min(geodesic_m(lon0, lat0, 0.0, 90.0), geodesic_m(lon0, lat0, 0.0, -90.0))
    if radius_km < 1.0 and pole_gap_km / 1000.0 > 2 * radius_km:
        small = _small_disc(lon0, lat0, radius_km, tol_m)
        if small is not None:
            return small
    # eight cells across the radius: the disc's topology is never in doubt
    cell = float(np.clip(radius_km / _KM_PER_DEG_LAT_MIN / 8.0, 1e-5, 4.0))
    if pole_gap_km / 1000.0 <= 2 * radius_km + 5.0:
        # the grid spans all longitudes there; the pole row itself resolves the cap
        cell = max(cell, 0.05)
    lat_range, lon_range = _crop((lon0, lat0, lon0, lat0), radius_km, cell)
    return _traced(field, radius_km, cell, tol_m, lat_range, lon_range)


def _small_disc(lon0: float, lat0: float, radius_km: float, tol_m: float):
    """A disc under 1 km away from the poles: vertices straight from GeographicLib.

    A grid fine enough for such a disc is wasteful; with no pole inside and
    (checked) no 180 deg crossing, points at the radius on enough azimuths,
    joined by straight lon/lat edges, are the disc within ``tol_m``.
    """
    r_m = radius_km * 1000.0
    chord = np.sqrt(8.0 * r_m * max(tol_m, 1e-4)) / 2.0  # half the sagitta rule: margin
    n = int(np.clip(np.ceil(2 * np.pi * r_m / chord), 64, 20_000))
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lon, lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, np.full(n, r_m))
    lon = np.asarray(lon)
    if np.max(np.abs(np.diff(np.append(lon, lon[0])))) > 180.0:
        return None  # crosses 180 deg: let the tracer split it
    return shapely.Polygon(np.column_stack([lon, np.asarray(lat)]))


def range_ring(
    lon: float, lat: float, range_km: float, min_range_km: float = 0.0,
    tolerance_km: float = 0.01,
) -> shapely.Geometry:
    """The disc (or annulus) of points within range of a launch site.

    Parameters
    ----------
    lon, lat : float
        The site in degrees.
    range_km : float
        Radius; up to half the meridian (20,003.9 km), at which the whole
        globe is returned.
    min_range_km : float, default 0
        Inner radius of an annulus.
    tolerance_km : float, default 0.01
        How far the straight lon/lat edges may stray from the exact circle;
        vertices themselves are exact to a few centimetres.

    Returns
    -------
    shapely Polygon or MultiPolygon
        Valid in EPSG:4326, split at +-180 deg, closed along a pole it contains.

    Examples
    --------
    >>> ring = range_ring(20.5, 54.7, 500)
    >>> ring.is_valid and ring.contains(shapely.Point(21.0, 52.2))
    True
    """
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    if lon_a.size != 1:
        raise InvalidInputError("range_ring takes one site; loop or use reach_zone for sets")
    r = as_nonnegative_km(range_km, "range_km")
    rmin = as_nonnegative_km(min_range_km, "min_range_km")
    tol = as_nonnegative_km(tolerance_km, "tolerance_km")
    if r == 0:
        raise InvalidInputError("range_km must be > 0 for a range ring")
    if rmin > r:
        raise InvalidInputError(
            f"min_range_km ({min_range_km!r}) must not exceed range_km ({range_km!r})"
        )
    # a tolerance never coarser than 1 % of the inner or outer radius
    tol_m = max(min(tol * 1000.0, (rmin or r) * 10.0), 0.001)
    x, y = float(lon_a.ravel()[0]), float(lat_a.ravel()[0])
    outer = _disc(x, y, r, tol_m)
    if rmin > 0:
        outer = shapely.difference(outer, _disc(x, y, rmin, tol_m))
    return outer


def reach_zone(target: Any, range_km: float, tolerance_km: float | None = None):
    """Points from which ``target`` lies within ``range_km``: its geodesic buffer.

    Parameters
    ----------
    target : shapely geometry, territory or DistanceIndex
    range_km : float
        Buffer distance (km), > 0.
    tolerance_km : float, optional
        How far the zone's edges may stray from the exact distance; default
        ``max(0.05, 5e-5 * range_km)`` (half the accuracy the tests demand).

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
    if r == 0:
        raise InvalidInputError("range_km must be > 0 for a reach zone")
    tol = max(0.05, 5e-5 * r) if tolerance_km is None else as_nonnegative_km(
        tolerance_km, "tolerance_km"
    )
    idx = target_index(target)
    if r >= HALF_MERIDIAN_KM:
        return shapely.box(-180.0, -90.0, 180.0, 90.0)
    cell = float(np.clip(r / _KM_PER_DEG_LAT_MIN / 20.0, 1e-5, 0.5))
    lat_range, lon_range = _crop(idx.geometry.bounds, r, cell)
    return _traced(idx.distance_m, r, cell, max(tol * 1000.0, 0.05), lat_range, lon_range)


def _traced(field, radius_km, cell, tol_m, lat_range, lon_range=(-180.0, 180.0)):
    """Trace a zone, halving the grid cell while some edge cannot be resolved.

    An unresolved edge means the grid missed a feature (a notch or a hole
    narrower than a cell); a finer grid brings it into the topology.
    """
    for _ in range(4):
        res = level_set_zone(
            field, radius_km * 1000.0, cell_deg=cell, tol_m=tol_m, lat_range=lat_range,
            lon_range=lon_range,
        )
        if res.max_edge_error_m <= tol_m:
            return res.geometry
        cell /= 2
    raise ZoneTraceError(
        f"could not trace the zone of radius {radius_km} km within {tol_m} m "
        f"(worst edge {res.max_edge_error_m:.0f} m); please report this case"
    )


