"""Fast exact distances for points far from the target (hundreds of km and more).

Seen from far away a coastline is flat: hundreds of boundary vertices lie
within the slack of any cheap bound (``b * theta`` is loose by up to 0.34 %,
17 km at 5,000 km), and measuring them all is what makes a naive exact search
slow.  Here the boundary is cut into chunks of 64 consecutive vertices.  For a
candidate chunk one exact geodesic to its first vertex (the *representative*)
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

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from deployguard.geodesy.ellipsoid import A_M, B_M, GEOD
from deployguard.geodesy.kdsearch import ball_pairs

__all__ = ["ChunkTable", "build_chunks", "FAR_MIN_M", "FAR_MAX_M"]

CHUNK = 64
N_DIR = 16
# Below this the chunk slack (s^2 / 2g) is no longer small; above FAR_MAX_M
# the Hessian bound degrades towards the antipodal cut locus.
FAR_MIN_M = 300_000.0
FAR_MAX_M = 18_500_000.0
_SQRT_KMAX = 1.0 / B_M  # sqrt of the largest Gaussian curvature of WGS84 (at the equator)
_R_MIN_M = B_M * B_M / A_M  # least radius of curvature of WGS84


@dataclass(frozen=True)
class ChunkTable:
    """Chunks of consecutive boundary vertices with their local geometry."""

    rep: np.ndarray  # vertex index of each chunk's representative (its first vertex)
    start: np.ndarray  # first vertex of each chunk
    length: np.ndarray  # vertices in each chunk
    east: np.ndarray  # per vertex: tangent-plane offset (m) from its representative
    north: np.ndarray
    s: np.ndarray  # per vertex: chord to its representative (m), >= offset length
    s_max: np.ndarray  # per chunk
    support: np.ndarray  # (n_chunks, N_DIR): min over the chunk of <offset, u_k>
    psi_max: float  # largest geocentric angle from a representative to its vertices
    tree: cKDTree  # over the representatives' unit vectors


def build_chunks(lon, lat, prev_idx, unit, ecef) -> ChunkTable:
    """Cut the boundary into chunks that never span two rings."""
    n = lon.size
    i = np.arange(n)
    ring_starts = np.flatnonzero((i == 0) | (prev_idx != i - 1))
    ring_start = ring_starts[np.searchsorted(ring_starts, i, side="right") - 1]
    rep = np.flatnonzero((i - ring_start) % CHUNK == 0)
    length = np.diff(np.append(rep, n))
    owner = np.repeat(np.arange(rep.size), length)
    lam = np.radians(lon[rep])[owner]
    phi = np.radians(lat[rep])[owner]
    d = ecef - ecef[rep][owner]
    east = -np.sin(lam) * d[:, 0] + np.cos(lam) * d[:, 1]
    north = (-np.sin(phi) * np.cos(lam) * d[:, 0] - np.sin(phi) * np.sin(lam) * d[:, 1]
             + np.cos(phi) * d[:, 2])
    s = np.linalg.norm(d, axis=1)
    s_max = np.maximum.reduceat(s, rep)
    ang = 2 * np.pi * np.arange(N_DIR) / N_DIR
    proj = east[:, None] * np.sin(ang)[None, :] + north[:, None] * np.cos(ang)[None, :]
    support = np.minimum.reduceat(proj, rep, axis=0)
    cos_ang = np.einsum("ij,ij->i", unit, unit[rep][owner])
    psi = float(np.arccos(np.clip(cos_ang, -1, 1)).max()) * 1.000001 + 1e-12
    tree = cKDTree(unit[rep], balanced_tree=False, compact_nodes=False)
    return ChunkTable(rep, rep.copy(), length, east, north, s, s_max, support, psi, tree)


def _slack(g_far: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Second- and third-order slack of the linear bound over a distance ``s``."""
    # The tangent-plane offset differs from the geodesic's initial vector by at
    # most s^3 / (6 R^2) (R the least radius of curvature, b^2/a); 20 % margin,
    # plus 5 cm for rounding in metres-scale arithmetic on 1e7 m numbers.
    out = s**3 * (1.2 / (6 * _R_MIN_M**2)) + 0.05
    # Rauch comparison: transverse Hessian >= sqrt(K) cot(sqrt(K) g) with K = 1/b^2,
    # which is >= 0 (no slack) below a quarter meridian of the comparison sphere.
    past = np.flatnonzero(g_far >= np.pi / 2 / _SQRT_KMAX)
    if past.size:
        x = np.minimum(_SQRT_KMAX * g_far[past], np.pi - 1e-3)
        out[past] -= 0.5 * (_SQRT_KMAX / np.tan(x)) * s[past] ** 2
    return out


def far_distances(table: ChunkTable, vlon, vlat, plon, plat, pu, best, max_edge_m, gain_fn):
    """Refine ``best`` (upper bounds, m) to exact vertex distances for far points.

    Returns ``(best, pts, verts, g)``: the improved bounds and every (point,
    vertex) pair measured exactly, for the caller's edge refinement.
    """
    # Chunks whose representative could be within reach of an improvement.
    theta = np.minimum((best + max_edge_m / 2) / B_M + table.psi_max, np.pi)
    chord = 2 * np.sin(theta / 2) * (1 + 1e-12) + 1e-15
    pp, pc = ball_pairs(table.tree, pu, chord, k_start=32)
    rv = table.rep[pc]
    _, az_back, g_rep = GEOD.inv(plon[pp], plat[pp], vlon[rv], vlat[rv])
    g_rep = np.asarray(g_rep)
    az = np.radians(np.asarray(az_back) + 180.0)  # direction of growing distance at rep
    np.minimum.at(best, pp, g_rep)
    # Chunk-level bound from the support function (t between two sampled directions).
    step = 2 * np.pi / N_DIR
    a = np.mod(az, 2 * np.pi)
    k0 = np.floor(a / step).astype(int) % N_DIR
    k1 = (k0 + 1) % N_DIR
    phi = a - k0 * step
    alpha = np.sin(step - phi) / np.sin(step)
    beta = np.sin(phi) / np.sin(step)
    smax = table.s_max[pc]
    lb_chunk = (g_rep + alpha * table.support[pc, k0] + beta * table.support[pc, k1]
                - _slack(g_rep + smax, smax))
    gain = gain_fn(best)
    keep = lb_chunk <= best[pp] + gain[pp]
    pp, pc, g_rep, az = pp[keep], pc[keep], g_rep[keep], az[keep]
    # Vertex-level bounds inside the surviving chunks.
    lens = table.length[pc]
    pair_of = np.repeat(np.arange(pp.size), lens)
    first = np.repeat(np.cumsum(lens) - lens, lens)
    verts = table.start[pc][pair_of] + (np.arange(pair_of.size) - first)
    sv = table.s[verts]
    sin_az, cos_az = np.sin(az), np.cos(az)
    lb = (g_rep[pair_of] + table.east[verts] * sin_az[pair_of]
          + table.north[verts] * cos_az[pair_of] - _slack(g_rep[pair_of] + sv, sv))
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
    g_lead = _inv(plon[pts[lead]], plat[pts[lead]], vlon[verts[lead]], vlat[verts[lead]])
    np.minimum.at(best, pts[lead], g_lead)
    gain = gain_fn(best)
    cand = lb <= best[pts] + gain[pts]
    cand[lead] = False
    rest_p, rest_v = pts[cand], verts[cand]
    g_rest = _inv(plon[rest_p], plat[rest_p], vlon[rest_v], vlat[rest_v])
    np.minimum.at(best, rest_p, g_rest)
    return (best, np.concatenate([pts[lead], rest_p]), np.concatenate([verts[lead], rest_v]),
            np.concatenate([g_lead, g_rest]))


def _inv(lon1, lat1, lon2, lat2) -> np.ndarray:
    if lon1.size == 0:
        return np.zeros(0)
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2, return_back_azimuth=False)[2])
