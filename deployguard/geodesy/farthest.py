"""Exact farthest-point distance from many points to one target geometry.

The dual of the nearest-point kernel in :mod:`~deployguard.geodesy.index`, with the same
standard: every reported value is a GeographicLib geodesic, and every vertex skipped is
skipped by a proof.

Where the farthest point lies
    The distance ``d_P`` from a point P is smooth, with a gradient of length 1, everywhere
    except at P and on its cut locus; so over a closed region it peaks on the boundary or on
    the cut locus.  On the oblate WGS84 ellipsoid the cut locus is a short arc of the
    parallel opposite to P, centred on the antipode P*, and along that parallel ``d_P``
    peaks at P*, whose distance is half the meridian, the largest distance on the
    ellipsoid (both checked against GeographicLib in the tests).  Hence: if the target's
    area contains P*, the farthest distance is half the meridian; otherwise the part of the
    cut locus inside the target ends on the boundary, and the farthest point is on the
    boundary.

How the boundary maximum is found
    1. The chunk representative farthest in geocentric angle gives, exactly, a lower
       bound ``g``.
    2. The geodesic is no longer than the radial image of the great-circle arc on the unit
       sphere, and the radial map stretches no direction more than
       ``sqrt(r^2 + max|dr/dpsi|^2)`` (at most :data:`A_UP`), ``r`` the geocentric radius
       at the arc's lowest latitude; so a vertex whose angle ``theta`` gives a bound
       ``stretch * theta + L/2 < g`` cannot carry (or bound an edge carrying) the maximum.
       Chunks (64 vertices) are ruled out by their bounding caps, then vertices one by
       one; the rest are measured exactly.
    3. Edge interiors: along a straight lon/lat edge the second derivative of ``d_P`` is at
       least ``min(0, h) - kappa`` (``h`` the Hessian lower bound by comparison with the
       sphere of curvature ``1/b^2``, ``kappa`` the edge's geodesic curvature), so an
       interior maximum exceeds the larger end by at most ``(kappa - min(0, h)) L^2 / 8``;
       the edges that could matter are measured at their midpoint, which leaves at most a
       quarter of that (centimetres).  Within :data:`NEAR_ANTIPODE_M` of half the meridian,
       where the comparison fails, edges are bisected until the 1-Lipschitz bound
       ``(d_a + d_b + L) / 2`` is within :data:`TOL_M` of the best.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from deployguard.geodesy.boundary import Boundary
from deployguard.geodesy.ellipsoid import A_M, B_M, HALF_MERIDIAN_KM, geodesic_m, unit_vectors
from deployguard.geodesy.farfield import ChunkTable

__all__ = ["A_UP", "HALF_MERIDIAN_M", "FarthestTarget", "farthest_m", "far_bounds_m"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
T = TypeVar("T")


class FarthestTarget(Protocol):
    """What the farthest-point search needs of a target's index (the public face of
    :class:`~deployguard.geodesy.index.DistanceIndex`; a protocol, so that this module
    does not import the index that calls it).
    """

    boundary: Boundary
    max_edge_m: float

    @property
    def unit(self) -> FloatArray: ...

    def chunks(self) -> ChunkTable: ...

    def contains(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]: ...

    def memo(self, key: str, make: Callable[[], T]) -> T: ...

HALF_MERIDIAN_M = HALF_MERIDIAN_KM * 1000.0
# |dr/dpsi| <= a (a^2 - b^2) / (2 b^2) for the geocentric radius r(psi) of the ellipse.
A_UP = float(np.hypot(A_M, A_M * (A_M**2 - B_M**2) / (2 * B_M**2))) * (1 + 1e-12)
_DR_MAX = A_M * (A_M**2 - B_M**2) / (2 * B_M**2)
# Beyond this the Hessian comparison is not used (pi * b = 19,970 km is its limit).
NEAR_ANTIPODE_M = 19_600_000.0
TOL_M = 0.01


def far_bounds_m(index: FarthestTarget, lon: FloatArray, lat: FloatArray,
                 threshold_m: float | None = None) -> tuple[FloatArray, FloatArray]:
    """Cheap rigorous lower and upper bounds of :func:`farthest_m` (one k-d query).

    The upper bound is ``A_UP`` times the largest angle a vertex can have, plus half an
    edge, capped at half the meridian; the lower bound is the exact distance to the
    representative vertex farthest in angle (with ``threshold_m``, only where ``b``
    times its angle does not already tell which side of the threshold the point is).
    A target whose area holds the antipode gets half the meridian for both.
    """
    table = index.chunks()
    pu = unit_vectors(lon, lat)
    chord_raw, ci_raw = table.tree.query(-pu, k=1, workers=-1)
    chord, ci = np.asarray(chord_raw), np.asarray(ci_raw)
    anti = 2 * np.arcsin(np.clip(chord / 2, 0, 1))  # angle from -u_P to the representative
    theta_max = np.minimum(np.pi - anti + table.psi_max, np.pi)
    upper = np.minimum(A_UP * theta_max + index.max_edge_m / 2, HALF_MERIDIAN_M)
    lower = B_M * (np.pi - anti)
    exact = np.arange(lon.size)
    if threshold_m is not None:
        exact = np.flatnonzero((lower < threshold_m) & (upper >= threshold_m))
    rep = table.rep[ci[exact]]
    bnd = index.boundary
    lower[exact] = geodesic_m(lon[exact], lat[exact], bnd.lon[rep], bnd.lat[rep])
    holds = _holds_antipode(index, lon, lat)
    lower[holds] = HALF_MERIDIAN_M
    upper[holds] = HALF_MERIDIAN_M
    return lower, upper


def farthest_m(index: FarthestTarget, lon: FloatArray, lat: FloatArray,
               floor_m: float | None = None) -> FloatArray:
    """Largest geodesic distance (m) from each point to a point of the target (flat arrays).

    With ``floor_m``, only whether the farthest distance reaches ``floor_m`` is sought:
    values at or above it are exact, values below it are lower bounds that stay below
    it (vertices that cannot reach the floor are never measured).
    """
    out = np.zeros(lon.size)
    if lon.size == 0:
        return out
    holds = _holds_antipode(index, lon, lat)
    out[holds] = HALF_MERIDIAN_M
    rest = np.flatnonzero(~holds)
    if rest.size:
        out[rest] = _boundary_max(index, lon[rest], lat[rest], floor_m or 0.0)
    return out


def _holds_antipode(index: FarthestTarget, lon: FloatArray, lat: FloatArray) -> NDArray[np.bool_]:
    alon = np.where(lon > 0, lon - 180.0, lon + 180.0)
    return index.contains(alon, -lat)


class _FarCaps:
    """Per chunk: a bounding cap (centre, angular radius) and the lowest |latitude|."""

    def __init__(self, index: FarthestTarget) -> None:
        table = index.chunks()
        owner = np.repeat(np.arange(table.rep.size), table.length)
        u = index.unit
        centre = np.add.reduceat(u, table.start, axis=0)
        centre /= np.maximum(np.linalg.norm(centre, axis=1, keepdims=True), 1e-300)
        cos_v = np.einsum("ij,ij->i", u, centre[owner])
        self.centre = centre
        self.radius = (np.maximum.reduceat(np.arccos(np.clip(cos_v, -1, 1)), table.start)
                       * (1 + 1e-9) + 1e-12)
        z = u[:, 2]
        z_lo = np.minimum.reduceat(np.abs(z), table.start)
        one_side = np.minimum.reduceat(np.sign(z), table.start) == np.maximum.reduceat(
            np.sign(z), table.start)
        # a signed |z| nearest the equator, or 0 for a chunk on both sides of it
        self.z = np.where(one_side, np.sign(z[table.start]) * z_lo, 0.0)
        # highest |latitude| of each chunk (geodetic exceeds geocentric by < 0.2 deg)
        self.lat_hi = np.minimum(np.degrees(np.arcsin(np.maximum.reduceat(
            np.abs(z), table.start))) + 0.2, 90.0)


def _far_caps(index: FarthestTarget) -> _FarCaps:
    return index.memo("farthest.caps", lambda: _FarCaps(index))


def _boundary_max(index: FarthestTarget, plon: FloatArray, plat: FloatArray, floor_m: float
                  ) -> FloatArray:
    """Exact boundary maximum, chunk caps first (a k-d tree cannot prune a farthest query:
    from the antipode every vertex of a small target is at nearly the same chord).
    """
    bnd = index.boundary
    table = index.chunks()
    caps = _far_caps(index)
    pu = unit_vectors(plon, plat)
    best = np.zeros(plon.size)
    pts_l, chunk_l = [], []
    block = max(1, 4_000_000 // max(1, table.rep.size))
    for s in range(0, plon.size, block):
        rows = np.arange(s, min(s + block, plon.size))
        theta = np.arccos(np.clip(pu[rows] @ caps.centre.T, -1.0, 1.0))
        rep_dot = pu[rows] @ index.unit[table.rep].T
        far_rep = table.rep[np.argmin(rep_dot, axis=1)]
        best[rows] = geodesic_m(plon[rows], plat[rows], bnd.lon[far_rep], bnd.lat[far_rep])
        stretch = _stretch(pu[rows, 2][:, None], caps.z[None, :])
        upper = stretch * np.minimum(theta + caps.radius[None, :], np.pi)
        upper += _slack(upper, caps.lat_hi[None, :], index.max_edge_m)
        r, c = np.nonzero(upper >= np.maximum(best[rows], floor_m)[:, None])
        pts_l.append(rows[r])
        chunk_l.append(c)
    pp = np.concatenate(pts_l)
    pc = np.concatenate(chunk_l)
    lens = table.length[pc]
    pair_of = np.repeat(np.arange(pp.size), lens)
    first = np.repeat(np.cumsum(lens) - lens, lens)
    verts = table.start[pc][pair_of] + (np.arange(pair_of.size) - first)
    pts = pp[pair_of]
    theta_v = np.arccos(np.clip(np.einsum("ij,ij->i", pu[pts], index.unit[verts]), -1.0, 1.0))
    upper_v = _stretch(pu[pts, 2], index.unit[verts, 2]) * theta_v
    upper_v += _slack(upper_v, np.abs(bnd.lat[verts]) + 0.02, index.max_edge_m)
    keep = upper_v >= np.maximum(best, floor_m)[pts]
    pts, verts = pts[keep], verts[keep]
    g = geodesic_m(plon[pts], plat[pts], bnd.lon[verts], bnd.lat[verts])
    np.maximum.at(best, pts, g)
    _refine_edges(index, plon, plat, best, pts, verts, g, floor_m)
    return best


def _slack(d_upper: FloatArray, lat_hi: FloatArray, max_edge_m: float) -> FloatArray:
    """What a vertex's upper bound ``d_upper`` must clear to rule out the edges next to it
    as well: the interior excess of an edge (centimetres) where the curvature bound holds,
    else half an edge (1-Lipschitz).
    """
    excess = _excess_bound(d_upper, lat_hi, lat_hi, np.full(np.shape(d_upper), max_edge_m))
    smooth = d_upper + max_edge_m < NEAR_ANTIPODE_M
    out: FloatArray = np.where(smooth, excess, max_edge_m / 2) + 1e-3
    return out


def _stretch(z_p: FloatArray, z_v: FloatArray) -> FloatArray:
    """Largest stretch (m per radian) of the radial map along the great-circle arc between
    two unit vectors: ``sqrt(r^2 + max|dr/dpsi|^2)`` with ``r`` the geocentric radius at
    the arc's lowest latitude (an endpoint, or the equator if the arc crosses it).
    """
    same = np.sign(z_p) * np.sign(z_v) > 0
    sin_lo = np.where(same, np.minimum(np.abs(z_p), np.abs(z_v)), 0.0)
    cos2 = 1.0 - sin_lo**2
    r = A_M * B_M / np.sqrt(B_M**2 * cos2 + A_M**2 * sin_lo**2)
    out: FloatArray = np.minimum(np.sqrt(r**2 + _DR_MAX**2), A_UP) * (1 + 1e-12)
    return out


def _excess_bound(d_max: FloatArray, lat_a: FloatArray, lat_b: FloatArray, length: FloatArray
                  ) -> FloatArray:
    """Largest amount by which an edge's interior can exceed its larger end (m)."""
    # geodesic curvature of a straight lon/lat edge: at most (1 + 2 |tan(lat)|) / b
    phi = np.radians(np.minimum(np.maximum(np.abs(lat_a), np.abs(lat_b)), 89.999))
    kappa = (1.0 + 2.0 * np.tan(phi)) / B_M
    x = np.minimum((d_max + length / 2) / B_M, np.pi - 1e-6)
    h = np.minimum(0.0, 1.0 / (B_M * np.tan(x)))
    return (kappa - h) * length**2 / 8.0


def _refine_edges(index: FarthestTarget, plon: FloatArray, plat: FloatArray, best: FloatArray,
                  pts: IntArray, verts: IntArray, g: FloatArray, floor_m: float) -> None:
    """Edge interiors next to the vertices that come close to the best (in place)."""
    bnd = index.boundary
    if index.max_edge_m <= 0 or pts.size == 0:
        return
    close = g + _slack(g, np.abs(bnd.lat[verts]) + 0.02, index.max_edge_m) >= np.maximum(
        best[pts], floor_m)
    p, v, gv = pts[close], verts[close], g[close]
    ends = []
    for other in (bnd.next_idx[v], bnd.prev_idx[v]):
        ok = other >= 0
        ends.append((p[ok], v[ok], gv[ok], other[ok]))
    pp = np.concatenate([e[0] for e in ends])
    va = np.concatenate([e[1] for e in ends])
    ga = np.concatenate([e[2] for e in ends])
    vb = np.concatenate([e[3] for e in ends])
    if pp.size == 0:
        return
    gb = geodesic_m(plon[pp], plat[pp], bnd.lon[vb], bnd.lat[vb])
    np.maximum.at(best, pp, gb)
    lon_a, lat_a, lon_b, lat_b = bnd.lon[va], bnd.lat[va], bnd.lon[vb], bnd.lat[vb]
    _bisect(plon, plat, best, pp, lon_a, lat_a, ga, lon_b, lat_b, gb, floor_m)


def _bisect(plon: FloatArray, plat: FloatArray, best: FloatArray, pp: IntArray,
            lon_a: FloatArray, lat_a: FloatArray, ga: FloatArray,
            lon_b: FloatArray, lat_b: FloatArray, gb: FloatArray, floor_m: float) -> None:
    """Measure the midpoints of edges whose interior might beat the best, recursively."""
    dlon = (lon_b - lon_a + 180.0) % 360.0 - 180.0  # edges never span 180 deg after densify
    for _ in range(40):
        # the straight edge is a hair longer than the geodesic between its ends
        length = geodesic_m(lon_a, lat_a, lon_a + dlon, lat_b) * (1 + 1e-6) + 1e-6
        d_max = np.maximum(ga, gb)
        smooth = d_max + length / 2 < NEAR_ANTIPODE_M
        bound = np.where(smooth, d_max + _excess_bound(d_max, lat_a, lat_b, length),
                         (ga + gb + length) / 2)
        # smooth edges are measured once at the midpoint (the bound then shrinks 4x);
        # near the antipode they are bisected until the Lipschitz bound is within TOL_M
        need = bound > np.maximum(best[pp], floor_m - TOL_M) + TOL_M
        if not need.any():
            return
        sel = np.flatnonzero(need)
        mlon = lon_a[sel] + dlon[sel] / 2
        mlat = (lat_a[sel] + lat_b[sel]) / 2
        gm = geodesic_m(plon[pp[sel]], plat[pp[sel]], (mlon + 180.0) % 360.0 - 180.0, mlat)
        np.maximum.at(best, pp[sel], gm)
        again = ~smooth[sel]
        if not again.any():
            return
        s2 = sel[again]
        m_lon, m_lat, m_g = mlon[again], mlat[again], gm[again]
        # both halves of each rough edge go on
        pp = np.concatenate([pp[s2], pp[s2]])
        lon_a2 = np.concatenate([lon_a[s2], m_lon])
        lat_a2 = np.concatenate([lat_a[s2], m_lat])
        ga2 = np.concatenate([ga[s2], m_g])
        lon_b2 = np.concatenate([m_lon, lon_a[s2] + dlon[s2]])
        lat_b2 = np.concatenate([m_lat, lat_b[s2]])
        gb2 = np.concatenate([m_g, gb[s2]])
        lon_a, lat_a, ga, lon_b, lat_b, gb = lon_a2, lat_a2, ga2, lon_b2, lat_b2, gb2
        dlon = lon_b - lon_a

