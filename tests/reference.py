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
    edges = geom if shapely.get_dimensions(geom) == 1 else shapely.boundary(geom)
    for part in shapely.get_parts(shapely.segmentize(edges, step_deg)):
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


def _golden(lon, lat, a, b, sign: float = 1.0, iters: int = 60) -> float:
    """Least of ``sign * distance`` along the segment a-b (golden section)."""
    def f(t):
        p = a + t * (b - a)
        return sign * GEOD.inv(lon, lat, p[0], p[1])[2]

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

def _antipode(lon: float, lat: float) -> tuple[float, float]:
    return (lon - 180.0 if lon > 0 else lon + 180.0), -lat


def brute_farthest_m(lon: float, lat: float, geom, segs: np.ndarray | None = None) -> float:
    """Largest geodesic distance (m) from a point to a geometry, by brute force.

    The maximum over the boundary samples is refined by a golden-section search along the
    segments next to the best samples; a polygon holding the antipode gives the distance
    to the antipode itself (the largest on the ellipsoid).
    """
    alon, alat = _antipode(lon, lat)
    if shapely.intersects(geom, shapely.Point(alon, alat)):
        return float(GEOD.inv(lon, lat, alon, alat)[2])
    if segs is None:
        segs = boundary_segments(geom)
    starts = np.concatenate([segs[:, 0], segs[-1:, 1]])
    n = len(starts)
    _, _, d = GEOD.inv(np.full(n, lon), np.full(n, lat), starts[:, 0], starts[:, 1])
    d = np.asarray(d)
    best = float(d.max())
    for i in np.flatnonzero(d >= best - 2000.0):
        for j in (i, i - 1):
            if 0 <= j < len(segs):
                best = max(best, -_golden(lon, lat, segs[j][0], segs[j][1], sign=-1.0))
    return best

def brute_in_annulus(lon: float, lat: float, geom, r_max_m: float, r_min_m: float,
                     margin_m: float = 1.0) -> bool | None:
    """Some point of ``geom`` at a distance in [r_min, r_max]?  ``None`` if any part's
    nearest or farthest distance is within ``margin_m`` of either threshold."""
    answer = False
    for part in shapely.get_parts(geom):
        segs = boundary_segments(part)
        near = brute_distance_m(lon, lat, part, segs)
        far = brute_farthest_m(lon, lat, part, segs)
        for value in (near, far):
            if min(abs(value - r_max_m), abs(value - r_min_m)) <= margin_m:
                return None
        answer = answer or (near <= r_max_m and far >= r_min_m)
    return answer
