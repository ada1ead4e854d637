"""Boundary vertices of a target geometry, densified along its straight lon/lat edges.

Natural Earth, GeoJSON and shapely draw polygon edges as straight lines in
lon/lat.  We keep that convention: densified vertices are placed *on* those
straight edges, so the densified polyline is the same curve, only sampled.  The
spacing is chosen so that the difference between a straight lon/lat sub-edge and
the geodesic between its ends stays far below a metre.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard.errors import InvalidInputError
from deployguard.geodesy.ellipsoid import GEOD

__all__ = ["Boundary", "extract_boundary", "densify_rings", "flat_parts", "validated_geometry"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_R_MEAN_M = 6_371_008.8


@dataclass(frozen=True)
class Boundary:
    """Densified boundary vertices with the ring topology kept.

    Attributes
    ----------
    lon, lat : ndarray
        Vertex coordinates in degrees.
    next_idx : ndarray of int
        Index of the following vertex along the same ring or line, ``-1`` at the
        end of an open line or a lone point.
    prev_idx : ndarray of int
        Index of the preceding vertex, ``-1`` at the start of an open line.
    edge_m : ndarray
        Geodesic length (m) of the edge from each vertex to ``next_idx`` (0 where
        there is none).
    part : ndarray of int
        Connected part (polygon with its holes, line or point) each vertex belongs to.
    """

    lon: FloatArray
    lat: FloatArray
    next_idx: IntArray
    prev_idx: IntArray
    edge_m: FloatArray
    part: IntArray

    @property
    def size(self) -> int:
        return int(self.lon.size)


def _approx_len_m(
    lon0: FloatArray, lat0: FloatArray, lon1: FloatArray, lat1: FloatArray
) -> FloatArray:
    """Length of the straight lon/lat edge (not of the geodesic between its ends).

    Only chooses how many points to insert. The edge is the straight line in
    lon/lat, so an edge from 179 E to 179 W runs 358 degrees the long way: its
    length is measured along it, with the widest parallel it crosses.
    """
    p0, p1 = np.radians(lat0), np.radians(lat1)
    dl = np.radians(lon1 - lon0)
    h = np.sin((p1 - p0) / 2) ** 2 + np.cos(p0) * np.cos(p1) * np.sin(dl / 2) ** 2
    haversine = 2 * _R_MEAN_M * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    crosses_equator = np.sign(lat0) != np.sign(lat1)
    widest = np.where(crosses_equator, 1.0, np.cos(np.minimum(np.abs(p0), np.abs(p1))))
    along = _R_MEAN_M * np.hypot(dl * widest, p1 - p0)
    out: FloatArray = np.maximum(haversine, along)
    return out


def densify_rings(
    parts: list[FloatArray], closed: list[bool], spacing_m: float,
    owners: list[int] | None = None,
) -> Boundary:
    """Densify polylines so that no sub-edge is longer than ``spacing_m``.

    Parameters
    ----------
    parts : list of (n, 2) arrays
        Coordinate sequences (lon, lat).  A closed ring may or may not repeat its
        first vertex; it is treated as closed when ``closed`` says so.
    closed : list of bool
        Whether each part is a ring.
    spacing_m : float
        Largest sub-edge length in metres (approximately; 1 % slack).
    owners : list of int, optional
        Connected part of each polyline (default: each its own).
    """
    lons: list[FloatArray] = []
    lats: list[FloatArray] = []
    nexts: list[IntArray] = []
    prevs: list[IntArray] = []
    owned: list[IntArray] = []
    offset = 0
    owner_of = owners if owners is not None else list(range(len(parts)))
    for raw, is_ring, owner in zip(parts, closed, owner_of, strict=True):
        coords = np.asarray(raw, dtype=float)[:, :2]
        if is_ring and len(coords) > 1 and np.array_equal(coords[0], coords[-1]):
            coords = coords[:-1]
        if len(coords) == 0:
            continue
        if len(coords) == 1:
            lons.append(coords[:, 0])
            lats.append(coords[:, 1])
            nexts.append(np.array([-1]))
            prevs.append(np.array([-1]))
            owned.append(np.array([owner]))
            offset += 1
            continue
        start = coords
        end = np.roll(coords, -1, axis=0) if is_ring else coords[1:]
        if not is_ring:
            start = coords[:-1]
        seg_len = _approx_len_m(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
        # Curvature of a straight lon/lat edge grows like tan(lat): near the poles
        # the spacing shrinks so the edge stays within centimetres of its chord.
        lat_mid = np.abs((start[:, 1] + end[:, 1]) / 2)
        local = spacing_m / np.maximum(1.0, np.tan(np.radians(np.minimum(lat_mid, 89.9))) / 4)
        n_sub = np.maximum(1, np.ceil(seg_len / (local * 0.99)).astype(np.int64))
        seg_of = np.repeat(np.arange(len(start)), n_sub)
        first = np.repeat(np.cumsum(n_sub) - n_sub, n_sub)
        t = (np.arange(seg_of.size) - first) / n_sub[seg_of]
        plon = start[seg_of, 0] + t * (end[seg_of, 0] - start[seg_of, 0])
        plat = start[seg_of, 1] + t * (end[seg_of, 1] - start[seg_of, 1])
        if not is_ring:
            plon = np.append(plon, coords[-1, 0])
            plat = np.append(plat, coords[-1, 1])
        m = plon.size
        idx = np.arange(m) + offset
        if is_ring:
            nxt = np.roll(idx, -1)
            prv = np.roll(idx, 1)
        else:
            nxt = np.append(idx[1:], -1)
            prv = np.insert(idx[:-1], 0, -1)
        lons.append(plon)
        lats.append(plat)
        nexts.append(nxt)
        prevs.append(prv)
        owned.append(np.full(m, owner))
        offset += m
    if offset == 0:
        raise InvalidInputError("the target geometry has no coordinates (is it empty?)")
    lon = np.concatenate(lons)
    lat = np.concatenate(lats)
    nxt = np.concatenate(nexts)
    prv = np.concatenate(prevs)
    edge = np.zeros(lon.size)
    has = nxt >= 0
    if has.any():
        _, _, d = GEOD.inv(
            lon[has], lat[has], lon[nxt[has]], lat[nxt[has]], return_back_azimuth=False
        )
        edge[has] = d
    return Boundary(lon, lat, nxt, prv, edge, np.concatenate(owned))


def extract_boundary(geom: BaseGeometry, spacing_m: float = 1000.0) -> Boundary:
    """Densified boundary of any shapely geometry (rings of polygons, lines, points).

    Examples
    --------
    >>> b = extract_boundary(shapely.MultiPolygon([shapely.box(0, 0, 1, 1),
    ...                                            shapely.box(3, 0, 4, 1)]))
    >>> b.size > 800, sorted(set(b.part.tolist()))
    (True, [0, 1])
    """
    parts: list[FloatArray] = []
    closed: list[bool] = []
    owners: list[int] = []
    for k, part in enumerate(flat_parts(geom)):
        gtype = part.geom_type
        if isinstance(part, shapely.Polygon):
            for ring in [part.exterior, *part.interiors]:
                parts.append(np.asarray(ring.coords))
                closed.append(True)
                owners.append(k)
        elif gtype in ("LineString", "LinearRing", "Point"):
            parts.append(np.asarray(shapely.get_coordinates(part)))
            closed.append(gtype == "LinearRing")
            owners.append(k)
    return densify_rings(parts, closed, spacing_m, owners)


def flat_parts(geom: BaseGeometry) -> list[BaseGeometry]:
    """Single-part, non-empty geometries of any (nested) collection: the connected parts.

    Examples
    --------
    >>> [p.geom_type for p in flat_parts(shapely.GeometryCollection(
    ...     [shapely.Point(0, 0), shapely.MultiLineString([[(0, 0), (1, 1)]])]))]
    ['Point', 'LineString']
    """
    out: list[BaseGeometry] = []
    for part in shapely.get_parts(geom):
        if part.is_empty:
            continue
        if part.geom_type.startswith("Multi") or part.geom_type == "GeometryCollection":
            out.extend(flat_parts(part))
        else:
            out.append(part)
    return out


def validated_geometry(target: Any, name: str = "target") -> BaseGeometry:
    """The shapely geometry of ``target`` (or of its ``.geometry``), checked for use.

    Raises :class:`~deployguard.errors.InvalidInputError` naming ``name`` for a
    non-geometry, an empty or invalid geometry, or coordinates outside EPSG:4326.
    Validity is checked here once, when an index is built, not on every query.

    Examples
    --------
    >>> validated_geometry(shapely.box(0, 0, 1, 1)).geom_type
    'Polygon'
    >>> try:
    ...     validated_geometry(shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]))
    ... except InvalidInputError as err:
    ...     print(str(err)[:43])
    target is not a valid geometry (Self-inters
    """
    geom = getattr(target, "geometry", target)
    if not isinstance(geom, BaseGeometry):
        raise InvalidInputError(
            f"{name} must be a shapely geometry or a territory, got {type(target).__name__}"
        )
    if geom.is_empty:
        raise InvalidInputError(f"{name} is an empty geometry")
    lon_min, lat_min, lon_max, lat_max = geom.bounds
    if not (np.isfinite(geom.bounds).all() and lon_min >= -180 - 1e-9 and lon_max <= 180 + 1e-9
            and lat_min >= -90 and lat_max <= 90):
        raise InvalidInputError(
            f"{name} must lie in lon [-180, 180], lat [-90, 90] (EPSG:4326), "
            f"got bounds {tuple(round(b, 6) for b in geom.bounds)}"
        )
    if not geom.is_valid:
        raise InvalidInputError(
            f"{name} is not a valid geometry ({shapely.is_valid_reason(geom)}); "
            "repair it with shapely.make_valid"
        )
    return geom
