"""Geodesic discs around many sites at once: vertices from GeographicLib, edges checked.

A disc ``{p : geodesic(site, p) <= r}`` is bounded by the points at distance ``r`` on every
azimuth.  Those points come straight from :data:`~deployguard.geodesy.ellipsoid.GEOD`
(``Geod.fwd``, exact to nanometres), so every free vertex of the polygon is exact; the
straight lon/lat edges between consecutive vertices are probed at a quarter, half and three
quarters of their length and split (a vertex at the mid azimuth) until every probe lies
within the tolerance of ``r``.  All sites are refined together, one batch of geodesics per
pass.

Topology is decided from distances, not from the drawing: a disc contains a pole when the
pole is nearer than ``r``.  The boundary is unwrapped in longitude, closed along the pole
it encloses (or, when it encloses both, taken as the hole of the whole globe), then cut
into the 360-degree windows and shifted back, so the result is a valid EPSG:4326 geometry
split at +-180 degrees.

Beyond :data:`DIRECT_MAX_M` a geodesic of length ``r`` may run past the cut locus (about
19,970 km), so ``Geod.fwd`` points would no longer be at distance ``r``: such radii are left
to the caller (the level-set tracer).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard.geodesy.ellipsoid import GEOD, geodesic_m

__all__ = ["DIRECT_MAX_M", "geodesic_discs"]

FloatArray = NDArray[np.float64]

# Every point of WGS84 is cut from a site only beyond pi * b (19,970 km, the conjugate
# distance for the largest Gaussian curvature 1/b^2); stay clear of it.
DIRECT_MAX_M = 19_900_000.0
_PROBES = np.array([0.25, 0.5, 0.75])
_MAX_PASSES = 24
_MAX_VERTICES = 200_000


def geodesic_discs(
    lon: FloatArray, lat: FloatArray, radius_m: FloatArray, tol_m: FloatArray
) -> NDArray[np.object_]:
    """Discs of ``radius_m`` around each site, as an array of shapely geometries.

    Parameters
    ----------
    lon, lat : 1-d ndarray
        Sites in degrees (lon already in [-180, 180]).
    radius_m : 1-d ndarray
        Radii in metres, each in ``(0, DIRECT_MAX_M]``.
    tol_m : 1-d ndarray
        How far each straight lon/lat edge may stray from the exact circle (m).

    Examples
    --------
    >>> disc = geodesic_discs(np.array([20.5]), np.array([54.7]), np.array([5e5]),
    ...                       np.array([10.0]))[0]
    >>> disc.geom_type, disc.is_valid
    ('Polygon', True)
    """
    n = lon.size
    if n == 0:
        return np.empty(0, dtype=object)
    site, az = _initial_azimuths(radius_m, tol_m)
    site, az, vlon, vlat = _refine(lon, lat, radius_m, tol_m, site, az)
    # the disc holds a pole when the pole is nearer than the radius
    near_n = geodesic_m(lon, lat, np.zeros(n), np.full(n, 90.0)) < radius_m
    near_s = geodesic_m(lon, lat, np.zeros(n), np.full(n, -90.0)) < radius_m
    starts = np.flatnonzero(np.r_[True, site[1:] != site[:-1]])
    ends = np.append(starts[1:], site.size)
    out = np.empty(n, dtype=object)
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        # one small polygon assembly per site; the geodesics above were batched
        out[k] = _assemble(vlon[s:e], vlat[s:e], bool(near_n[k]), bool(near_s[k]))
    return out


def _initial_azimuths(radius_m: FloatArray, tol_m: FloatArray) -> tuple[
    NDArray[np.int64], FloatArray
]:
    # sagitta rule for a circle of radius r: chord = sqrt(8 r tol); start a little finer
    chord = np.sqrt(8.0 * radius_m * np.maximum(tol_m, 1e-4)) / 1.5
    count = np.clip(np.ceil(2 * np.pi * np.minimum(radius_m, 6.4e6) / chord), 64, 4096)
    count = count.astype(np.int64)
    site = np.repeat(np.arange(radius_m.size), count)
    first = np.repeat(np.cumsum(count) - count, count)
    az = (np.arange(site.size) - first) * (360.0 / count[site])
    return site, az


def _refine(
    lon: FloatArray, lat: FloatArray, radius_m: FloatArray, tol_m: FloatArray,
    site: NDArray[np.int64], az: FloatArray,
) -> tuple[NDArray[np.int64], FloatArray, FloatArray, FloatArray]:
    """Split edges (mid azimuth) until each edge's probes lie within the tolerance."""
    vlon, vlat = _fwd(lon[site], lat[site], az, radius_m[site])
    for _ in range(_MAX_PASSES):
        nxt = _next_in_site(site)
        dlon = _wrap(vlon[nxt] - vlon)
        px = vlon[:, None] + _PROBES[None, :] * dlon[:, None]
        py = vlat[:, None] + _PROBES[None, :] * (vlat[nxt] - vlat)[:, None]
        m = _PROBES.size
        d = geodesic_m(np.repeat(lon[site], m), np.repeat(lat[site], m), px.ravel(), py.ravel())
        err = np.abs(d.reshape(-1, m) - radius_m[site][:, None]).max(axis=1)
        bad = np.flatnonzero(err > tol_m[site])
        if bad.size == 0:
            break
        if site.size + bad.size > _MAX_VERTICES * max(1, lon.size // 8):
            break  # the guard on the tolerance keeps this from happening; never loop forever
        az_next = np.where(nxt > np.arange(site.size), az[nxt], az[nxt] + 360.0)
        new_az = (az[bad] + az_next[bad]) / 2.0 % 360.0
        new_lon, new_lat = _fwd(lon[site[bad]], lat[site[bad]], new_az, radius_m[site[bad]])
        site = np.concatenate([site, site[bad]])
        az = np.concatenate([az, new_az])
        vlon = np.concatenate([vlon, new_lon])
        vlat = np.concatenate([vlat, new_lat])
        order = np.lexsort((az, site))
        site, az, vlon, vlat = site[order], az[order], vlon[order], vlat[order]
    return site, az, vlon, vlat


def _assemble(vlon: FloatArray, vlat: FloatArray, north: bool, south: bool) -> BaseGeometry:
    """One disc from its boundary points (in azimuth order) and the poles it holds."""
    ulon = vlon[0] + np.concatenate([[0.0], np.cumsum(_wrap(np.diff(vlon)))])
    turn = ulon[-1] + _wrap(vlon[0] - vlon[-1]) - ulon[0]  # about 0 or +-360
    ring = np.column_stack([ulon, vlat])
    if north != south:
        pole = 90.0 if north else -90.0
        end = ulon[0] + 360.0 * np.round(turn / 360.0)  # exactly one turn
        ring = np.vstack([ring, [[end, vlat[0]], [end, pole], [ulon[0], pole]]])
        return _split_at_antimeridian(shapely.Polygon(ring))
    piece = _split_at_antimeridian(shapely.Polygon(ring))
    if north and south:
        # the boundary is a small loop round the far side: the disc is the globe minus it
        return _valid(shapely.difference(shapely.box(-180.0, -90.0, 180.0, 90.0), piece))
    return piece


def _split_at_antimeridian(poly: BaseGeometry) -> BaseGeometry:
    """Cut an unwrapped polygon into the 360-degree windows and shift each back."""
    poly = _valid(poly)
    if poly.is_empty:  # (NaN bounds) a ring below float resolution: nothing to cut
        return shapely.MultiPolygon()
    x0, _, x1, _ = poly.bounds
    pieces = []
    for k in range(int(np.floor((x0 + 180.0) / 360.0)), int(np.floor((x1 + 180.0) / 360.0)) + 1):
        window = shapely.box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        part = shapely.intersection(poly, window)
        if not part.is_empty:
            pieces.append(shapely.transform(part, _shifter(360.0 * k)))
    polys = [p for g in pieces for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
    if len(polys) == 1:
        return polys[0]
    # pieces of a polar cap meet along the meridian where the unwrapped ring was closed
    return _valid(shapely.union_all(polys))


def _shifter(dlon: float) -> Callable[[FloatArray], FloatArray]:
    def shift(coords: FloatArray) -> FloatArray:
        out: FloatArray = coords - np.array([dlon, 0.0])
        return out

    return shift


def _valid(geom: BaseGeometry) -> BaseGeometry:
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom)
    polys = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.MultiPolygon()


def _next_in_site(site: NDArray[np.int64]) -> NDArray[np.int64]:
    idx = np.arange(site.size)
    nxt = idx + 1
    last = np.flatnonzero(np.r_[site[1:] != site[:-1], True])
    first = np.flatnonzero(np.r_[True, site[1:] != site[:-1]])
    nxt[last] = first
    return nxt


def _wrap(dlon: FloatArray) -> FloatArray:
    return (dlon + 180.0) % 360.0 - 180.0


def _fwd(lon: FloatArray, lat: FloatArray, az: FloatArray, dist: FloatArray) -> tuple[
    FloatArray, FloatArray
]:
    if lon.size == 0:
        return np.zeros(0), np.zeros(0)
    x, y, _ = GEOD.fwd(lon, lat, az, dist, return_back_azimuth=False)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

