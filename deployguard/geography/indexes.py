"""The one cache of distance indexes (design.md section 4, floor 3).

Building the :class:`~deployguard.geodesy.index.DistanceIndex` of Russia at 1:10m takes about
a second, so an index outlives the call that built it: the most recent ones are kept here,
keyed by a digest of their geometry's WKB, so that equal geometries share one index whoever
asks (the distance functions of :mod:`deployguard.geography.ranges`, the distance table of a
run, the placement of deployments, the refusal of a ship on land).  The same geometry object
asked again skips even the digest.

The cache is safe to use from several threads: its bookkeeping runs under a lock; an index is
built outside it (two threads asking for one new geometry at once may both build it, and one
copy is kept).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from deployguard.geodesy.index import DistanceIndex, validated_geometry
from deployguard.geography.territories import state_territory

__all__ = ["INDEX_CACHE_SIZE", "geometry_digest", "index_of", "target_index"]

#: How many indexes are kept (the least recently used goes first).
INDEX_CACHE_SIZE = 96

_LOCK = threading.Lock()
_BY_DIGEST: OrderedDict[bytes, DistanceIndex] = OrderedDict()
# id of a geometry object -> (the object, its index); the object is kept alive by the entry
# so that its id cannot be reused while the entry stands
_BY_ID: dict[int, tuple[BaseGeometry, DistanceIndex]] = {}


def geometry_digest(geometry: BaseGeometry) -> bytes:
    """A 16-byte digest of ``geometry``'s WKB: equal geometries, equal digests."""
    return hashlib.blake2b(shapely.to_wkb(geometry), digest_size=16).digest()


def index_of(geometry: BaseGeometry, digest: bytes | None = None) -> DistanceIndex:
    """The shared (cached) distance index of ``geometry``.

    Parameters
    ----------
    geometry : shapely geometry
        In EPSG:4326; validated when its index is first built.
    digest : bytes, optional
        :func:`geometry_digest` of ``geometry`` if the caller already has it.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> index_of(box(0, 0, 1, 1)) is index_of(box(0, 0, 1, 1))
    True
    """
    with _LOCK:
        hit = _BY_ID.get(id(geometry))
        if hit is not None and hit[0] is geometry:
            return hit[1]
    key = geometry_digest(geometry) if digest is None else digest
    with _LOCK:
        idx = _BY_DIGEST.get(key)
        if idx is not None:
            _BY_DIGEST.move_to_end(key)
            _remember(geometry, idx)
            return idx
    built = DistanceIndex(geometry)
    with _LOCK:
        idx = _BY_DIGEST.setdefault(key, built)  # another thread may have built it first
        _BY_DIGEST.move_to_end(key)
        gone = set()
        while len(_BY_DIGEST) > INDEX_CACHE_SIZE:
            gone.add(id(_BY_DIGEST.popitem(last=False)[1]))
        if gone:  # an evicted index must not live on through the id map
            for k in [k for k, (_, i) in _BY_ID.items() if id(i) in gone]:
                del _BY_ID[k]
        _remember(geometry, idx)
    return idx


def _remember(geometry: BaseGeometry, idx: DistanceIndex) -> None:
    _BY_ID[id(geometry)] = (geometry, idx)


def target_index(target: Any) -> DistanceIndex:
    """The cached :class:`~deployguard.geodesy.index.DistanceIndex` of a target.

    Parameters
    ----------
    target : shapely geometry, territory (anything with ``.geometry``), DistanceIndex, or a
        state's name or code
        An index is returned as it is; a name stands for the state's land (1:50m, de facto
        borders), as :func:`deployguard.grid` takes it.

    Notes
    -----
    The target is validated once, when its index is built; later calls cost only the
    look-up.  Pass the returned object around to keep it alive explicitly.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> idx = target_index(box(0, 0, 1, 1))
    >>> idx is target_index(box(0, 0, 1, 1))
    True
    """
    if isinstance(target, DistanceIndex):
        return target
    target = state_territory(target)
    geom = getattr(target, "geometry", target)
    if not isinstance(geom, BaseGeometry):
        validated_geometry(target)  # raises the clear error
    return index_of(geom)
