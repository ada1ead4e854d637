"""An independent brute-force distance, used only to check deployguard's kernel.

It shares no code with deployguard: the boundary is sampled with
``shapely.segmentize`` (points on the straight lon/lat edges), every sample is
measured with GeographicLib (``pyproj.Geod.inv``), and the minimum is refined
by a golden-section search along the edges next to the nearest samples.
"""

from __future__ import annotations

import numpy as np
import pyproj
import shapely

GEOD = pyproj.Geod(ellps="WGS84")
_PHI = (np.sqrt(5) - 1) / 2


def boundary_segments(geom, step_deg: float = 0.005) -> np.ndarray:
    """All straight lon/lat sub-segments of the boundary, shape (n, 2, 2)."""
    segs = []
    for part in shapely.get_parts(shapely.segmentize(shapely.boundary(geom), step_deg)):
        for line in shapely.get_parts(part):
            c = np.asarray(line.coords)[:, :2]
            segs.append(np.stack([c[:-1], c[1:]], axis=1))
    return np.concatenate(segs)


def brute_distance_m(lon: float, lat: float, geom, segs: np.ndarray | None = None) -> float:
    """Geodesic distance (m) from one point to a polygonal geometry, by brute force."""
    if shapely.intersects(geom, shapely.Point(lon, lat)) or shapely.intersects(
        geom, shapely.Point(-lon if abs(lon) == 180 else lon, lat)
    ):
        return 0.0
    if segs is None:
        segs = boundary_segments(geom)
    starts = segs[:, 0]
    n = len(starts)
    _, _, d = GEOD.inv(np.full(n, lon), np.full(n, lat), starts[:, 0], starts[:, 1])
    d = np.asarray(d)
    best = float(d.min())
    # Refine along every segment whose start is within 2 km of the best sample.
    for i in np.flatnonzero(d <= best + 2000.0):
        for seg in (segs[i], segs[i - 1] if i > 0 else None):
            if seg is None:
                continue
            best = min(best, _golden(lon, lat, seg[0], seg[1]))
    return best


def _golden(lon, lat, a, b, iters: int = 60) -> float:
    def f(t):
        p = a + t * (b - a)
        return GEOD.inv(lon, lat, p[0], p[1])[2]

    lo, hi = 0.0, 1.0
    x1, x2 = hi - _PHI * (hi - lo), lo + _PHI * (hi - lo)
    f1, f2 = f(x1), f(x2)
    for _ in range(iters):
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - _PHI * (hi - lo)
            f1 = f(x1)
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + _PHI * (hi - lo)
            f2 = f(x2)
    return float(min(f1, f2, f(0.0), f(1.0)))
