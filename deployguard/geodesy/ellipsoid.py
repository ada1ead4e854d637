"""The WGS84 ellipsoid: constants, the GeographicLib solver, geocentric vectors.

Everything geodesic in deployguard goes through :data:`GEOD` (GeographicLib via
``pyproj.Geod``), which is exact to a few nanometres on the ellipsoid.  The
vector helpers here are only used to *find candidates*; every distance that is
reported is computed by :data:`GEOD`.
"""

from __future__ import annotations

import numpy as np
import pyproj
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "GEOD",
    "A_M",
    "B_M",
    "F",
    "E2",
    "HALF_MERIDIAN_KM",
    "geodesic_m",
    "ecef_m",
    "unit_vectors",
]

GEOD = pyproj.Geod(ellps="WGS84")
A_M: float = float(GEOD.a)
B_M: float = float(GEOD.b)
F: float = float(GEOD.f)
E2: float = float(GEOD.es)
# Longest possible geodesic on WGS84: pole to pole along a meridian.
HALF_MERIDIAN_KM: float = float(GEOD.inv(0.0, 90.0, 0.0, -90.0)[2]) / 1000.0


def geodesic_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
               ) -> NDArray[np.float64]:
    """Geodesic distance in metres between broadcast arrays of points (GeographicLib).

    Examples
    --------
    >>> round(float(geodesic_m(0.0, 0.0, 1.0, 0.0)), 3)
    111319.491
    """
    x1, y1, x2, y2 = np.broadcast_arrays(
        np.asarray(lon1, float), np.asarray(lat1, float),
        np.asarray(lon2, float), np.asarray(lat2, float),
    )
    if x1.size == 0:
        return np.zeros(x1.shape)
    shape = x1.shape
    _, _, dist = GEOD.inv(x1.ravel(), y1.ravel(), x2.ravel(), y2.ravel(),
                          return_back_azimuth=False)
    return np.asarray(dist, dtype=float).reshape(shape)


def ecef_m(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    """Earth-centred Cartesian coordinates (m) of surface points, shape ``(..., 3)``."""
    lam = np.radians(np.asarray(lon, float))
    phi = np.radians(np.asarray(lat, float))
    sphi = np.sin(phi)
    n = A_M / np.sqrt(1.0 - E2 * sphi * sphi)
    cphi = np.cos(phi)
    return np.stack(
        [n * cphi * np.cos(lam), n * cphi * np.sin(lam), n * (1.0 - E2) * sphi], axis=-1
    )


def unit_vectors(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    """Geocentric unit vectors of surface points, shape ``(..., 3)``.

    The geocentric angle between two such vectors, times :data:`B_M`, is a
    rigorous lower bound of the geodesic between the points: every point of the
    ellipsoid is at least ``b`` from the centre, so any path on it that sweeps a
    geocentric angle ``theta`` is at least ``b * theta`` long.
    """
    xyz = ecef_m(lon, lat)
    out: NDArray[np.float64] = xyz / np.linalg.norm(xyz, axis=-1, keepdims=True)
    return out
