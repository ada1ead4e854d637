"""The WGS84 ellipsoid: constants, the GeographicLib solver, geocentric vectors.

Everything geodesic in deployguard goes through :data:`GEOD` (GeographicLib via
``pyproj.Geod``), which is exact to a few nanometres on the ellipsoid.  The
vector helpers here are only used to *find candidates*; every distance that is
reported is computed by :data:`GEOD`.
"""

from __future__ import annotations

import numpy as np
import pyproj

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


def geodesic_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Geodesic distance in metres between broadcast arrays of points (GeographicLib)."""
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(
        np.asarray(lon1, float), np.asarray(lat1, float),
        np.asarray(lon2, float), np.asarray(lat2, float),
    )
    if lon1.size == 0:
        return np.zeros(lon1.shape)
    shape = lon1.shape
    _, _, dist = GEOD.inv(
        lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel(), return_back_azimuth=False
    )
    return np.asarray(dist, dtype=float).reshape(shape)


def ecef_m(lon, lat) -> np.ndarray:
    """Earth-centred Cartesian coordinates (m) of surface points, shape ``(..., 3)``."""
    lam = np.radians(np.asarray(lon, float))
    phi = np.radians(np.asarray(lat, float))
    sphi = np.sin(phi)
    n = A_M / np.sqrt(1.0 - E2 * sphi * sphi)
    cphi = np.cos(phi)
    return np.stack(
        [n * cphi * np.cos(lam), n * cphi * np.sin(lam), n * (1.0 - E2) * sphi], axis=-1
    )


def unit_vectors(lon, lat) -> np.ndarray:
    """Geocentric unit vectors of surface points, shape ``(..., 3)``.

    The geocentric angle between two such vectors, times :data:`B_M`, is a
    rigorous lower bound of the geodesic between the points: every point of the
    ellipsoid is at least ``b`` from the centre, so any path on it that sweeps a
    geocentric angle ``theta`` is at least ``b * theta`` long.
    """
    xyz = ecef_m(lon, lat)
    return xyz / np.linalg.norm(xyz, axis=-1, keepdims=True)
