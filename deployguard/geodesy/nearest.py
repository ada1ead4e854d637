"""The nearest point of a polygon's boundary to a site, by exact geodesic distance on WGS84.

:func:`nearest_boundary_point` answers "where is the closest point of this area, and how far is
it?" for a site outside the area: the boundary (its edges straight in lon/lat, the GeoJSON and
shapely convention) is densified to ``spacing_km``, the geodesic distance from the site to every
vertex is computed with GeographicLib (``pyproj.Geod``), and every edge that could hold a nearer
point is then searched along its length.

Which edges are searched is decided by a bound, not a guess: a point ``p`` of an edge ``(a, b)``
of length ``L`` lies at most ``t`` from ``a`` and ``L - t`` from ``b`` along the edge, so by the
triangle inequality ``d(s, p) >= (d(s, a) + d(s, b) - L) / 2``. Every edge whose bound is below
the best vertex distance is searched (golden-section search on the edge parameter, to well
under a millimetre); no other edge can hold a nearer point.

Examples
--------
>>> import shapely
>>> box = shapely.box(10.0, 50.0, 11.0, 51.0)
>>> lon, lat, km = nearest_boundary_point(box, 9.0, 50.5)
>>> round(lon, 6), round(lat, 3), round(km, 1)  # the meridian is nearest a little north
(10.0, 50.504, 70.9)
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError
from deployguard.geodesy.ellipsoid import geodesic_m

__all__ = ["BOUNDARY_SPACING_KM", "boundary_vertices", "nearest_boundary_point"]

#: Default spacing of the densified boundary (km). The refinement on the candidate edges makes
#: the answer exact (to a millimetre) whatever the spacing; a finer spacing only makes the
#: candidate set smaller.
BOUNDARY_SPACING_KM = 1.0
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
_ITERATIONS = 60  # (0.618)^60 ~ 3e-13 of the edge length: far below a millimetre


def boundary_vertices(geom: BaseGeometry, spacing_km: float = BOUNDARY_SPACING_KM
                      ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """The rings of ``geom``'s polygons densified to about ``spacing_km``.

    Returns
    -------
    lon, lat : ndarray
        Every vertex of every ring (each ring closed, so its last vertex repeats its first).
    ring : ndarray of int
        The ring each vertex belongs to (an edge joins vertices ``k`` and ``k + 1`` when both
        are on the same ring).
    """
    if spacing_km <= 0 or not math.isfinite(spacing_km):
        raise InvalidInputError(f"spacing_km must be a positive number, got {spacing_km!r}")
    # a degree of latitude is ~111 km and a degree of longitude never more: spacing in degrees
    # of spacing/111 keeps every edge within spacing_km
    dense = shapely.segmentize(geom, spacing_km / 111.0)
    rings = [r for p in shapely.get_parts(dense) if p.geom_type == "Polygon" and not p.is_empty
             for r in (p.exterior, *p.interiors)]
    if not rings:
        empty = np.empty(0)
        return empty, empty.copy(), np.empty(0, dtype=np.intp)
    xy = [np.asarray(r.coords)[:, :2] for r in rings]
    ring = np.concatenate([np.full(len(c), k, dtype=np.intp) for k, c in enumerate(xy)])
    allxy = np.concatenate(xy)
    return allxy[:, 0].copy(), allxy[:, 1].copy(), ring


def nearest_boundary_point(
    geom: BaseGeometry, lon: float, lat: float, spacing_km: float = BOUNDARY_SPACING_KM,
    vertices: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]] | None = None,
) -> tuple[float, float, float]:
    """The point of ``geom``'s boundary nearest to ``(lon, lat)``, and its distance (km).

    Parameters
    ----------
    geom : shapely (Multi)Polygon
        EPSG:4326, edges straight in lon/lat. Not empty.
    lon, lat : float
        The site, in degrees.
    spacing_km : float, default :data:`BOUNDARY_SPACING_KM`
    vertices : tuple, optional
        :func:`boundary_vertices` of ``geom`` made once, for many sites.

    Returns
    -------
    (lon, lat, km)
        The nearest boundary point and its geodesic distance on WGS84 (km). The distance is
        exact to about a millimetre for the polygon as drawn (straight lon/lat edges).

    Raises
    ------
    InvalidInputError
        If ``geom`` has no polygon.

    Notes
    -----
    A site inside the polygon gets the nearest point of the boundary too (not itself): ask
    ``geom.covers`` first when inside should mean zero.
    """
    vx, vy, ring = boundary_vertices(geom, spacing_km) if vertices is None else vertices
    if vx.size == 0:
        raise InvalidInputError("geom has no polygon boundary to find a nearest point on")
    d = geodesic_m(lon, lat, vx, vy)
    best = float(d.min())
    a = np.flatnonzero(ring[:-1] == ring[1:])  # edges: vertex k to k + 1 on one ring
    length = geodesic_m(vx[a], vy[a], vx[a + 1], vy[a + 1])
    # a straight lon/lat edge is longer than the geodesic between its ends by far less than
    # 1 % at this spacing: 1 % slack keeps the bound safe
    bound = (d[a] + d[a + 1] - 1.01 * np.asarray(length)) / 2.0
    cand = a[bound <= best]
    best_lon, best_lat = float(vx[int(d.argmin())]), float(vy[int(d.argmin())])
    if cand.size:
        x0, y0, x1, y1 = vx[cand], vy[cand], vx[cand + 1], vy[cand + 1]
        lo, hi = np.zeros(cand.size), np.ones(cand.size)

        def at(t: NDArray[np.float64]) -> NDArray[np.float64]:
            return geodesic_m(lon, lat, x0 + t * (x1 - x0), y0 + t * (y1 - y0))

        t1, t2 = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
        f1, f2 = at(t1), at(t2)
        for _ in range(_ITERATIONS):
            left = f1 < f2
            hi = np.where(left, t2, hi)
            lo = np.where(left, lo, t1)
            t2n = np.where(left, t1, lo + _GOLDEN * (hi - lo))
            t1n = np.where(left, hi - _GOLDEN * (hi - lo), t2)
            t1, t2 = t1n, t2n
            f1, f2 = at(t1), at(t2)
        t = (lo + hi) / 2.0
        f = at(t)
        k = int(f.argmin())
        if f[k] < best:
            best = float(f[k])
            best_lon = float(x0[k] + t[k] * (x1[k] - x0[k]))
            best_lat = float(y0[k] + t[k] * (y1[k] - y0[k]))
    return best_lon, best_lat, best / 1000.0
