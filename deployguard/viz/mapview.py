"""Map views: projections for EPSG:4326 geometries, and projecting geometries into them.

Every geometry here is an EPSG:4326 geometry as the rest of deployguard makes it:
edges straight in lon/lat, parts cut at +-180 deg, a zone that holds a pole closed
along it.  Drawing such geometries naively in lon/lat smears them across the map,
so :func:`project_geometry` takes each one through these steps:

1. clipped to a spherical cap around the map centre (in lon/lat), which keeps the
   far side of the globe, where azimuthal projections tear, out of the picture;
2. densified along its straight lon/lat edges (so an edge stays the curve it is);
3. projected vertex by vertex with :mod:`pyproj` into a projection that suits the
   region: Lambert azimuthal equal-area centred on the area of interest by
   default, azimuthal equidistant (distances from the centre true), polar
   stereographic for the Arctic and Antarctic, or plate carree;
4. healed: parts that meet along the antimeridian, and the slit a polar cap has
   along it, are merged again in the plane, so no seam line is drawn.

:func:`map_view` chooses the projection, its centre and the plot limits.  Nothing
here imports matplotlib; the drawing is in :mod:`deployguard.viz.plotting`.

Examples
--------
>>> view = map_view(extent=(10, 30, 45, 60))
>>> view.name
'laea'
>>> project_geometry(shapely.Point(20, 52), view).geom_type
'Point'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
import shapely.affinity

from deployguard.errors import InvalidInputError

__all__ = ["PROJECTIONS", "MapView", "map_view", "project_geometry"]

PROJECTIONS = ("auto", "laea", "aeqd", "north_polar", "south_polar", "plate_carree")
_ALIASES = {"arctic": "north_polar", "antarctic": "south_polar", "lonlat": "plate_carree"}
# Azimuthal projections tear near the antipode of their centre; we never show more
# than this much of the globe around the centre (km along the surface).
_MAX_CAP_KM = 16_500.0
_POLAR_CAP_KM = 12_000.0  # polar stereographic: down to about 18 deg on the far hemisphere
_DENSIFY_DEG = 0.25


@dataclass(frozen=True)
class MapView:
    """A projection, the visible cap of the globe and the plot limits.

    Attributes
    ----------
    name : str
        One of :data:`PROJECTIONS` (never "auto").
    center : (float, float)
        (lon, lat) of the projection centre in degrees.
    crs : pyproj.CRS or None
        None for plate carree, whose plane coordinates are (lon, lat) degrees
        re-wrapped to ``[lon0 - 180, lon0 + 180]``.
    cap : shapely geometry
        The part of the globe (EPSG:4326) that may be drawn.
    xlim, ylim : (float, float)
        Plot limits in projected units.
    """

    name: str
    center: tuple[float, float]
    crs: pyproj.CRS | None
    cap: shapely.Geometry
    xlim: tuple[float, float] = (-1.0, 1.0)
    ylim: tuple[float, float] = (-1.0, 1.0)

    def project_xy(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        """Project (lon, lat) degrees to plane coordinates (no clipping)."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if self.crs is None:
            lo0 = self.center[0]
            return (lon - lo0 + 180.0) % 360.0 + lo0 - 180.0, lat
        tr = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        return tr.transform(lon, lat)


def _crs_for(name: str, lon0: float, lat0: float) -> pyproj.CRS | None:
    ell = "+ellps=WGS84 +units=m +no_defs"
    if name == "laea":
        return pyproj.CRS(f"+proj=laea +lat_0={lat0} +lon_0={lon0} {ell}")
    if name == "aeqd":
        return pyproj.CRS(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} {ell}")
    if name == "north_polar":  # lon0 points down from the pole, so the area of interest sits low
        return pyproj.CRS(f"+proj=stere +lat_0=90 +lat_ts=70 +lon_0={lon0} {ell}")
    if name == "south_polar":
        return pyproj.CRS(f"+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0={lon0} {ell}")
    return None

def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _sample(geom: shapely.Geometry) -> np.ndarray:
    """Vertices of ``geom`` densified in lon/lat: the points a view must show."""
    coords = shapely.get_coordinates(shapely.segmentize(geom, 1.0))
    return coords if len(coords) else np.zeros((0, 2))


def map_view(
    focus: Iterable[shapely.Geometry] = (),
    *,
    projection: str = "auto",
    center: tuple[float, float] | None = None,
    extent: Any = None,
    margin: float = 0.06,
) -> MapView:
    """Choose a projection, centre and limits that show ``focus`` (or ``extent``).

    Parameters
    ----------
    focus : iterable of shapely geometry
        EPSG:4326 geometries the map is about (zones, sites, territories).
    projection : {"auto", "laea", "aeqd", "north_polar", "south_polar", "plate_carree"}
        "auto" takes polar stereographic when the area of interest holds a pole
        or lies north of 65 deg (south of -65 deg), else Lambert azimuthal
        equal-area centred on it.
    center : (lon, lat), optional
        Projection centre; default the centre of the area of interest (mean of
        geocentric unit vectors of its densified outline, so 180 deg is no edge).
    extent : (lon_min, lon_max, lat_min, lat_max) or shapely geometry, optional
        What to show instead of ``focus``; ``lon_min > lon_max`` crosses 180 deg.
    margin : float
        Fraction of the view added on each side.

    Examples
    --------
    >>> view = map_view(extent=(170, -165, 55, 65))  # across 180 deg
    >>> view.name, round(view.center[0]) % 360
    ('laea', 182)
    >>> map_view(extent=(-180, 180, 60, 90)).name  # holds the North Pole
    'north_polar'
    """
    name = _ALIASES.get(projection, projection)
    if name not in PROJECTIONS:
        raise InvalidInputError(f"projection must be one of {PROJECTIONS}, got {projection!r}")
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
    if name == "auto":
        if holds_north or lat0 > 65:
            name = "north_polar"
        elif holds_south or lat0 < -65:
            name = "south_polar"
        else:
            name = "laea"
    crs = _crs_for(name, lon0, lat0)
    if name == "plate_carree":
        cap = shapely.box(-180, -90, 180, 90)
    else:
        from deployguard.geography.ranges import range_ring  # a face may use the floors below

        pole = {"north_polar": (0.0, 90.0), "south_polar": (0.0, -90.0)}.get(name, (lon0, lat0))
        limit = _POLAR_CAP_KM if name.endswith("polar") else _MAX_CAP_KM
        geod = pyproj.Geod(ellps="WGS84")
        far = geod.inv(np.full(len(pts), pole[0]), np.full(len(pts), pole[1]), pts[:, 0], pts[:, 1])
        radius = min(float(np.max(far[2])) / 1000.0 * 1.25 + 300.0, limit)
        cap = range_ring(pole[0], pole[1], radius, tolerance_km=2.0)
    view = MapView(name, (lon0, lat0), crs, cap)
    xs, ys = [], []
    for g in focus:
        pg = project_geometry(g, view)
        if not pg.is_empty:
            b = pg.bounds
            xs += [b[0], b[2]]
            ys += [b[1], b[3]]
    if not xs:
        raise InvalidInputError(f"nothing to show within the view of {name} at {center}")
    span = max(max(xs) - min(xs), max(ys) - min(ys), 200_000.0 if crs is not None else 2.0)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    w = max(max(xs) - min(xs), span * 0.5) / 2 + span * margin
    h = max(max(ys) - min(ys), span * 0.5) / 2 + span * margin
    ylim = (cy - h, cy + h) if crs is not None else (max(cy - h, -90.0), min(cy + h, 90.0))
    return MapView(name, (lon0, lat0), crs, cap, (cx - w, cx + w), ylim)


def _extent_geometry(extent: Any) -> shapely.Geometry:
    if isinstance(extent, shapely.Geometry):
        return extent
    try:
        lon_min, lon_max, lat_min, lat_max = (float(v) for v in extent)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"extent must be (lon_min, lon_max, lat_min, lat_max) or a geometry, got {extent!r}"
        ) from exc
    if not (-90 <= lat_min < lat_max <= 90):
        raise InvalidInputError(f"extent latitudes must satisfy -90 <= min < max <= 90: {extent!r}")
    if lon_min <= lon_max:
        return shapely.box(lon_min, lat_min, lon_max, lat_max)
    return shapely.union(  # crosses the antimeridian
        shapely.box(lon_min, lat_min, 180, lat_max), shapely.box(-180, lat_min, lon_max, lat_max)
    )


def _rewrap(geom: shapely.Geometry, lon0: float) -> shapely.Geometry:
    """Move the cut from 180 deg to ``lon0 + 180`` (plate carree), merging parts along 180."""
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
    return shapely.union(kept, moved)


def project_geometry(geom: shapely.Geometry, view: MapView) -> shapely.Geometry:
    """Project an EPSG:4326 geometry into ``view``'s plane: cap-clip, densify, project, heal.

    Returns an empty geometry when nothing of ``geom`` is visible.

    Examples
    --------
    >>> view = map_view([shapely.box(10, 50, 30, 89)], projection="laea")
    >>> cap = project_geometry(shapely.box(-180, 88, 180, 90), view)  # a polar cap
    >>> cap.geom_type, round(cap.area / 1e10)  # one polygon, ~ pi * (222 km)**2
    ('Polygon', 16)
    """
    if geom is None or geom.is_empty:
        return shapely.GeometryCollection()
    if view.crs is None:
        g = _rewrap(shapely.segmentize(geom, _DENSIFY_DEG), view.center[0])
        return shapely.make_valid(g)
    dim = shapely.get_dimensions(geom)
    if dim > 0:
        g = shapely.intersection(geom, view.cap)
    else:
        pts = shapely.get_coordinates(geom)
        keep = shapely.intersects_xy(view.cap, pts[:, 0], pts[:, 1])
        g = shapely.multipoints(pts[keep]) if keep.any() else shapely.GeometryCollection()
    if g.is_empty:
        return shapely.GeometryCollection()
    g = shapely.segmentize(g, _DENSIFY_DEG)
    tr = pyproj.Transformer.from_crs("EPSG:4326", view.crs, always_xy=True)

    def fwd(xy: np.ndarray) -> np.ndarray:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    out = shapely.transform(g, fwd)
    if dim < 2:
        return out
    out = shapely.make_valid(out)
    lon_min, lat_min, lon_max, lat_max = geom.bounds
    if max(-lon_min, lon_max) >= 180 - 1e-9 or max(-lat_min, lat_max) >= 90 - 1e-9:
        # Parts cut at 180 deg meet again in the plane, and a polar cap's two edges along the
        # cut coincide; a morphological closing far below pixel size merges them seamlessly.
        b = out.bounds
        eps = max(b[2] - b[0], b[3] - b[1], 1.0) * 2e-5
        out = shapely.buffer(shapely.buffer(out, eps, quad_segs=2), -eps, quad_segs=2)
        parts = shapely.get_parts(out)  # the closing may leave specks where slivers were
        out = shapely.union_all(parts[shapely.area(parts) > eps * eps])
    return out
