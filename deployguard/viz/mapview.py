"""Map views: a projection, the part of the globe it shows, and projecting geometries into it.

Every geometry here is an EPSG:4326 geometry as the rest of deployguard makes it:
edges straight in lon/lat, parts cut at +-180 deg, a zone that holds a pole closed
along it.  Drawing such geometries naively in lon/lat smears them across the map,
so :func:`project_geometry` takes each one through these steps:

1. clipped to a spherical cap around the map centre (in lon/lat), which keeps the
   far side of the globe, where projections tear, out of the picture; the cap is
   made large enough to cover the whole frame, so the base map never ends inside it;
2. for projections that are cut along a meridian (conic, plate carree, cylindrical
   CRSs), re-cut at the meridian opposite the centre instead of at 180 deg;
3. densified along its straight lon/lat edges (so an edge stays the curve it is);
4. projected vertex by vertex with :mod:`pyproj` (projection chosen by
   :mod:`deployguard.viz.projections`, or any pyproj CRS);
5. healed: parts that meet along the antimeridian, and the slit a polar cap has
   along it, are merged again in the plane, so no seam line is drawn.

:func:`map_view` chooses the projection, its centre and the plot limits.  Nothing
here imports matplotlib.

Examples
--------
>>> view = map_view(extent=(10, 45, 30, 60))
>>> view.name
'lcc'
>>> project_geometry(shapely.Point(20, 52), view).geom_type
'Point'
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pyproj
import shapely
import shapely.affinity
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard._validate import as_box
from deployguard.errors import InvalidInputError
from deployguard.viz.projections import (
    PROJECTIONS,
    choose_projection,
    describe,
    proj_params,
    projection_crs,
    user_crs,
)

__all__ = ["PROJECTIONS", "MapView", "map_view", "project_geometry"]

# Azimuthal projections tear near the antipode of their centre; we never show more
# than this much of the globe around the centre (km along the surface).
_MAX_CAP_KM = 16_500.0
_CAP_KM = {"north_polar": 12_000.0, "south_polar": 12_000.0, "lcc": 8_000.0,
           "ortho": 9_900.0, "gnom": 7_000.0, "stere": 12_000.0}
_AZIMUTHAL = frozenset({"aeqd", "laea", "stere", "ortho", "gnom", "nsper", "sterea", "ups"})
_DENSIFY_DEG = 0.25
_GEOD = pyproj.Geod(ellps="WGS84")


@dataclass(frozen=True)
class MapView:
    """A projection, the visible cap of the globe and the plot limits.

    Attributes
    ----------
    name : str
        One of :data:`PROJECTIONS` (never "auto"), or "crs" for a CRS the user passed.
    center : (float, float)
        (lon, lat) of the projection centre in degrees.
    crs : pyproj.CRS or None
        None for plate carree, whose plane coordinates are (lon, lat) degrees
        re-wrapped to ``[lon0 - 180, lon0 + 180]``.
    cap : shapely geometry
        The part of the globe (EPSG:4326) that may be drawn.
    xlim, ylim : (float, float)
        Plot limits in projected units.
    cut_lon : float or None
        Geometries are re-cut along the meridian opposite this longitude before projection
        (the projection's own seam for conic and cylindrical projections; off the map for
        azimuthal ones); None: the centre's longitude.
    """

    name: str
    center: tuple[float, float]
    crs: pyproj.CRS | None
    cap: BaseGeometry
    xlim: tuple[float, float] = (-1.0, 1.0)
    ylim: tuple[float, float] = (-1.0, 1.0)
    cut_lon: float | None = None

    @functools.cached_property
    def _forward(self) -> pyproj.Transformer | None:
        if self.crs is None:
            return None
        return pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    @property
    def aspect(self) -> float:
        """Width over height of the frame."""
        return (self.xlim[1] - self.xlim[0]) / (self.ylim[1] - self.ylim[0])

    @property
    def description(self) -> str:
        """The projection in words (for a footer)."""
        return describe(self.crs)

    def project_xy(self, lon: Any, lat: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Project (lon, lat) degrees to plane coordinates (no clipping)."""
        lon_a = np.asarray(lon, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
        tr = self._forward
        if tr is None:
            lo0 = self.center[0]
            return (lon_a - lo0 + 180.0) % 360.0 + lo0 - 180.0, lat_a
        x, y = tr.transform(lon_a, lat_a)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def inverse_xy(self, x: Any, y: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Plane coordinates back to (lon, lat) degrees in [-180, 180]."""
        xa = np.asarray(x, dtype=float)
        ya = np.asarray(y, dtype=float)
        tr = self._forward
        if tr is None:
            return (xa + 180.0) % 360.0 - 180.0, ya
        lon, lat = tr.transform(xa, ya, direction=pyproj.enums.TransformDirection.INVERSE)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def fit_aspect(self, aspect: float) -> MapView:
        """The same view widened or heightened (never cut) to width / height = ``aspect``.

        Examples
        --------
        >>> round(map_view(extent=(10, 45, 30, 60)).fit_aspect(2.0).aspect, 6)
        2.0
        """
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        w, h = x1 - x0, y1 - y0
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if w / h < aspect:
            w = h * aspect
        else:
            h = w / aspect
        return self.with_limits((cx - w / 2, cx + w / 2), (cy - h / 2, cy + h / 2))

    def with_limits(self, xlim: tuple[float, float], ylim: tuple[float, float]) -> MapView:
        """The same projection with other limits, and a cap grown to cover the new frame."""
        view = dataclasses.replace(self, xlim=xlim, ylim=ylim)
        if self.crs is None:
            return view
        return dataclasses.replace(view, cap=_cap_covering(view))


def _unit(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _sample(geom: BaseGeometry) -> NDArray[np.float64]:
    """Vertices of ``geom`` densified in lon/lat: the points a view must show."""
    coords = shapely.get_coordinates(shapely.segmentize(geom, 1.0))
    return coords if len(coords) else np.zeros((0, 2))


def _proj_kind(name: str, crs: pyproj.CRS | None) -> str:
    if name != "crs" or crs is None:
        return name
    return str(proj_params(crs).get("proj", "")) if crs.is_projected else "plate_carree"


def _cap_centre(view: MapView) -> tuple[float, float]:
    return {"north_polar": (0.0, 90.0), "south_polar": (0.0, -90.0)}.get(view.name, view.center)


def _cap_limit(view: MapView) -> float:
    kind = _proj_kind(view.name, view.crs)
    return _CAP_KM.get(view.name, _CAP_KM.get(kind, _MAX_CAP_KM if kind in _AZIMUTHAL else 8_000.0))


def geodesic_ring(lon: float, lat: float, range_km: float, min_range_km: float = 0.0, *,
                  tolerance_km: float) -> BaseGeometry:
    """:func:`deployguard.geography.ranges.range_ring`, typed for the maps (EPSG:4326)."""
    from deployguard.geography.ranges import range_ring  # a face may use the floors below

    return cast(BaseGeometry, range_ring(lon, lat, range_km, min_range_km,
                                         tolerance_km=tolerance_km))


def _cap(view: MapView, radius_km: float) -> BaseGeometry:
    lon, lat = _cap_centre(view)
    cap = geodesic_ring(lon, lat, min(radius_km, _cap_limit(view)), tolerance_km=2.0)
    if view.crs is not None and view.crs.area_of_use is not None and view.name == "crs":
        w, s, e, n = view.crs.area_of_use.bounds
        box = shapely.box(w, s, e, n) if w <= e else shapely.union(
            shapely.box(w, s, 180, n), shapely.box(-180, s, e, n))
        cap = shapely.intersection(cap, box)
    return cap


def _cap_covering(view: MapView) -> BaseGeometry:
    """A cap around the view's centre that holds every point of its frame."""
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    t = np.linspace(0.0, 1.0, 41)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(41, x1), x1 - (x1 - x0) * t, np.full(41, x0)])
    ys = np.concatenate([np.full(41, y0), y0 + (y1 - y0) * t, np.full(41, y1), y1 - (y1 - y0) * t])
    lon, lat = view.inverse_xy(xs, ys)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90)
    c = _cap_centre(view)
    if not ok.all():
        return _cap(view, _cap_limit(view))
    far = _GEOD.inv(np.full(ok.sum(), c[0]), np.full(ok.sum(), c[1]), lon[ok], lat[ok])[2]
    return _cap(view, float(np.max(far)) / 1000.0 * 1.03 + 100.0)


def map_view(
    focus: Iterable[BaseGeometry] = (),
    *,
    projection: Any = "auto",
    center: tuple[float, float] | None = None,
    extent: Any = None,
    margin: float = 0.06,
) -> MapView:
    """Choose a projection, centre and limits that show ``focus`` (or ``extent``).

    Parameters
    ----------
    focus : iterable of shapely geometry
        EPSG:4326 geometries the map is about (zones, sites, territories).
    projection : str or pyproj.CRS
        One of :data:`PROJECTIONS` ("auto": polar stereographic when the area holds a pole
        or lies beyond 65 deg, Lambert conformal conic for a mid-latitude area, else Lambert
        azimuthal equal-area; "aeqd" is azimuthal equidistant, the choice for a map about
        one site) or any CRS pyproj accepts ("EPSG:3035", a ``pyproj.CRS``).
    center : (lon, lat), optional
        Projection centre; default the centre of the area of interest (mean of
        geocentric unit vectors of its densified outline, so 180 deg is no edge).
        Ignored for a CRS the user passed.
    extent : (lon_min, lat_min, lon_max, lat_max) or shapely geometry, optional
        What to show instead of ``focus``: a box in shapely's order (as ``geometry.bounds``),
        degrees; ``lon_min > lon_max`` crosses 180 deg.  A box only valid in matplotlib's
        order (lon_min, lon_max, lat_min, lat_max) is an error.
    margin : float
        Fraction of the view added on each side.

    Examples
    --------
    >>> view = map_view(extent=(170, 55, -165, 65))  # across 180 deg
    >>> view.name, round(view.center[0]) % 360
    ('lcc', 182)
    >>> map_view(extent=(-180, 60, 180, 90)).name  # holds the North Pole
    'north_polar'
    >>> map_view(extent=(0, 45, 20, 55), projection="EPSG:3035").name
    'crs'
    """
    crs_given = user_crs(projection)
    if extent is not None:
        focus = [_extent_geometry(extent)]
    focus = [g for g in focus if g is not None and not g.is_empty]
    if not focus:
        focus = [shapely.box(-180, -90, 180, 90)] if center is None else [shapely.Point(center)]
    pts = np.concatenate([_sample(g) for g in focus])
    holds_north = any(shapely.intersects(g, shapely.Point(0, 90)) for g in focus)
    holds_south = any(shapely.intersects(g, shapely.Point(0, -90)) for g in focus)
    if center is None:
        v = _unit(pts[:, 0], pts[:, 1]).mean(axis=0)
        if np.linalg.norm(v) < 1e-9:
            v = np.array([1.0, 0.0, 0.0])
        center = (
            float(np.degrees(np.arctan2(v[1], v[0]))),
            float(np.degrees(np.arcsin(np.clip(v[2] / np.linalg.norm(v), -1, 1)))),
        )
    lon0, lat0 = float(center[0]), float(center[1])
    lat_span = (float(pts[:, 1].min()), float(pts[:, 1].max()))
    crs: pyproj.CRS | None
    if crs_given is not None:
        name, crs = "crs", crs_given
        if not crs.is_projected:  # a geographic CRS: longitude and latitude as they are
            name, crs = "plate_carree", None
    else:
        rel = (pts[:, 0] - lon0 + 180.0) % 360.0 - 180.0  # longitudes around the centre
        name = choose_projection(str(projection), (lon0, lat0), lat_span=lat_span,
                                 lon_span=float(rel.max() - rel.min()),
                                 holds_north=holds_north, holds_south=holds_south)
        crs = projection_crs(name, (lon0, lat0), lat_span)
    cut_lon = lon0
    if crs is not None and name == "crs":
        cut_lon = float(proj_params(crs).get("lon_0", 0.0))
    view = MapView(name, (lon0, lat0), crs, shapely.box(-180, -90, 180, 90), cut_lon=cut_lon)
    if crs is not None:
        c = _cap_centre(view)
        far = _GEOD.inv(np.full(len(pts), c[0]), np.full(len(pts), c[1]), pts[:, 0], pts[:, 1])
        view = dataclasses.replace(view, cap=_cap(view, float(np.max(far[2])) / 1000.0 * 1.25
                                                  + 300.0))
    xs, ys = [], []
    for g in focus:
        pg = project_geometry(g, view)
        if not pg.is_empty:
            b = pg.bounds
            xs += [b[0], b[2]]
            ys += [b[1], b[3]]
    if not xs or not np.all(np.isfinite(xs + ys)):
        raise InvalidInputError(f"nothing to show within the view of {name} at {center}")
    span = max(max(xs) - min(xs), max(ys) - min(ys), 200_000.0 if crs is not None else 2.0)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    w = max(max(xs) - min(xs), span * 0.5) / 2 + span * margin
    h = max(max(ys) - min(ys), span * 0.5) / 2 + span * margin
    ylim = (cy - h, cy + h) if crs is not None else (max(cy - h, -90.0), min(cy + h, 90.0))
    return view.with_limits((cx - w, cx + w), ylim)


def _extent_geometry(extent: Any) -> BaseGeometry:
    if isinstance(extent, BaseGeometry):
        return extent
    lon_min, lat_min, lon_max, lat_max = as_box(extent, "extent")
    if lat_min == lat_max:
        raise InvalidInputError(f"extent must have lat_min < lat_max (a window, not a line), "
                                f"got {extent!r}")
    if lon_min <= lon_max:
        return shapely.box(lon_min, lat_min, lon_max, lat_max)
    return shapely.union(  # crosses the antimeridian
        shapely.box(lon_min, lat_min, 180, lat_max), shapely.box(-180, lat_min, lon_max, lat_max)
    )


def _rewrap(geom: BaseGeometry, lon0: float) -> BaseGeometry:
    """Move the cut from 180 deg to ``lon0 + 180``, merging parts along 180."""
    lon0 = (lon0 + 180.0) % 360.0 - 180.0
    if abs(lon0) < 1e-12:
        return geom
    if lon0 > 0:  # window [lon0 - 180, lon0 + 180]: the far west moves east
        cut = lon0 - 180.0
        moved = shapely.affinity.translate(shapely.clip_by_rect(geom, -180, -90, cut, 90), 360)
        kept = shapely.clip_by_rect(geom, cut, -90, 180, 90)
    else:
        cut = lon0 + 180.0
        moved = shapely.affinity.translate(shapely.clip_by_rect(geom, cut, -90, 180, 90), -360)
        kept = shapely.clip_by_rect(geom, -180, -90, cut, 90)
    if shapely.get_dimensions(geom) < 2:
        return shapely.union(kept, moved) if not moved.is_empty else kept
    return shapely.union(kept, moved)


def _heal(out: BaseGeometry) -> BaseGeometry:
    """Merge parts that touch along a projected cut (a closing far below pixel size)."""
    b = out.bounds
    eps = max(b[2] - b[0], b[3] - b[1], 1.0) * 2e-5
    out = shapely.buffer(shapely.buffer(out, eps, quad_segs=2), -eps, quad_segs=2)
    parts = shapely.get_parts(out)  # the closing may leave specks where slivers were
    return shapely.union_all(parts[shapely.area(parts) > eps * eps])


def _on_seam(parts: NDArray[np.object_], cut_lon: float) -> NDArray[np.bool_]:
    """Which parts touch the cut meridian (``cut_lon`` +- 180 after re-wrapping) or a pole."""
    b = shapely.bounds(parts)
    e = 1e-9
    return ((b[:, 0] <= cut_lon - 180 + e) | (b[:, 2] >= cut_lon + 180 - e)
            | (b[:, 1] <= -90 + e) | (b[:, 3] >= 90 - e))


def project_geometry(geom: BaseGeometry, view: MapView) -> BaseGeometry:
    """Project an EPSG:4326 geometry into ``view``'s plane: cap-clip, re-cut, project, heal.

    Returns an empty geometry when nothing of ``geom`` is visible.

    Notes
    -----
    The cut is moved from 180 deg to the meridian opposite the projection's centre, which is
    off the map for all but the largest views, so parts that meet along 180 deg are merged
    in lon/lat.  Only the parts that still touch the cut or a pole are healed in the plane.

    Examples
    --------
    >>> view = map_view([shapely.box(10, 50, 30, 89)], projection="laea")
    >>> cap = project_geometry(shapely.box(-180, 88, 180, 90), view)  # a polar cap
    >>> cap.geom_type, round(cap.area / 1e10)  # one polygon, ~ pi * (222 km)**2
    ('Polygon', 16)
    """
    if geom is None or geom.is_empty:
        return shapely.GeometryCollection()
    dim = shapely.get_dimensions(geom)
    g: BaseGeometry
    if view.crs is None:
        g = _rewrap(shapely.segmentize(geom, _DENSIFY_DEG), view.center[0])
        return shapely.make_valid(g) if dim == 2 else g
    if dim > 0:
        g = shapely.intersection(geom, view.cap)
    else:
        pts = shapely.get_coordinates(geom)
        keep = shapely.intersects_xy(view.cap, pts[:, 0], pts[:, 1])
        g = shapely.MultiPoint(pts[keep]) if keep.any() else shapely.GeometryCollection()
    if g.is_empty:
        return shapely.GeometryCollection()
    cut = view.center[0] if view.cut_lon is None else view.cut_lon
    if dim > 0:
        g = _rewrap(g, cut)
    tr = view._forward
    assert tr is not None

    def fwd(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    if dim < 2:
        return shapely.transform(shapely.segmentize(g, _DENSIFY_DEG), fwd)
    parts = shapely.get_parts(shapely.get_parts(g))  # flattens collections
    parts = parts[shapely.get_dimensions(parts) == 2]
    if not len(parts):
        return shapely.GeometryCollection()
    seam = _on_seam(parts, (cut + 180.0) % 360.0 - 180.0)
    out = shapely.transform(shapely.segmentize(parts, _DENSIFY_DEG), fwd)
    if not seam.any():
        # away from the cut and the poles the projection maps valid polygons to valid ones
        return shapely.multipolygons(out) if len(out) > 1 else out[0]
    # Parts cut at the meridian meet again in the plane, and a polar cap's two edges along
    # the cut coincide; a morphological closing far below pixel size merges them seamlessly.
    pieces = shapely.make_valid(out[seam])  # a part may touch itself along the cut
    try:
        merged = shapely.union_all(pieces)
    except shapely.errors.GEOSException:  # rounding in the plane: merge by a zero buffer
        merged = shapely.buffer(shapely.GeometryCollection(list(pieces)), 0.0)
    healed = _heal(merged)
    rest = out[~seam]
    if not len(rest):
        return healed
    polys = [p for p in shapely.get_parts(healed) if p.geom_type == "Polygon"]
    return shapely.multipolygons([*polys, *rest])  # disjoint: no costly overlay of the rest
