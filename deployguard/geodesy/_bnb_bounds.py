"""Compiled bounds of the branch and bound: the anchor bound, edge interiors, the C call.

Imported (with numba) only by :mod:`deployguard.geodesy._bnb_kernel`, on the first
compiled query, so ``import deployguard`` never loads numba.  Why each bound is
rigorous is explained in :mod:`deployguard.geodesy.branch`; the tests check every
one of them against GeographicLib on random pairs (``tests/test_geodesy_compiled.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from deployguard._cache import cache_dir


def jit(fn: Callable[..., Any]) -> Any:
    # Compiled code is cached only in deployguard's user cache folder, never next to the
    # package: numba's default (the package's __pycache__) leaves files that pip's uninstall
    # keeps, and the leftover folder then hides the next install.  CACHE_DIR is
    # set for the decoration only (numba fixes each function's cache folder there), so other
    # numba users in the process keep their own setting.  No usable folder: compile in memory.
    opts: dict[str, Any] = {"nogil": True, "error_model": "numpy"}
    folder = cache_dir("numba")
    if folder is None:
        return numba.njit(cache=False, **opts)(fn)
    config: Any = numba.config  # (its settings are set at run time: no static attributes)
    saved = config.CACHE_DIR
    config.CACHE_DIR = str(folder)
    try:
        disp = numba.njit(cache=True, **opts)(fn)
    except RuntimeError:  # no locator would take it: in memory
        return numba.njit(cache=False, **opts)(fn)
    finally:
        config.CACHE_DIR = saved
    where = getattr(getattr(disp, "_cache", None), "_cache_path", "")
    if not str(where).startswith(str(folder)):
        # numba fell back to another locator (the package's __pycache__): refuse it
        return numba.njit(cache=False, **opts)(fn)
    return disp


def _geod_inverse(typingctx: Any, fn: Any, geod: Any, lat1: Any, lon1: Any, lat2: Any,
                  lon2: Any, out: Any) -> Any:
    """Call ``geod_inverse(geod, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2)`` by address."""
    sig = types.void(types.intp, types.intp, types.float64, types.float64, types.float64,
                     types.float64, types.intp)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        dbl = ir.DoubleType()
        dptr = dbl.as_pointer()
        vptr = ir.IntType(8).as_pointer()
        fnty = ir.FunctionType(ir.VoidType(), [vptr, dbl, dbl, dbl, dbl, dptr, dptr, dptr])
        func = builder.inttoptr(args[0], fnty.as_pointer())
        g = builder.inttoptr(args[1], vptr)
        o = builder.inttoptr(args[6], dptr)
        i64 = ir.IntType(64)
        o1 = builder.gep(o, [ir.Constant(i64, 1)])
        o2 = builder.gep(o, [ir.Constant(i64, 2)])
        builder.call(func, [g, args[2], args[3], args[4], args[5], o, o1, o2])
        return context.get_dummy_value()

    return sig, codegen


# numba calls it as geod_inverse(fn, geod, lat1, lon1, lat2, lon2, out)
geod_inverse: Any = intrinsic(_geod_inverse)


@jit
def least_curvature(r: float, b: float) -> float:
    # Least geodesic curvature of a distance circle of radius r (Rauch, curvature <= 1/b^2)
    w = r / b
    return math.cos(w) / (math.sin(w) * b)


@jit
def gval(x: float, y: float, lam: float) -> float:
    # G(x, y) = (Q - 1) / lam with Q = cosh(z) + (y / s) sinh(z), z = lam s: series in u = z^2
    s2 = x * x + y * y
    u = lam * lam * s2
    a = 1.0 + u * (1.0 / 6 + u * (1.0 / 120 + u * (1.0 / 5040 + u * (1.0 / 362880
                                                                     + u / 39916800.0))))
    bq = 0.5 + u * (1.0 / 24 + u * (1.0 / 720 + u * (1.0 / 40320 + u * (1.0 / 3628800
                                                                      + u / 479001600.0))))
    return y * a + lam * s2 * bq


@jit
def edge_min(da: float, db: float, c: float) -> float:
    # the same operations, in the same order, as index.edge_min (bit-identical results)
    out = min(da, db)
    c_safe = c if c > 0 else 1.0
    x = ((da - db) * (da + db) + c * c) / (2 * c_safe)
    if c > 0 and x > 0 and x < c:
        h = math.sqrt(max((da - x) * (da + x), 0.0))
        return min(out, h)
    return out


@jit
def gain(best: float, half: float) -> float:
    # index.DistanceIndex._gain, scalar
    return min(half, half * half / (2 * max(best - half, 1.0)) * 1.5) + 1e-3


# anchor record layout (one row per anchor, float64): the vertex, its distance g, its
# geocentric position, the unit gradient T and the unit normal B (tangent plane at A),
# the widest window, then N_TIER nested windows (span, least curvature, threshold) that
# halve each time: a nearer set is bounded with the larger curvature of its own window
AV, AG, AX, AT, AB, AS, TIER0 = 0, 1, 2, 5, 8, 11, 12
N_TIER = 5
AW = TIER0 + 3 * N_TIER
N_ANCHORS = 24
MARGIN_M = 0.005  # rounding and series truncation, with room to spare


@jit
def set_thresholds(anc: np.ndarray, na: int, thr: float) -> None:
    # F > thr - g  <=>  G > expm1(lam (thr - g)) / lam, for either sign of lam
    for k in range(na):
        d = thr - anc[k, AG]
        for t in range(N_TIER):
            c = TIER0 + 3 * t
            lam = anc[k, c + 1]
            if not math.isfinite(d):
                anc[k, c + 2] = math.inf
            elif lam == 0.0:
                anc[k, c + 2] = d
            else:
                anc[k, c + 2] = math.expm1(lam * d) / lam


@jit
def make_anchor(anc: np.ndarray, na: int, v: int, g: float, az2: float, vx: np.ndarray,
                vlon: np.ndarray, vlat: np.ndarray, prm: np.ndarray) -> int:
    """Add an anchor at vertex v (exact distance g, gradient azimuth az2); returns na."""
    b, s_max, d_smooth, s_min = prm[0], prm[2], prm[3], prm[5]
    if na >= N_ANCHORS:
        return na
    # clear of P (the path keeps r >= g / 2) and of its cut locus (r <= g + span)
    span = min(s_max, 0.5 * g, d_smooth - g)
    if span < s_min:
        return na
    lam = least_curvature(g + span, b)
    if abs(lam) * span > 0.5:  # keep the series for G accurate (|lam| s <= 1/2)
        span = 0.5 / abs(lam)
        lam = least_curvature(g + span, b)
    if span < s_min:
        return na
    lam_r, phi = math.radians(vlon[v]), math.radians(vlat[v])
    sl, cl, sp, cp = math.sin(lam_r), math.cos(lam_r), math.sin(phi), math.cos(phi)
    e0, e1, e2 = -sl, cl, 0.0
    n0, n1, n2 = -sp * cl, -sp * sl, cp
    sa, ca = math.sin(math.radians(az2)), math.cos(math.radians(az2))
    anc[na, AV] = v
    anc[na, AG] = g
    for k in range(3):
        anc[na, AX + k] = vx[v, k]
    anc[na, AT], anc[na, AT + 1], anc[na, AT + 2] = sa * e0 + ca * n0, sa * e1 + ca * n1, \
        sa * e2 + ca * n2
    anc[na, AB], anc[na, AB + 1], anc[na, AB + 2] = ca * e0 - sa * n0, ca * e1 - sa * n1, \
        ca * e2 - sa * n2
    anc[na, AS] = span
    for t in range(N_TIER):
        c = TIER0 + 3 * (N_TIER - 1 - t)
        w = span * 0.5**t
        anc[na, c] = w
        # least over the window (lam falls with r); the widest one is computed above
        anc[na, c + 1] = lam if t == 0 else least_curvature(g + w, b)
    return na + 1


@jit
def tier(anc: np.ndarray, k: int, s_bound: float) -> int:
    """First column of anchor k's narrowest window holding ``s_bound``, or -1 if none."""
    if s_bound > anc[k, AS]:
        return -1
    for t in range(N_TIER):
        c = TIER0 + 3 * t
        if s_bound <= anc[k, c]:
            return c
    return -1


@jit
def anchor_prunes(anc: np.ndarray, k: int, y_lo: float, xa: float, xb: float, reach: float,
                  r_min: float) -> int:
    """1 pruned, 0 not pruned, -1 not covered: the set lies within ``reach`` (m, chord)
    of anchor k, its offset along T is >= y_lo and across T within [xa, xb].
    """
    s_bound = reach * 1.001  # Schur: geodesic <= chord * (1 + chord^2 / 24 R^2) here
    c = tier(anc, k, s_bound)
    if c < 0:
        return -1
    e = 1.2 * s_bound * s_bound * s_bound / (6 * r_min * r_min) + 1e-4
    lam, de = anc[k, c + 1], anc[k, c + 2]
    lo, hi = xa - e, xb + e
    if lam >= 0:
        x = 0.0 if lo <= 0.0 <= hi else min(abs(lo), abs(hi))
    else:
        x = max(abs(lo), abs(hi))
    if gval(x, y_lo - e, lam) - MARGIN_M > de:
        return 1
    return 0


@jit
def vertex_g(anc: np.ndarray, k: int, vx: np.ndarray, v: int, r_min: float
             ) -> tuple[int, float]:
    """Anchor k's window column for vertex v (-1 if outside) and the least ``G`` there."""
    e0, e1, e2 = vx[v, 0] - anc[k, AX], vx[v, 1] - anc[k, AX + 1], vx[v, 2] - anc[k, AX + 2]
    reach = math.sqrt(e0 * e0 + e1 * e1 + e2 * e2)
    s_bound = reach * 1.001
    c = tier(anc, k, s_bound)
    if c < 0:
        return c, 0.0
    y = e0 * anc[k, AT] + e1 * anc[k, AT + 1] + e2 * anc[k, AT + 2]
    x = abs(e0 * anc[k, AB] + e1 * anc[k, AB + 1] + e2 * anc[k, AB + 2])
    lam = anc[k, c + 1]
    e = 1.2 * s_bound * s_bound * s_bound / (6 * r_min * r_min) + 1e-4
    xx = max(x - e, 0.0) if lam >= 0 else x + e
    return c, gval(xx, y - e, lam) - MARGIN_M


@jit
def vertex_beyond(anc: np.ndarray, na: int, vx: np.ndarray, v: int, r_min: float) -> bool:
    """True if some anchor proves vertex v beyond the current threshold (set_thresholds)."""
    for k in range(na):
        c, g_lo = vertex_g(anc, k, vx, v, r_min)
        if c >= 0 and g_lo > anc[k, c + 2]:
            return True
    return False


@jit
def lower_exceeds(anc: np.ndarray, na: int, px: np.ndarray, vx: np.ndarray, v: int, q: float,
                  r_min: float) -> bool:
    """True if the distance to vertex v provably exceeds q (chord, then every anchor)."""
    d0, d1, d2 = px[0] - vx[v, 0], px[1] - vx[v, 1], px[2] - vx[v, 2]
    if d0 * d0 + d1 * d1 + d2 * d2 > q * q:
        return True
    for k in range(na):
        c, g_lo = vertex_g(anc, k, vx, v, r_min)
        if c < 0:
            continue
        lam, d = anc[k, c + 1], q - anc[k, AG]
        if g_lo > (d if lam == 0.0 else math.expm1(lam * d) / lam):
            return True
    return False


@jit
def threshold(best: float, half: float) -> float:
    # Vertices at or below this may be the nearest or bound an edge that is
    # (best + gain); the 2 % of half covers the dip of best + gain(best) near 1.8 half.
    return best + gain(best, half) + 0.02 * half




@jit
def anchor_lower_bound(anc: np.ndarray, k: int, vx: np.ndarray, v: int, r_min: float) -> float:
    """``g + F`` at vertex v from anchor k, the bound :func:`vertex_beyond` applies.

    ``-inf`` when v lies outside the anchor's window.  Only the tests call it, to check
    the bound against GeographicLib; the search compares ``G`` with thresholds instead.
    """
    c, g_lo = vertex_g(anc, k, vx, v, r_min)
    if c < 0:
        return -math.inf
    lam = anc[k, c + 1]
    if lam == 0.0:
        return anc[k, AG] + g_lo
    q = 1.0 + lam * g_lo
    if q <= 0.0:
        return -math.inf
    return anc[k, AG] + math.log(q) / lam
