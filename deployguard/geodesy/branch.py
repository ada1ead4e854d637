"""Exact distances by a compiled per-point branch and bound, with one geodesic per anchor.

The pure-numpy search (:mod:`deployguard.geodesy.index` and
:mod:`~deployguard.geodesy.farfield`) stays the reference; this path gives the
same numbers (tested bit for bit) with far fewer exact geodesics, because one
exact geodesic bounds every vertex for hundreds of kilometres around it.

**The anchor bound.**  Let ``A`` be a boundary vertex with exact distance ``g``
from ``P`` and ``t`` the direction at ``A`` in which that distance grows (the
forward azimuth at ``A`` of the geodesic from ``P``; GeographicLib gives it).
For a vertex ``v`` reached from ``A`` by a geodesic of length ``s`` leaving at an
angle ``psi`` to ``t``, write ``f(tau)`` for the distance from ``P`` along that
geodesic and ``beta(tau)`` for its angle to the gradient.  Then ``f' = cos beta``
and ``beta' = -lambda sin beta``, with ``lambda`` the geodesic curvature of the
distance circle through the current point, so ``tan(beta / 2)`` decays like
``exp(-integral of lambda)``.  The Hessian comparison theorem (Gaussian curvature
of WGS84 at most ``1/b^2``) gives ``lambda >= cot(r / b) / b`` at distance ``r``,
and ``r <= g + tau`` on the way, so with ``lambda`` fixed at its least value
``lam`` over a window ``s <= w`` the integral has a closed form::

    d(v) >= g + F,   F = ln(cosh(lam s) + (y / s) sinh(lam s)) / lam

where ``(x, y) = s (sin psi, cos psi)``.  This holds while the path stays clear of
``P`` and of its cut locus (``s <= g / 2`` and ``g + s <= 19,500 km``; on WGS84 the
cut locus of ``P`` lies on the opposite parallel, beyond about ``pi b`` =
19,970 km).  It is exact to first order and keeps the second-order term
``lam x^2 / 2`` that the ``b * theta`` bound lacks: on 30,000 random triples
(point, anchor, vertex up to 800 km away) it falls short of GeographicLib by a
median 8 % of the second-order term ``s^2 / 2g``, so one geodesic rules out
hundreds of vertices.  Each anchor keeps five nested windows (the widest
``w = min(400 km, g / 2, 19,500 km - g)``, then halving), each with the ``lam``
of its own width: a nearer set gets the larger curvature.

*Cheap to evaluate.*  ``F > delta`` is tested as ``G > expm1(lam delta) / lam`` with
``G = (Q - 1) / lam`` as a short even series (``|lam| s <= 1/2``, truncation
below 1e-11), so there is no logarithm per vertex.  ``G`` grows with ``y`` and
with ``|x|`` (``lam > 0``; falls with ``|x|`` when ``lam < 0``, past a quarter
meridian), so a group bounded by a capsule (a segment with a radius) or a disc is
tested at its worst corner.  Offsets are taken in ``A``'s tangent plane from
geocentric coordinates; they differ from the exact geodesic's by at most
``s^3 / 6 R^2`` (R the least radius of curvature; 20 % margin), and the corner
moves by that much.  Both facts are checked against GeographicLib in the tests.

**The search, per point.**  A table over a 1-degree grid gives the vertex
nearest in angle to the centre of the point's cell, and a walk uphill along its
ring a vertex near in angle to the point (only a start: any start gives the same
answer); it is measured exactly and becomes the first anchor.  Its
model picks the best vertex within 64 along the ring, which is measured and
becomes the next anchor (repeated while it improves).  Then a depth-first pass
over a tree of caps (groups of 16 consecutive vertices, 8 children per node)
proves every other vertex farther than the best distance plus the
edge gain, node by node, with the cap bound ``b * theta``, the chord (never
longer than the geodesic) and the anchor bound; a group no anchor reaches gets
its middle vertex measured as a new anchor; survivors are measured.  Edge
interiors are taken exactly as in the reference (three exact sides), next to
every vertex within the gain; a neighbour provably beyond ``sqrt(d^2 + c^2)``
cannot hold the foot of the perpendicular and is not measured.

Every reported distance is a GeographicLib geodesic: the kernel calls
``geod_inverse`` in pyproj's own PROJ library (:mod:`~deployguard.geodesy.geodlib`).
numba compiles the kernel on first use: about 10 s once, then 0.35 s per new
process from numba's on-disk cache (next to the package, or in the user's cache
directory when the package is read-only; in memory if neither is writable).
Without numba or the library, or with the environment variable
``DEPLOYGUARD_NO_JIT`` set, the numpy path answers.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from deployguard.errors import MissingDependencyError
from deployguard.geodesy.ellipsoid import A_M, B_M, E2
from deployguard.geodesy.geodlib import geodesic_c

if TYPE_CHECKING:
    from deployguard.geodesy.boundary import Boundary

__all__ = ["BranchTable", "build_branch_table", "branch_distances", "compiled_available"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

GROUP = 16  # vertices per leaf group (never across two rings)
BRANCHING = 8  # children per tree node
S_MAX_M = 400_000.0  # widest anchor window (fewest geodesics on the globe and box mixes)
D_SMOOTH_M = 19_500_000.0  # distance functions are smooth below this (cut locus beyond)
S_MIN_M = 2_000.0  # narrower anchor windows are not worth keeping
ANCHOR_MIN_M = 20_000.0  # nearer than this the chord bound is tight: no new anchors
RING_WINDOW = 64  # vertices each way along the ring for the anchor's model
GRID_PER_DEG = 1  # cells per degree of the start table (64,800 cells: 0.1 s to build)
_R_MIN_M = B_M * B_M / A_M


@dataclass(frozen=True)
class BranchTable:
    """The boundary laid out for the compiled search (see module notes)."""

    vx: FloatArray  # (n, 3) geocentric coordinates (m)
    vu: FloatArray  # (n, 3) unit vectors
    vlon: FloatArray
    vlat: FloatArray
    edge: FloatArray
    nxt: IntArray
    prv: IntArray
    g_first: IntArray  # per group
    g_len: IntArray
    g_e1: FloatArray  # (m, 3) first and last vertex of each group
    g_e2: FloatArray
    g_eps: FloatArray  # largest distance of a group's vertices from its segment (m)
    node: FloatArray  # (nodes, 8): cap centre (unit, 3), cos r, sin r, r (rad), rho (m), 0
    n_c: FloatArray  # (nodes, 3) geocentric centres (m)
    lvl_off: IntArray  # first node of each level
    lvl_cnt: IntArray  # nodes per level
    grid: IntArray  # per lon/lat cell (row-major from -90, -180): a vertex near its centre
    grid_shape: IntArray  # (rows, columns)
    prm: FloatArray


def _angles(unit: FloatArray, centre: FloatArray) -> FloatArray:
    cross = np.linalg.norm(np.cross(unit, centre), axis=1)
    out: FloatArray = np.arctan2(cross, np.einsum("ij,ij->i", unit, centre))
    return out


def _start_grid(tree: cKDTree) -> tuple[IntArray, IntArray]:
    # the vertex nearest in angle to each cell centre (the k-d tree is over unit vectors)
    rows, cols = 180 * GRID_PER_DEG, 360 * GRID_PER_DEG
    lat = -90 + (np.arange(rows) + 0.5) / GRID_PER_DEG
    lon = -180 + (np.arange(cols) + 0.5) / GRID_PER_DEG
    glon, glat = np.meshgrid(lon, lat)
    lam, phi = np.radians(glon.ravel()), np.radians(glat.ravel())
    # the geocentric direction of a surface point (ecef normalised)
    ecef = np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam),
                     (1.0 - E2) * np.sin(phi)], axis=1)
    _, nearest = tree.query(ecef / np.linalg.norm(ecef, axis=1, keepdims=True), k=1,
                            workers=-1)
    return np.asarray(nearest, dtype=np.int64), np.array([rows, cols], dtype=np.int64)


def build_branch_table(boundary: Boundary, unit: FloatArray, ecef: FloatArray,
                       max_edge_m: float, tree: cKDTree) -> BranchTable:
    """Groups, capsules, the cap tree and the start table of a densified boundary.

    Built once per index (0.3 s for Russia at 1:10m); ``tree`` is the index's
    k-d tree over ``unit``.
    """
    n = boundary.size
    i = np.arange(n)
    prev = boundary.prev_idx
    ring_starts = np.flatnonzero((i == 0) | (prev != i - 1))
    ring_start = ring_starts[np.searchsorted(ring_starts, i, side="right") - 1]
    g_first = np.flatnonzero((i - ring_start) % GROUP == 0)
    g_len = np.diff(np.append(g_first, n))
    owner = np.repeat(np.arange(g_first.size), g_len)
    e1, e2 = ecef[g_first], ecef[g_first + g_len - 1]
    seg = (e2 - e1)[owner]
    rel = ecef - e1[owner]
    seg2 = np.einsum("ij,ij->i", seg, seg)
    t = np.clip(np.einsum("ij,ij->i", rel, seg) / np.where(seg2 > 0, seg2, 1.0), 0.0, 1.0)
    dev = np.linalg.norm(rel - t[:, None] * seg, axis=1)
    g_eps = np.maximum.reduceat(dev, g_first) * (1 + 1e-9) + 1e-6
    # the cap tree: level 0 = groups, each level above groups BRANCHING nodes
    starts = [g_first]
    while starts[-1].size > BRANCHING:
        starts.append(starts[-1][::BRANCHING])
    cu, rr, cc, rho, cnt = [], [], [], [], []
    for vs in starts:
        lens = np.diff(np.append(vs, n))
        own = np.repeat(np.arange(vs.size), lens)
        centre = np.add.reduceat(unit, vs, axis=0)
        centre /= np.linalg.norm(centre, axis=1, keepdims=True)
        r = np.maximum.reduceat(_angles(unit, centre[own]), vs) * (1 + 1e-9) + 1e-12
        mean = np.add.reduceat(ecef, vs, axis=0) / lens[:, None]
        rad = np.maximum.reduceat(np.linalg.norm(ecef - mean[own], axis=1), vs)
        cu.append(centre)
        rr.append(r)
        cc.append(mean)
        rho.append(rad * (1 + 1e-12) + 1e-6)
        cnt.append(vs.size)
    lvl_cnt = np.array(cnt, dtype=np.int64)
    lvl_off = np.concatenate([[0], np.cumsum(lvl_cnt)[:-1]]).astype(np.int64)
    n_r = np.concatenate(rr)
    prm = np.array([B_M, max_edge_m / 2, S_MAX_M, D_SMOOTH_M, _R_MIN_M, S_MIN_M,
                    ANCHOR_MIN_M, RING_WINDOW, A_M, E2])
    return BranchTable(
        ecef, unit, boundary.lon, boundary.lat, boundary.edge_m,
        boundary.next_idx.astype(np.int64), prev.astype(np.int64),
        g_first.astype(np.int64), g_len.astype(np.int64), e1, e2, g_eps,
        np.column_stack([np.concatenate(cu), np.cos(n_r), np.sin(n_r), n_r, np.concatenate(rho),
                         np.zeros(n_r.size)]),
        np.concatenate(cc), lvl_off, lvl_cnt, *_start_grid(tree), prm,
    )


@cache
def _kernel() -> ModuleType | None:
    if os.environ.get("DEPLOYGUARD_NO_JIT"):
        return None
    try:
        return importlib.import_module("deployguard.geodesy._bnb_kernel")
    except ImportError:  # numba missing or broken: the numpy path answers
        return None


def compiled_available() -> bool:
    """True when the compiled kernel and GeographicLib's C inverse can be used."""
    return geodesic_c() is not None and _kernel() is not None


def branch_distances(table: BranchTable, plon: FloatArray, plat: FloatArray
                     ) -> tuple[FloatArray, IntArray]:
    """Exact distances (m) from points outside the target, and geodesics solved per point.

    The same numbers, bit for bit, as the numpy search of
    :class:`~deployguard.geodesy.index.DistanceIndex` (tested); the points must be
    finite and outside the target's area.  Releases the GIL: callers run chunks on
    threads.

    Raises
    ------
    MissingDependencyError
        If :func:`compiled_available` is false.
    """
    geo, kern = geodesic_c(), _kernel()
    if geo is None or kern is None:
        raise MissingDependencyError("the compiled distance kernel is not available (it needs "
                                     "numba and GeographicLib's C library)")
    m = plon.size
    out = np.empty(m)
    count = np.zeros(m, dtype=np.int64)
    n = table.vlon.size
    t = table
    kern.solve(
        np.ascontiguousarray(plon, dtype=float), np.ascontiguousarray(plat, dtype=float),
        out, count, t.vx, t.vu, t.vlon, t.vlat, t.edge, t.nxt, t.prv, t.g_first, t.g_len,
        t.g_e1, t.g_e2, t.g_eps, t.node, t.n_c,
        t.lvl_off, t.lvl_cnt, BRANCHING, t.grid, t.grid_shape, t.prm, geo.inverse_addr,
        geo.geodesic_addr,
        np.full(n, -1, dtype=np.int64),  # stamp: the point that last measured a vertex
        np.empty(n),  # its distance then
        np.empty(n + 8, dtype=np.int64),  # the vertices measured for the current point
    )
    return out, count
