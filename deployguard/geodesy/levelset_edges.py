"""Traced rings brought onto the level: vertices solved, edges densified until exact enough.

The second half of :mod:`~deployguard.geodesy.levelset`: regula falsi on grid edges, probes
across each straight lon/lat edge, and the insertion of solved vertices until every edge
stays within the tolerance of the level (or is reported for a local re-trace).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = ["densify_edges", "regula_falsi"]

FloatArray = NDArray[np.float64]
Field = Callable[[FloatArray, FloatArray], FloatArray]
Box = tuple[float, float, float, float]
FailBox = tuple[float, float, float, float]


def regula_falsi(
    field: Field, level: float, lon_a: FloatArray, lat_a: FloatArray, lon_b: FloatArray,
    lat_b: FloatArray, fa: FloatArray, fb: FloatArray, tol_m: float, iters: int = 40,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Crossing of ``field == level`` on straight lon/lat segments a->b."""
    t_lo = np.zeros(lon_a.size)
    t_hi = np.ones(lon_a.size)
    f_lo = fa - level
    f_hi = fb - level
    t = np.where(np.abs(f_lo) <= np.abs(f_hi), 0.0, 1.0)
    f_t = np.where(t == 0.0, f_lo, f_hi)
    active = (np.sign(f_lo) != np.sign(f_hi)) & (np.abs(f_t) > tol_m)
    side = np.zeros(lon_a.size, dtype=int)
    for _ in range(iters):
        if not active.any():
            break
        a = np.flatnonzero(active)
        denom = f_hi[a] - f_lo[a]
        tn = (t_lo[a] * f_hi[a] - t_hi[a] * f_lo[a]) / np.where(denom == 0, 1.0, denom)
        width = t_hi[a] - t_lo[a]
        tn = np.clip(tn, t_lo[a] + 1e-6 * width, t_hi[a] - 1e-6 * width)
        tn = np.where(np.isfinite(tn), tn, (t_lo[a] + t_hi[a]) / 2)
        fn = field(lon_a[a] + tn * (lon_b[a] - lon_a[a]), lat_a[a] + tn * (lat_b[a] - lat_a[a]))
        fn = fn - level
        t[a], f_t[a] = tn, fn
        same_lo = np.sign(fn) == np.sign(f_lo[a])
        # Illinois: halve the stale end's value so the bracket keeps shrinking.
        lo_i, hi_i = a[same_lo], a[~same_lo]
        t_lo[lo_i], f_lo[lo_i] = tn[same_lo], fn[same_lo]
        f_hi[lo_i] = np.where(side[lo_i] == -1, f_hi[lo_i] / 2, f_hi[lo_i])
        side[lo_i] = -1
        t_hi[hi_i], f_hi[hi_i] = tn[~same_lo], fn[~same_lo]
        f_lo[hi_i] = np.where(side[hi_i] == 1, f_lo[hi_i] / 2, f_lo[hi_i])
        side[hi_i] = 1
        done = (np.abs(fn) <= tol_m) | ((t_hi[a] - t_lo[a]) < 1e-12)
        active[a[done]] = False
    return lon_a + t * (lon_b - lon_a), lat_a + t * (lat_b - lat_a), f_t


def _fixed_mask(ring: FloatArray, lons: FloatArray, lats: FloatArray) -> NDArray[np.bool_]:
    """Vertices on the sampling domain's edge (poles, +-180, crop) stay put."""
    return (
        (np.abs(ring[:, 0] - lons[0]) < 1e-9)
        | (np.abs(ring[:, 0] - lons[-1]) < 1e-9)
        | (np.abs(ring[:, 1] - lats[0]) < 1e-9)
        | (np.abs(ring[:, 1] - lats[-1]) < 1e-9)
    )


def _project(
    field: Field, level: float, pts: FloatArray, fpts: FloatArray, tangent: FloatArray,
    span: FloatArray, tol: float, box: Box,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Solve for the level across a tangent direction through each point.

    Probes on both sides along the normal (in a locally isotropic lon/lat frame)
    at growing distances until the sign changes, then runs regula falsi.
    Returns the new points and a mask of those that found a crossing.
    """
    coslat = np.cos(np.radians(pts[:, 1])).clip(1e-6)
    dx = tangent[:, 0] * coslat
    dy = tangent[:, 1]
    norm = np.hypot(dx, dy).clip(1e-15)
    nx, ny = -dy / norm / coslat, dx / norm
    new = pts.copy()
    found = np.zeros(len(pts), dtype=bool)
    # The field changes by at most `lipschitz` per metre, so the level is at
    # least |f - level| away: start probing just beyond that, then widen.
    off_deg = np.abs(fpts - level) / 111_000.0
    for scale in (1.25, 2.0, 4.0, 8.0, 32.0, 128.0):
        for sign in (1.0, -1.0):
            todo = np.flatnonzero(~found)
            if todo.size == 0:
                break
            step = np.minimum(off_deg[todo] * scale + 1e-9, 2.0 * span[todo])
            plon = pts[todo, 0] + sign * nx[todo] * step
            plat = pts[todo, 1] + sign * ny[todo] * step
            plon, plat = _clip_to_box(pts[todo], plon, plat, box)
            fp = field(plon, plat)
            ok = np.sign(fp - level) != np.sign(fpts[todo] - level)
            sel = todo[ok]
            if sel.size:
                nl, nt, _ = regula_falsi(
                    field, level, pts[sel, 0], pts[sel, 1], plon[ok], plat[ok],
                    fpts[sel], fp[ok], min(tol / 20, 0.01),
                )
                new[sel, 0], new[sel, 1] = nl, nt
                found[sel] = True
    return new, found


def _box(lons: FloatArray, lats: FloatArray) -> Box:
    return (float(lons[0]), float(lats[0]), float(lons[-1]), float(lats[-1]))


def _clip_to_box(start: FloatArray, plon: FloatArray, plat: FloatArray, box: Box
                 ) -> tuple[FloatArray, FloatArray]:
    """Shorten probes start->p that leave the sampling box so they end on its edge."""
    x0, y0, x1, y1 = box
    dx = plon - start[:, 0]
    dy = plat - start[:, 1]
    t = np.ones(plon.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        for lim, d, s0 in ((x0, dx, start[:, 0]), (x1, dx, start[:, 0]),
                           (y0, dy, start[:, 1]), (y1, dy, start[:, 1])):
            tt = (lim - s0) / d
            hit = (tt >= 0) & (tt < t) & np.isfinite(tt)
            t = np.where(hit, tt, t)
    return start[:, 0] + t * dx, start[:, 1] + t * dy


def _fix_vertices(
    field: Field, rings: list[FloatArray], lons: FloatArray, lats: FloatArray, level: float,
    tol: float, cell_deg: float, ignore: Callable[[FloatArray, FloatArray], NDArray[np.bool_]]
    | None = None,
) -> list[FloatArray]:
    """Project any free vertex that the grid snap left off the level."""
    for k, r in enumerate(rings):
        free = ~_fixed_mask(r, lons, lats)
        free[-1] = False  # closing vertex repeats the first
        if ignore is not None:
            free &= ~np.asarray(ignore(r[:, 0], r[:, 1]), bool)
        idx = np.flatnonzero(free)
        if idx.size == 0:
            continue
        f = field(r[idx, 0], r[idx, 1])
        bad = np.abs(f - level) > tol
        if not bad.any():
            continue
        ib = idx[bad]
        prev_i = np.where(ib == 0, len(r) - 2, ib - 1)
        tangent = r[ib + 1] - r[prev_i]
        span = np.full(ib.size, cell_deg)
        new, found = _project(field, level, r[ib], f[bad], tangent, span, tol, _box(lons, lats))
        r = r.copy()
        r[ib[found]] = new[found]
        if 0 in ib[found]:
            r[-1] = r[0]
        rings[k] = r
    return rings


def densify_edges(
    field: Field, rings: list[FloatArray], lons: FloatArray, lats: FloatArray, level: float,
    tol: float, cell_deg: float, max_passes: int,
    ignore: Callable[[FloatArray, FloatArray], NDArray[np.bool_]] | None = None,
) -> tuple[list[FloatArray], float, list[FailBox]]:
    """Insert solved vertices until every edge stays within ``tol`` of the level.

    Each edge is probed at a quarter, half and three quarters of its length;
    the worst probe is projected onto the level and inserted.  Only the
    edges created in a pass are probed again in the next one.
    """
    rings = _fix_vertices(field, rings, lons, lats, level, tol, cell_deg, ignore)
    dirty = []
    for r in rings:
        fixed = _fixed_mask(r, lons, lats)
        dirty.append(~(fixed[:-1] & fixed[1:]))
    worst_left = 0.0
    fail_boxes: list[tuple[float, float, float, float]] = []
    probes = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    for _ in range(max_passes):
        owner_l, pos_l = [], []
        for k, d in enumerate(dirty):
            idx = np.flatnonzero(d)
            owner_l.append(np.full(idx.size, k))
            pos_l.append(idx)
        owner = np.concatenate(owner_l) if owner_l else np.zeros(0, int)
        pos = np.concatenate(pos_l) if pos_l else np.zeros(0, int)
        if owner.size == 0:
            break
        a = np.concatenate([rings[k][p][None] for k, p in zip(owner, pos, strict=True)])
        b = np.concatenate([rings[k][p + 1][None] for k, p in zip(owner, pos, strict=True)])
        samples = a[:, None, :] + probes[None, :, None] * (b - a)[:, None, :]
        fs = field(samples[..., 0].ravel(), samples[..., 1].ravel()).reshape(len(a), probes.size)
        err = np.abs(fs - level)
        if ignore is not None:
            skip = np.asarray(ignore(samples[..., 0].ravel(), samples[..., 1].ravel()), bool)
            err = np.where(skip.reshape(err.shape), 0.0, err)
        worst_i = err.argmax(axis=1)
        worst = err[np.arange(len(a)), worst_i]
        bad = worst > tol
        for d in dirty:
            d[:] = False
        if not bad.any():
            break
        sel = np.flatnonzero(bad)
        start = samples[sel, worst_i[sel]]
        fstart = fs[sel, worst_i[sel]]
        span = np.maximum(np.hypot(b[sel, 0] - a[sel, 0], b[sel, 1] - a[sel, 1]), 1e-9)
        new, found = _project(
            field, level, start, fstart, b[sel] - a[sel], span, tol, _box(lons, lats)
        )
        lost = sel[~found]
        worst_left = max(worst_left, float(worst[lost].max(initial=0.0)))
        fail_boxes.extend(
            zip(np.minimum(a[lost, 0], b[lost, 0]), np.minimum(a[lost, 1], b[lost, 1]),
                np.maximum(a[lost, 0], b[lost, 0]), np.maximum(a[lost, 1], b[lost, 1]),
                strict=True)
        )
        sel, new = sel[found], new[found]
        for k in np.unique(owner[sel]):
            m = owner[sel] == k
            order = np.argsort(pos[sel][m])
            p_ins = pos[sel][m][order]
            pts = new[m][order]
            rings[k] = np.insert(rings[k], p_ins + 1, pts, axis=0)
            d = np.zeros(len(rings[k]) - 1, dtype=bool)
            q = p_ins + 1 + np.arange(p_ins.size)
            d[q - 1] = True
            d[q] = True
            dirty[k] = d
    else:
        worst_left = max(worst_left, float(worst.max(initial=0.0)))
        still = np.flatnonzero(worst > tol)
        fail_boxes.extend(
            zip(np.minimum(a[still, 0], b[still, 0]), np.minimum(a[still, 1], b[still, 1]),
                np.maximum(a[still, 0], b[still, 0]), np.maximum(a[still, 1], b[still, 1]),
                strict=True)
        )
    return rings, worst_left, fail_boxes
