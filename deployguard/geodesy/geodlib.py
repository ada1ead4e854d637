"""GeographicLib's C inverse, the very one inside pyproj, for compiled code.

pyproj's ``Geod.inv`` loops over ``geod_inverse`` from the PROJ library it ships
(GeographicLib's C port).  Compiled kernels that decide per point which
geodesics to solve cannot go through a Python call per geodesic, so they call
the same C function directly.  This module finds PROJ's library, takes the
address of ``geod_inverse``, prepares the WGS84 ``geod_geodesic`` structure
with ``geod_init`` (the values pyproj's own ``Geod`` uses), and checks on a
spread of pairs that the answers are bit-for-bit those of :data:`GEOD`.  When
any of that fails, :func:`geodesic_c` returns ``None`` and callers keep the
pure-numpy path.
"""

from __future__ import annotations

import ctypes
import glob
import importlib
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pyproj
from numpy.typing import NDArray

from deployguard.geodesy.ellipsoid import GEOD

__all__ = ["GeodesicC", "geodesic_c"]


@dataclass(frozen=True)
class GeodesicC:
    """Address of ``geod_inverse`` and a WGS84 ``geod_geodesic`` to pass it."""

    inverse_addr: int
    geodesic: NDArray[np.float64]  # the C structure (51 doubles), kept alive here
    library: str

    @property
    def geodesic_addr(self) -> int:
        return int(self.geodesic.ctypes.data)


def _candidates() -> list[str]:
    root = os.path.dirname(os.path.abspath(pyproj.__file__))
    paths: list[str] = []
    for pattern in ("../pyproj.libs/libproj*", ".dylibs/libproj*", "../pyproj.libs/proj*.dll",
                    "proj_dir/lib/libproj*"):
        paths.extend(sorted(glob.glob(os.path.join(root, pattern))))
    try:
        # a pyproj built against a system or conda PROJ has it mapped already
        importlib.import_module("pyproj._geod")
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                name = line.rsplit(" ", 1)[-1].strip()
                if "libproj" in os.path.basename(name) and name not in paths:
                    paths.append(name)
    except OSError:
        pass
    return paths


def _self_check(inverse: Any, geodesic: NDArray[np.float64]) -> bool:
    """Same bits as pyproj on pairs short and long, polar, antipodal and across 180."""
    rng = np.random.default_rng(20211217)
    lon1 = np.r_[rng.uniform(-180, 180, 64), 0.0, 179.9, 10.0, 0.0]
    lat1 = np.r_[rng.uniform(-90, 90, 64), 0.0, 60.0, 89.99, 90.0]
    lon2 = np.r_[rng.uniform(-180, 180, 64), 179.5, -179.9, 10.1, 0.0]
    lat2 = np.r_[rng.uniform(-90, 90, 64), 0.5, 60.0, -89.99, -90.0]
    _, az2_ref, s_ref = GEOD.inv(lon1, lat1, lon2, lat2, return_back_azimuth=False)
    out = (ctypes.c_double * 3)()
    ptr = ctypes.addressof(out)
    for i in range(lon1.size):
        inverse(geodesic.ctypes.data, lat1[i], lon1[i], lat2[i], lon2[i],
                ptr, ptr + 8, ptr + 16)
        if out[0] != s_ref[i] or out[2] != az2_ref[i]:
            return False
    return True


@cache
def geodesic_c() -> GeodesicC | None:
    """The checked C entry point of GeographicLib's inverse, or ``None`` if unavailable.

    Examples
    --------
    >>> g = geodesic_c()
    >>> g is None or g.inverse_addr > 0
    True
    """
    if os.environ.get("DEPLOYGUARD_NO_JIT"):
        return None
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
            init, inverse = lib.geod_init, lib.geod_inverse
        except (OSError, AttributeError):
            continue
        init.argtypes = [ctypes.c_void_p, ctypes.c_double, ctypes.c_double]
        init.restype = None
        inverse.argtypes = [ctypes.c_void_p] + [ctypes.c_double] * 4 + [ctypes.c_void_p] * 3
        inverse.restype = None
        geodesic = np.zeros(128)  # struct geod_geodesic is 51 doubles
        init(geodesic.ctypes.data, GEOD.a, GEOD.f)
        if _self_check(inverse, geodesic):
            addr = ctypes.cast(inverse, ctypes.c_void_p).value
            if addr:
                # keep the library loaded for the life of the process
                _LOADED.append(lib)
                return GeodesicC(int(addr), geodesic, path)
    return None


_LOADED: list[ctypes.CDLL] = []
