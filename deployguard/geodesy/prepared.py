"""Prepared shapely geometries that threads can share.

GEOS builds a prepared polygon's point locator (an interval index over its edges) lazily,
on the first query, and shapely runs ``intersects_xy`` / ``contains_xy`` with the GIL
released.  Two threads asking a freshly prepared, shared geometry their first question at
the same time therefore build that index together and corrupt the heap (``malloc():
unaligned tcache chunk detected``).  :func:`prepared` is the one way deployguard
prepares a geometry it keeps: it prepares it and asks it one point question under a lock,
so that the lazy parts exist before any thread queries it; later point queries only read.

Examples
--------
>>> square = prepared(shapely.box(0, 0, 1, 1))
>>> bool(shapely.is_prepared(square)), bool(shapely.intersects_xy(square, 0.5, 0.5))
(True, True)
>>> prepared(square) is square
True
"""

from __future__ import annotations

import functools
import threading
import weakref
from typing import TypeVar

import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["prepared"]

G = TypeVar("G", bound=BaseGeometry)

_LOCK = threading.Lock()
# id -> weak reference of each geometry prepared and warmed here (identity, not equality:
# preparation belongs to one object, and hashing a geometry would serialise it)
_WARM: dict[int, weakref.ref[BaseGeometry]] = {}


def _forget(key: int, ref: weakref.ref[BaseGeometry]) -> None:
    if _WARM.get(key) is ref:
        del _WARM[key]


def prepared(geom: G) -> G:
    """``geom`` itself, prepared, with GEOS's lazy point index already built.

    Safe to call from any thread, any number of times; the first call for a geometry
    prepares it under a lock and asks it one point question (``intersects_xy`` and
    ``contains_xy`` at the centre of its bounds), the later ones return at once.  Point
    queries on the result (``shapely.intersects_xy``, ``shapely.contains_xy``) may then
    run on many threads.

    Parameters
    ----------
    geom : shapely geometry
        Prepared in place (preparation belongs to the object); an empty geometry is
        returned as it is.

    Returns
    -------
    shapely geometry
        The same object.
    """
    key = id(geom)
    hit = _WARM.get(key)
    if hit is not None and hit() is geom:
        return geom
    with _LOCK:
        hit = _WARM.get(key)
        if hit is not None and hit() is geom:
            return geom
        if geom.is_empty:
            return geom
        shapely.prepare(geom)
        x0, y0, x1, y1 = geom.bounds
        x, y = (x0 + x1) / 2, (y0 + y1) / 2  # inside the envelope: reaches the locator
        shapely.intersects_xy(geom, x, y)
        shapely.contains_xy(geom, x, y)
        base: BaseGeometry = geom
        _WARM[key] = weakref.ref(base, functools.partial(_forget, key))
    return geom
