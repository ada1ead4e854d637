"""Fast exact distances for points far from the target (hundreds of km and more).

Seen from far away a coastline is flat: hundreds of boundary vertices lie
within the slack of any cheap bound (``b * theta`` is loose by up to 0.34 %,
17 km at 5,000 km), and measuring them all is what makes a naive exact search
slow.  Here the boundary is cut into chunks of 64 consecutive vertices.  For a
candidate chunk one exact geodesic to its middle vertex (the *representative*)
gives the distance ``g`` and the direction ``t`` in which the distance from the
query point grows there.  Every vertex ``v`` of the chunk then satisfies

    d(v) >= g + <offset(v), t> - slack

where ``offset`` is the vertex's tangent-plane offset from the representative.
The bound is Taylor's theorem along the geodesic from the representative to
``v``: the Hessian of the distance function is bounded below by the comparison
with a sphere of the ellipsoid's largest Gaussian curvature ``1/b^2`` (Rauch),
which is >= 0 while the distance stays below ``pi b / 2`` (about 9,985 km) and
small until near the antipode; ``slack`` adds the third-order difference
between the tangent-plane offset and the geodesic (``s^3 / 6 R^2`` with R the
least radius of curvature, plus 20 %) and 5 cm for rounding.  The bound is
tight to centimetres for far points, so only a handful of vertices near the
true minimum are measured exactly.  A chunk is skipped
without touching its vertices when the bound over its precomputed support
function (16 directions) already exceeds the best distance found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from deployguard.geodesy.ellipsoid import A_M, B_M, GEOD, geodesic_m
from deployguard.geodesy.kdsearch import ball_pairs

__all__ = ["ChunkTable", "build_chunks", "FAR_MIN_M", "FAR_MAX_M"]

CHUNK = 64
N_DIR = 16
# Below this the chunk slack (s^2 / 2g) is no longer small; above FAR_MAX_M
# the Hessian bound degrades towards the antipodal cut locus.
FAR_MIN_M = 150_000.0
FAR_MAX_M = 18_500_000.0
_SQRT_KMAX = 1.0 / B_M  # sqrt of the largest Gaussian curvature of WGS84 (at the equator)
_R_MIN_M = B_M * B_M / A_M  # least radius of curvature of WGS84


FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
SUB = 16  # vertices per sub-chunk: a second, finer support-function filter


@dataclass(frozen=True)
class ChunkTable:
    """Chunks of consecutive boundary vertices with their local geometry."""

    rep: IntArray  # vertex index of each chunk's representative (its middle vertex)
    start: IntArray  # first vertex of each chunk
    length: IntArray  # vertices in each chunk
    east: FloatArray  # per vertex: tangent-plane offset (m) from its representative
    north: FloatArray
    s: FloatArray  # per vertex: chord to its representative (m), >= offset length
    cubic: FloatArray  # per vertex: third-order slack over s, plus rounding (m)
    s_max: FloatArray  # per chunk
    support: FloatArray  # (n_chunks, N_DIR): min over the chunk of <offset, u_k>
    sub_first: IntArray  # per chunk: its first sub-chunk
    sub_count: IntArray  # per chunk: how many sub-chunks
    sub_start: IntArray  # per sub-chunk: first vertex
    sub_length: IntArray
    sub_s_max: FloatArray
    sub_support: FloatArray  # (n_sub, N_DIR), offsets still from the chunk's representative
    psi_max: float  # largest geocentric angle from a representative to its vertices
    tree: cKDTree  # over the representatives' unit vectors


def build_chunks(lon: FloatArray, lat: FloatArray, prev_idx: IntArray, unit: FloatArray,
                 ecef: FloatArray) -> ChunkTable:
    """Cut the boundary into chunks (and sub-chunks) that never span two rings."""
    n = lon.size
    i = np.arange(n)
    ring_starts = np.flatnonzero((i == 0) | (prev_idx != i - 1))
    ring_start = ring_starts[np.searchsorted(ring_starts, i, side="right") - 1]
    start = np.flatnonzero((i - ring_start) % CHUNK == 0)
    length = np.diff(np.append(start, n))
    # the middle vertex represents its chunk: the chunk's radius about it is halved
    rep = start + length // 2
    owner = np.repeat(np.arange(start.size), length)
    lam = np.radians(lon[rep])[owner]
    phi = np.radians(lat[rep])[owner]
    d = ecef - ecef[rep][owner]
    east = -np.sin(lam) * d[:, 0] + np.cos(lam) * d[:, 1]
    north = (-np.sin(phi) * np.cos(lam) * d[:, 0] - np.sin(phi) * np.sin(lam) * d[:, 1]
             + np.cos(phi) * d[:, 2])
    s = np.linalg.norm(d, axis=1)
    ang = 2 * np.pi * np.arange(N_DIR) / N_DIR
    proj = east[:, None] * np.sin(ang)[None, :] + north[:, None] * np.cos(ang)[None, :]
    sub_start = np.flatnonzero((i - start[owner]) % SUB == 0)
    sub_length = np.diff(np.append(sub_start, n))
    sub_owner = owner[sub_start]
    sub_count = np.bincount(sub_owner, minlength=start.size)
    sub_first = np.cumsum(sub_count) - sub_count
    cos_ang = np.einsum("ij,ij->i", unit, unit[rep][owner])
    psi = float(np.arccos(np.clip(cos_ang, -1, 1)).max()) * 1.000001 + 1e-12
    tree = cKDTree(unit[rep], balanced_tree=False, compact_nodes=False)
    return ChunkTable(
        rep, start, length, east, north, s, _cubic(s), np.maximum.reduceat(s, start),
        np.minimum.reduceat(proj, start, axis=0), sub_first, sub_count, sub_start, sub_length,
        np.maximum.reduceat(s, sub_start), np.minimum.reduceat(proj, sub_start, axis=0), psi,
        tree,
    )


def _cubic(s: FloatArray) -> FloatArray:
    # The tangent-plane offset differs from the geodesic's initial vector by at
    # most s^3 / (6 R^2) (R the least radius of curvature, b^2/a); 20 % margin,
    # plus 5 cm for rounding in metres-scale arithmetic on 1e7 m numbers.
    out: FloatArray = s**3 * (1.2 / (6 * _R_MIN_M**2)) + 0.05
    return out


def _curvature_slack(g_far: FloatArray, s: FloatArray) -> FloatArray:
    """Second-order slack over a distance ``s`` once ``g_far`` passes a quarter meridian."""
    # Rauch comparison: transverse Hessian >= sqrt(K) cot(sqrt(K) g) with K = 1/b^2,
    # which is >= 0 (no slack) below a quarter meridian of the comparison sphere.
    out = np.zeros(g_far.shape)
    past = np.flatnonzero(g_far >= np.pi / 2 / _SQRT_KMAX)
    if past.size:
        x = np.minimum(_SQRT_KMAX * g_far[past], np.pi - 1e-3)
        out[past] = -0.5 * (_SQRT_KMAX / np.tan(x)) * s[past] ** 2
    return out


def _support_bound(support: FloatArray, rows: IntArray, k0: IntArray, k1: IntArray,
                   alpha: FloatArray, beta: FloatArray) -> FloatArray:
    """Least ``<offset, t>`` over a chunk, ``t`` between two sampled directions."""
    out: FloatArray = alpha * support[rows, k0] + beta * support[rows, k1]
    return out


def far_distances(
    table: ChunkTable, vlon: FloatArray, vlat: FloatArray, plon: FloatArray, plat: FloatArray,
    pu: FloatArray, best: FloatArray, max_edge_m: float,
    gain_fn: Callable[[FloatArray], FloatArray],
) -> tuple[FloatArray, IntArray, IntArray, FloatArray]:
    """Refine ``best`` (upper bounds, m) to exact vertex distances for far points.

    Returns ``(best, pts, verts, g)``: the improved bounds and every (point,
    vertex) pair measured exactly, for the caller's edge refinement.
    """
    # Chunks whose representative could be within reach of an improvement.
    theta = np.minimum((best + max_edge_m / 2) / B_M + table.psi_max, np.pi)
    chord = 2 * np.sin(theta / 2) * (1 + 1e-12) + 1e-15
    pp, pc = ball_pairs(table.tree, pu, chord, k_start=32)
    rv = table.rep[pc]
    _, az_back, g_raw = GEOD.inv(plon[pp], plat[pp], vlon[rv], vlat[rv])
    g_rep = np.asarray(g_raw, dtype=float)
    az = np.radians(np.asarray(az_back) + 180.0)  # direction of growing distance at rep
    np.minimum.at(best, pp, g_rep)
    # Chunk-level bound from the support function (t between two sampled directions).
    step = 2 * np.pi / N_DIR
    a = np.mod(az, 2 * np.pi)
    k0 = np.floor(a / step).astype(np.int64) % N_DIR
    k1 = (k0 + 1) % N_DIR
    phi = a - k0 * step
    alpha = np.sin(step - phi) / np.sin(step)
    beta = np.sin(phi) / np.sin(step)
    smax = table.s_max[pc]
    curv = _curvature_slack(g_rep + smax, smax)  # 0 unless past a quarter meridian
    lb_chunk = (g_rep + _support_bound(table.support, pc, k0, k1, alpha, beta)
                - _cubic(smax) - curv)
    gain = gain_fn(best)
    keep = lb_chunk <= best[pp] + gain[pp]
    pp, pc, g_rep, az = pp[keep], pc[keep], g_rep[keep], az[keep]
    k0, k1, alpha, beta, curv = k0[keep], k1[keep], alpha[keep], beta[keep], curv[keep]
    # Sub-chunk bounds (16 vertices each), offsets still from the chunk's representative.
    counts = table.sub_count[pc]
    sub_pair = np.repeat(np.arange(pp.size), counts)
    sub = table.sub_first[pc][sub_pair] + (
        np.arange(sub_pair.size) - np.repeat(np.cumsum(counts) - counts, counts))
    lb_sub = (g_rep[sub_pair] + _support_bound(table.sub_support, sub, k0[sub_pair],
                                               k1[sub_pair], alpha[sub_pair], beta[sub_pair])
              - _cubic(table.sub_s_max[sub]) - curv[sub_pair])
    keep_sub = lb_sub <= best[pp[sub_pair]] + gain[pp[sub_pair]]
    sub, sub_pair = sub[keep_sub], sub_pair[keep_sub]
    # Vertex-level bounds inside the surviving sub-chunks.
    lens = table.sub_length[sub]
    pair_of = sub_pair[np.repeat(np.arange(sub.size), lens)]
    first = np.repeat(np.cumsum(lens) - lens, lens)
    verts = np.repeat(table.sub_start[sub], lens) + (np.arange(first.size) - first)
    sin_az, cos_az = np.sin(az), np.cos(az)
    lb = (g_rep[pair_of] + table.east[verts] * sin_az[pair_of]
          + table.north[verts] * cos_az[pair_of] - table.cubic[verts] - curv[pair_of])
    pts = pp[pair_of]
    # Measure each point's most promising vertex first: the best distance then
    # drops to within centimetres of the answer and the filter below bites.
    # (pairs come grouped by point, so a segmented argmin does it in O(n))
    seg_start = np.flatnonzero(np.r_[True, pts[1:] != pts[:-1]])
    seg_len = np.diff(np.append(seg_start, pts.size))
    seg_min = np.minimum.reduceat(lb, seg_start) if pts.size else lb
    hits = np.flatnonzero(lb == np.repeat(seg_min, seg_len))
    seg_of_hit = np.repeat(np.arange(seg_start.size), seg_len)[hits]
    _, first_hit = np.unique(seg_of_hit, return_index=True)
    lead = hits[first_hit]
    g_lead = geodesic_m(plon[pts[lead]], plat[pts[lead]], vlon[verts[lead]], vlat[verts[lead]])
    np.minimum.at(best, pts[lead], g_lead)
    gain = gain_fn(best)
    cand = lb <= best[pts] + gain[pts]
    cand[lead] = False
    rest_p, rest_v = pts[cand], verts[cand]
    g_rest = geodesic_m(plon[rest_p], plat[rest_p], vlon[rest_v], vlat[rest_v])
    np.minimum.at(best, rest_p, g_rest)
    return (best, np.concatenate([pts[lead], rest_p]), np.concatenate([verts[lead], rest_v]),
            np.concatenate([g_lead, g_rest]))

