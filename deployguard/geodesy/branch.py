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
**When it runs.**  The compiled kernel pays only on large questions: importing numba and
loading the kernel from the cache costs about 0.4 s per process, building an index's table
up to 0.3 s, and the first compile about 10 s, while it saves about 16 CPU microseconds per
point (7 against 23, docs/performance.md).  A check of a few deployments asks for a few
hundred points, so the numpy path answers it sooner.  :func:`choose_compiled` therefore runs
the kernel for a query of ``n`` points only when it is already loaded in this process and
the table is built (or ``n`` pays for the table), when its compiled code is in the cache and
``n`` pays for loading it, or when ``n`` is so large that even the compile pays; nobody waits
for a compile on an everyday question.  ``DistanceIndex(compiled=True)`` forces the kernel.
Each choice is tallied by points (:func:`backend_tally`), so a run can say which distance
backend answered (:func:`backend_since`).

numba's compiled code is cached in deployguard's user cache folder only
(:mod:`deployguard._cache`), never next to the package; without a usable folder it compiles
in memory.  Without numba, without GeographicLib's C library (found inside pyproj, see
:mod:`~deployguard.geodesy.geodlib`: it declines once, with a warning, where it cannot be
found), or with the environment variable ``DEPLOYGUARD_NO_JIT`` set, the numpy path answers
the same numbers.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
import warnings
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from deployguard._cache import cache_dir
from deployguard.errors import MissingDependencyError
from deployguard.geodesy.ellipsoid import A_M, B_M, E2
from deployguard.geodesy.geodlib import geodesic_c

if TYPE_CHECKING:
    from deployguard.geodesy.boundary import Boundary

__all__ = [
    "BranchTable",
    "backend_since",
    "backend_tally",
    "branch_distances",
    "build_branch_table",
    "choose_compiled",
    "compiled_available",
]

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


@cache
def _numba_installed() -> bool:
    # without importing it (0.3-0.5 s): an index only needs to know whether it could
    return importlib.util.find_spec("numba") is not None


def compiled_available() -> bool:
    """True when the compiled kernel and GeographicLib's C inverse can be used.

    Cheap: numba is looked up, not imported (:func:`choose_compiled` imports it when a
    question is large enough to pay for it).
    """
    if os.environ.get("DEPLOYGUARD_NO_JIT") or not _numba_installed():
        return False
    return geodesic_c() is not None


# Costs behind choose_compiled (2-core machine; docs/performance.md)
SAVED_S_PER_POINT = 16e-6  # numpy 23 us, compiled 7 us of CPU per point (Russia, globe)
LOAD_S = 0.5  # import numba and load the cached kernel
COMPILE_S = 12.0  # compile the kernel (empty cache)
TABLE_S_PER_VERTEX = 2.6e-6  # build_branch_table: 0.3 s for Russia at 1:10m (117,000)


def _kernel_cached() -> bool:
    # the kernel's entry point has an index in the numba cache (made by an earlier process);
    # numba checks it against the source when loading, so this is only a cost estimate.
    # Looked up once per process while absent (a glob per query cost seconds in a zone trace).
    global _CACHED_SEEN
    if not _CACHED_SEEN:
        folder = cache_dir("numba")
        _CACHED_SEEN = folder is not None and any(folder.glob("*/_bnb_kernel.solve-*.nbi"))
    return _CACHED_SEEN


_CACHED_SEEN = False


class _Tally:
    """Points answered by each backend in this process (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.points: dict[str, int] = {"compiled": 0, "numpy": 0}

    def add(self, backend: str, n: int) -> None:
        with self._lock:
            self.points[backend] += n

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.points)


_TALLY = _Tally()


def backend_tally() -> dict[str, int]:
    """Points answered so far in this process by each distance backend.

    Examples
    --------
    >>> sorted(backend_tally())
    ['compiled', 'numpy']
    """
    return _TALLY.snapshot()


def backend_since(before: dict[str, int]) -> str:
    """Which distance backend answered since ``before`` (a :func:`backend_tally`).

    ``"numpy"`` or ``"compiled"`` (numba with GeographicLib's C inverse), both joined by
    ``" and "`` when each answered part, or ``"none (bounds decided)"`` when no exact
    distance to a boundary was needed.  Other threads' queries in the same interval count too.

    Examples
    --------
    >>> backend_since(backend_tally())
    'none (bounds decided)'
    """
    now = _TALLY.snapshot()
    used = [name for name in ("compiled", "numpy") if now[name] > before.get(name, 0)]
    return " and ".join(used) if used else "none (bounds decided)"


def choose_compiled(n_points: int, n_vertices: int, mode: bool | None,
                    table_ready: bool = False, answered: int = 0) -> bool:
    """Whether the compiled kernel answers a query of ``n_points`` points; tallies the choice.

    ``mode`` is the index's ``compiled`` argument (``True`` forces the kernel, ``False``
    refuses it, ``None`` weighs the costs of the module notes), ``n_vertices`` the size of its
    boundary, ``table_ready`` whether its :class:`BranchTable` is built and ``answered`` how
    many points it has answered before.  Work is judged cumulatively: a zone traced by
    thousands of small queries pays for the kernel as one large query would.  Where the kernel
    would pay but GeographicLib's C library cannot be used, it declines once per process with
    a warning and the numpy path answers.

    Raises
    ------
    MissingDependencyError
        If ``mode`` is ``True`` and the kernel cannot be loaded.
    """
    if mode is True:
        if _kernel() is None or geodesic_c() is None:
            raise MissingDependencyError("the compiled distance kernel is not available (it "
                                         "needs numba and GeographicLib's C library)")
        use = True
    elif mode is False or not _pays(n_points, n_vertices, table_ready, answered):
        use = False
    else:
        use = compiled_available() and _load_kernel()
        if not use:
            _decline_once()
    _TALLY.add("compiled" if use else "numpy", n_points)
    return use


def _load_kernel() -> bool:
    if "deployguard.geodesy._bnb_kernel" not in sys.modules and not _kernel_cached():
        folder = cache_dir("numba")
        where = f"cached in {folder}" if folder else "not cached: no writable cache folder"
        sys.stderr.write("deployguard: compiling the exact-distance kernel for this large "
                         f"question (once, about 10 s; {where})\n")
    return _kernel() is not None


@cache
def _decline_once() -> None:
    if os.environ.get("DEPLOYGUARD_NO_JIT"):
        return  # asked for: nothing to warn about
    if not _numba_installed():
        return  # an optional dependency left out on purpose: nothing to warn about
    if geodesic_c() is None:
        why = (f"GeographicLib's C inverse was not found in pyproj's PROJ library on "
               f"{sys.platform}")
    else:
        why = "numba could not be imported"
    warnings.warn(f"deployguard: the compiled distance kernel is declined ({why}); the numpy "
                  "path answers with the same numbers, about 3x slower on large queries",
                  RuntimeWarning, stacklevel=3)


def _pays(n_points: int, n_vertices: int, table_ready: bool, answered: int) -> bool:
    # the index's own work pays for its table; the process's work pays for loading the kernel
    table = 0.0 if table_ready else n_vertices * TABLE_S_PER_VERTEX
    if (n_points + answered) * SAVED_S_PER_POINT <= table:
        return False
    if "deployguard.geodesy._bnb_kernel" in sys.modules:
        return True
    process = (n_points + _TALLY.snapshot()["numpy"]) * SAVED_S_PER_POINT
    return process > (LOAD_S if _kernel_cached() else COMPILE_S)


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
