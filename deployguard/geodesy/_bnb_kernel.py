"""The compiled per-point branch and bound for the exact distance (numba; imported lazily).

Only :mod:`deployguard.geodesy.branch` imports this module, on the first compiled
query, so ``import deployguard`` never loads numba.  The mathematics, and why every
pruning step is rigorous, is in :mod:`deployguard.geodesy.branch`; the bounds are in
:mod:`deployguard.geodesy._bnb_bounds`; this file is the loop that applies them.
"""

from __future__ import annotations

import math

import numpy as np

from deployguard.geodesy._bnb_bounds import (
    AB,
    AG,
    AS,
    AT,
    AW,
    AX,
    N_ANCHORS,
    anchor_prunes,
    edge_min,
    gain,
    geod_inverse,
    jit,
    least_curvature,
    lower_exceeds,
    make_anchor,
    set_thresholds,
    threshold,
    vertex_beyond,
)

__all__ = ["solve"]


@jit
def measure(fn: int, gaddr: int, lat_i: float, lon_i: float, v: int, i: int,
            vlat: np.ndarray, vlon: np.ndarray, tmp: np.ndarray, stamp: np.ndarray,
            dist: np.ndarray, meas: np.ndarray, nm: int) -> int:
    # one exact geodesic, point i to vertex v (tmp gets s12, azi1, azi2); returns nm
    geod_inverse(fn, gaddr, lat_i, lon_i, vlat[v], vlon[v], tmp.ctypes.data)
    stamp[v] = i
    dist[v] = tmp[0]
    meas[nm] = v
    return nm + 1


@jit
def tightened(best: float, half: float, b: float) -> tuple[float, float, float, float, float]:
    # a new best distance: the threshold, its angle and that angle's cosine and sine
    thr = threshold(best, half)
    theta = thr / b
    return best, thr, theta, math.cos(theta), math.sin(theta)


@jit
def cap_beyond(up: np.ndarray, node: np.ndarray, nd: int, theta: float, ct: float,
               st: float) -> bool:
    # the cap (centre node[nd, :3], angular radius r) lies beyond the angle theta from up:
    # <up, centre> < cos(theta + r), written with cos r and sin r kept per node
    if theta + node[nd, 5] >= math.pi:
        return False
    dc = up[0] * node[nd, 0] + up[1] * node[nd, 1] + up[2] * node[nd, 2]
    return dc < ct * node[nd, 3] - st * node[nd, 4] - 1e-12


@jit
def solve(plon: np.ndarray, plat: np.ndarray, out: np.ndarray, count: np.ndarray,
          vx: np.ndarray, vu: np.ndarray, vlon: np.ndarray, vlat: np.ndarray,
          edge: np.ndarray, nxt: np.ndarray, prv: np.ndarray,
          g_first: np.ndarray, g_len: np.ndarray, g_e1: np.ndarray, g_e2: np.ndarray,
          g_eps: np.ndarray, node: np.ndarray, n_c: np.ndarray, lvl_off: np.ndarray,
          lvl_cnt: np.ndarray, branching: int, grid: np.ndarray, grid_shape: np.ndarray,
          prm: np.ndarray, fn: int, gaddr: int, stamp: np.ndarray, dist: np.ndarray,
          meas: np.ndarray) -> None:
    """Exact distance (m) from each point (outside the target) to the boundary vertices
    and edges; ``count`` gets the number of exact geodesics solved per point.
    """
    b, half, r_min, anchor_min = prm[0], prm[1], prm[4], prm[6]
    ring_w = int(prm[7])
    a_m, e2_m = prm[8], prm[9]
    top = lvl_off.size - 1
    n_row, n_col = grid_shape[0], grid_shape[1]
    per_deg = n_col / 360.0
    tmp = np.empty(3)
    anc = np.empty((N_ANCHORS, AW))
    stack_l = np.empty(4096, np.int64)
    stack_i = np.empty(4096, np.int64)
    px = np.empty(3)
    up = np.empty(3)
    for i in range(plon.size):
        lon_i, lat_i = plon[i], plat[i]
        lr, pr = math.radians(lon_i), math.radians(lat_i)
        spr = math.sin(pr)
        nrad = a_m / math.sqrt(1.0 - e2_m * spr * spr)
        px[0] = nrad * math.cos(pr) * math.cos(lr)
        px[1] = nrad * math.cos(pr) * math.sin(lr)
        px[2] = nrad * (1.0 - e2_m) * spr
        pn = math.sqrt(px[0] * px[0] + px[1] * px[1] + px[2] * px[2])
        up[0], up[1], up[2] = px[0] / pn, px[1] / pn, px[2] / pn
        # ---- phase 0: a start near the nearest vertex in angle: the vertex nearest to
        # the centre of the point's grid cell, then uphill along its ring (any start is
        # correct: phase 2 proves or measures every other vertex)
        row = min(max(int((lat_i + 90.0) * per_deg), 0), n_row - 1)
        col = min(max(int((lon_i + 180.0) * per_deg), 0), n_col - 1)
        v0 = grid[row * n_col + col]
        db = up[0] * vu[v0, 0] + up[1] * vu[v0, 1] + up[2] * vu[v0, 2]
        for _ in range(1_000_000):
            moved = False
            for nb in (nxt[v0], prv[v0]):
                if nb >= 0:
                    d = up[0] * vu[nb, 0] + up[1] * vu[nb, 1] + up[2] * vu[nb, 2]
                    if d > db:
                        v0, db, moved = nb, d, True
            if not moved:
                break
        # ---- phase 1: measure it, then the ring's best vertex in its local model
        nm = 0
        nm = measure(fn, gaddr, lat_i, lon_i, v0, i, vlat, vlon, tmp, stamp, dist, meas, nm)
        best = tmp[0]
        na = make_anchor(anc, 0, v0, tmp[0], tmp[2], vx, vlon, vlat, prm)
        cur, k = v0, na - 1
        for _ in range(3):
            if k < 0:
                break
            lam0 = least_curvature(anc[k, AG], b)
            vbest, mbest = cur, 0.0
            for direction in (nxt, prv):
                j = cur
                for _s in range(ring_w):
                    j = direction[j]
                    if j < 0 or j == cur:
                        break
                    e0 = vx[j, 0] - anc[k, AX]
                    e1 = vx[j, 1] - anc[k, AX + 1]
                    e2 = vx[j, 2] - anc[k, AX + 2]
                    y = e0 * anc[k, AT] + e1 * anc[k, AT + 1] + e2 * anc[k, AT + 2]
                    x = e0 * anc[k, AB] + e1 * anc[k, AB + 1] + e2 * anc[k, AB + 2]
                    model = y + 0.5 * lam0 * x * x
                    if model < mbest:
                        vbest, mbest = j, model
            if vbest == cur or stamp[vbest] == i:
                break
            nm = measure(fn, gaddr, lat_i, lon_i, vbest, i, vlat, vlon, tmp, stamp, dist, meas, nm)
            if tmp[0] >= best:
                break
            best = tmp[0]
            na_new = make_anchor(anc, na, vbest, tmp[0], tmp[2], vx, vlon, vlat, prm)
            if na_new == na:
                break
            na, cur, k = na_new, vbest, na_new - 1
        # newest anchors first: they are the nearest to the answer
        if na > 1:
            for r in range(na // 2):
                for c in range(AW):
                    anc[r, c], anc[na - 1 - r, c] = anc[na - 1 - r, c], anc[r, c]
        thr = threshold(best, half)
        set_thresholds(anc, na, thr)
        theta = thr / b
        ct, st = math.cos(theta), math.sin(theta)
        # ---- phase 2: prove every other vertex farther, or measure it
        # (a node is pushed only if its cap comes within theta = thr / b of the point:
        # every vertex beyond is at least b * theta > thr away)
        sp = 0
        for j in range(lvl_cnt[top]):
            if not cap_beyond(up, node, lvl_off[top] + j, theta, ct, st):
                stack_l[sp], stack_i[sp] = top, j
                sp += 1
        while sp > 0:
            sp -= 1
            lev, j = stack_l[sp], stack_i[sp]
            nd = lvl_off[lev] + j
            rho = node[nd, 6]
            c0, c1, c2 = px[0] - n_c[nd, 0], px[1] - n_c[nd, 1], px[2] - n_c[nd, 2]
            lim = thr + rho
            if c0 * c0 + c1 * c1 + c2 * c2 > lim * lim:
                continue
            pruned = False
            # (a group's capsule, below, is tighter than its ball: no ball test for it)
            for kk in range(na if lev > 0 else 0):
                if rho * 1.001 > anc[kk, AS]:
                    continue  # wider than the anchor's window
                e0 = n_c[nd, 0] - anc[kk, AX]
                e1 = n_c[nd, 1] - anc[kk, AX + 1]
                e2 = n_c[nd, 2] - anc[kk, AX + 2]
                reach = math.sqrt(e0 * e0 + e1 * e1 + e2 * e2) + rho
                y = e0 * anc[kk, AT] + e1 * anc[kk, AT + 1] + e2 * anc[kk, AT + 2]
                x = e0 * anc[kk, AB] + e1 * anc[kk, AB + 1] + e2 * anc[kk, AB + 2]
                if anchor_prunes(anc, kk, y - rho, x - rho, x + rho, reach, r_min) == 1:
                    pruned = True
                    break
            if pruned:
                continue
            if lev > 0:
                first = j * branching
                below = lvl_off[lev - 1]
                for jj in range(first, min(first + branching, lvl_cnt[lev - 1])):
                    if not cap_beyond(up, node, below + jj, theta, ct, st):
                        stack_l[sp], stack_i[sp] = lev - 1, jj
                        sp += 1
                continue
            # a group of consecutive vertices: capsule test, then vertex by vertex
            covered = -1
            for attempt in range(2):
                for kk in range(na):
                    d10 = g_e1[j, 0] - anc[kk, AX]
                    d11 = g_e1[j, 1] - anc[kk, AX + 1]
                    d12 = g_e1[j, 2] - anc[kk, AX + 2]
                    d20 = g_e2[j, 0] - anc[kk, AX]
                    d21 = g_e2[j, 1] - anc[kk, AX + 1]
                    d22 = g_e2[j, 2] - anc[kk, AX + 2]
                    eps = g_eps[j]
                    reach = max(math.sqrt(d10 * d10 + d11 * d11 + d12 * d12),
                                math.sqrt(d20 * d20 + d21 * d21 + d22 * d22)) + eps
                    y1 = d10 * anc[kk, AT] + d11 * anc[kk, AT + 1] + d12 * anc[kk, AT + 2]
                    y2 = d20 * anc[kk, AT] + d21 * anc[kk, AT + 1] + d22 * anc[kk, AT + 2]
                    x1 = d10 * anc[kk, AB] + d11 * anc[kk, AB + 1] + d12 * anc[kk, AB + 2]
                    x2 = d20 * anc[kk, AB] + d21 * anc[kk, AB + 1] + d22 * anc[kk, AB + 2]
                    res = anchor_prunes(anc, kk, min(y1, y2) - eps, min(x1, x2) - eps,
                                         max(x1, x2) + eps, reach, r_min)
                    if res == 1:
                        pruned = True
                        break
                    if res == 0 and covered < 0:
                        covered = kk
                if pruned or covered >= 0 or attempt == 1:
                    break
                # nothing covers this group: its middle vertex becomes an anchor
                if best < anchor_min or na >= N_ANCHORS:
                    break
                mid = g_first[j] + g_len[j] // 2
                if stamp[mid] == i:
                    break
                nm = measure(fn, gaddr, lat_i, lon_i, mid, i, vlat, vlon, tmp, stamp, dist,
                             meas, nm)
                if tmp[0] < best:
                    best, thr, theta, ct, st = tightened(tmp[0], half, b)
                    set_thresholds(anc, na, thr)
                na_new = make_anchor(anc, na, mid, tmp[0], tmp[2], vx, vlon, vlat, prm)
                if na_new == na:
                    break
                na = na_new
                set_thresholds(anc, na, thr)
            if pruned:
                continue
            for v in range(g_first[j], g_first[j] + g_len[j]):
                if stamp[v] == i:
                    continue
                if vertex_beyond(anc, na, vx, v, r_min):
                    continue
                c0, c1, c2 = px[0] - vx[v, 0], px[1] - vx[v, 1], px[2] - vx[v, 2]
                if c0 * c0 + c1 * c1 + c2 * c2 > thr * thr:  # the chord never exceeds it
                    continue
                if theta < math.pi:
                    dv = up[0] * vu[v, 0] + up[1] * vu[v, 1] + up[2] * vu[v, 2]
                    if dv < ct - 1e-12:  # b * angle > thr
                        continue
                nm = measure(fn, gaddr, lat_i, lon_i, v, i, vlat, vlon, tmp, stamp, dist, meas,
                             nm)
                if tmp[0] < best:
                    best, thr, theta, ct, st = tightened(tmp[0], half, b)
                    set_thresholds(anc, na, thr)
        # ---- phase 3: edge interiors next to every vertex within the gain
        near_lim = best + gain(best, half)
        res_d = best
        n_meas = nm
        for t in range(n_meas):
            w = meas[t]
            dw = dist[w]
            if not dw <= near_lim:
                continue
            for side in range(2):
                u = nxt[w] if side == 0 else prv[w]
                if u < 0:
                    continue
                c = edge[w] if side == 0 else edge[u]
                if stamp[u] != i:
                    # the foot of the perpendicular lies beyond w unless du^2 < dw^2 + c^2
                    if lower_exceeds(anc, na, px, vx, u, math.sqrt(dw * dw + c * c) + 1e-3,
                                      r_min):
                        continue
                    nm = measure(fn, gaddr, lat_i, lon_i, u, i, vlat, vlon, tmp, stamp,
                                 dist, meas, nm)
                res_d = min(res_d, edge_min(dw, dist[u], c))
        out[i] = res_d
        count[i] = nm
