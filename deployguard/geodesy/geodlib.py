"""GeographicLib's C inverse, the very one inside pyproj, for compiled code.

pyproj's ``Geod.inv`` loops over ``geod_inverse`` from the PROJ library it ships
(GeographicLib's C port).  Compiled kernels that decide per point which
geodesics to solve cannot go through a Python call per geodesic, so they call
the same C function directly.  This module finds PROJ's library, takes the
address of ``geod_inverse``, prepares the WGS84 ``geod_geodesic`` structure
with ``geod_init`` (the values pyproj's own ``Geod`` uses), and checks on a
spread of pairs that the answers are bit-for-bit those of :data:`GEOD`.  When
any of that fails (a platform or packaging where no candidate file passes), :func:`geodesic_c`
returns ``None`` and callers keep the pure-numpy path;
:func:`~deployguard.geodesy.branch.choose_compiled` then declines once with a warning.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import importlib
import os
import sys
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
    """Files that may hold PROJ's ``geod_inverse``, most likely first (no file is opened).

    pyproj's wheels bundle PROJ beside the package (Linux: ``pyproj.libs``, macOS:
    ``.dylibs``, Windows: ``pyproj.libs`` or ``proj_dir``); a pyproj built against a system or
    conda PROJ has it loaded already (found in the process's map on Linux, through dyld on
    macOS) or in the environment's library folder.  The self-check decides among them.
    """
    root = os.path.dirname(os.path.abspath(pyproj.__file__))
    paths: list[str] = []
    for pattern in ("../pyproj.libs/libproj*", ".dylibs/libproj*", "../pyproj.libs/proj*.dll",
                    "proj_dir/lib/libproj*", "proj_dir/bin/proj*.dll"):
        paths.extend(sorted(glob.glob(os.path.join(root, pattern))))
    importlib.import_module("pyproj._geod")  # loads pyproj's PROJ into the process
    paths.extend(_loaded_libraries())
    for prefix in {sys.prefix, os.environ.get("CONDA_PREFIX", sys.prefix)}:
        for pattern in ("lib/libproj*", "Library/bin/proj*.dll"):
            paths.extend(sorted(glob.glob(os.path.join(prefix, pattern))))
    found = ctypes.util.find_library("proj")
    if found:
        paths.append(found)
    return list(dict.fromkeys(os.path.realpath(p) if os.sep in p else p for p in paths))


def _loaded_libraries() -> list[str]:
    """Libraries named like PROJ that this process has loaded (Linux and macOS)."""
    names: list[str] = []
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/maps", encoding="utf-8") as maps:
                names = [line.rsplit(" ", 1)[-1].strip() for line in maps]
        except OSError:
            return []
    elif sys.platform == "darwin":
        try:
            dyld = ctypes.CDLL(None)
            count = dyld._dyld_image_count()
            dyld._dyld_get_image_name.restype = ctypes.c_char_p
            names = [dyld._dyld_get_image_name(i).decode() for i in range(count)]
        except (OSError, AttributeError, UnicodeDecodeError):
            return []
    return [n for n in names if "proj" in os.path.basename(n).lower()
            and not os.path.basename(n).startswith("_")]


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
