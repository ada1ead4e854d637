"""Ball queries with one radius per query point, on a scipy k-d tree."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

__all__ = ["ball_pairs"]


def ball_pairs(
    tree: cKDTree, points: np.ndarray, radius: np.ndarray, k_start: int = 64
) -> tuple[np.ndarray, np.ndarray]:
    """All (point, tree item) pairs closer than each point's own radius.

    ``cKDTree.query`` takes one radius per call, and ``query_ball_point``
    returns Python lists; this queries groups of similar radius with the
    group's largest and a growing ``k``, then keeps each row's own hits, so
    the result stays in numpy arrays.

    Returns
    -------
    rows, items : ndarray of int
        Index into ``points`` and into the tree's data, grouped by row.
    """
    m = len(points)
    n = tree.n
    rows_out, items_out = [], []
    order = np.argsort(radius)
    for group in np.array_split(order, max(1, min(64, m // 256))):
        rows = group
        k = min(k_start, n)
        while rows.size:
            own = radius[rows]
            d_raw, i_raw = tree.query(points[rows], k=k, distance_upper_bound=own.max())
            dist = np.asarray(d_raw).reshape(rows.size, k)
            idx = np.asarray(i_raw).reshape(rows.size, k)
            saturated = (dist[:, -1] <= own) & (k < n)
            done = ~saturated
            sel = dist[done] <= own[done, None]
            rows_out.append(np.broadcast_to(rows[done, None], sel.shape)[sel])
            items_out.append(idx[done][sel])
            rows = rows[saturated]
            k = min(k * 4, n)
    if not rows_out:
        return np.zeros(0, int), np.zeros(0, int)
    return np.concatenate(rows_out), np.concatenate(items_out)
