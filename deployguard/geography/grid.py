"""Candidate sites about ``spacing_km`` apart on the ground, over a box, a territory or a shape.

Rows run along parallels and are spaced along the meridian by geodesic distance; along each
row, sites are spaced by ground distance along the parallel (its radius is ``N(phi) cos phi`` on
WGS84), so a 10 km grid is 10 km apart in Lapland as on the Mediterranean, not 0.1 deg.  Each
row is centred on its span, a row that circles the globe closes on itself with no seam at
180 deg, and a row at a pole is one site.  Over a geometry or a territory, the sites inside
(closed: the boundary counts) are kept.

Neighbours along a row are ``spacing_km`` apart along the parallel; the geodesic between them is
shorter by less than 0.01 % for 10 km spacings below 80 deg of latitude.  Every point of the
area lies within about ``spacing_km / sqrt(2)`` of a site (tests check both with
:class:`pyproj.Geod`).

Examples
--------
>>> sites = grid((20.0, 54.0, 23.0, 55.5), 25)
>>> len(sites), list(sites.columns)
(56, ['site_id', 'lon', 'lat', 'geometry'])
>>> across = grid((179.0, 65.0, -179.0, 66.0), 20)  # lon_min > lon_max: across 180 deg
>>> bool(((across.lon > 178.9) | (across.lon < -178.9)).all())
True
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from deployguard._validate import as_box, as_nonnegative_km
from deployguard.errors import InvalidInputError
from deployguard.geodesy.ellipsoid import GEOD
from deployguard.geodesy.prepared import prepared
from deployguard.geography.territories import is_state, state_territory
from deployguard.geography.world import World

__all__ = ["MAX_SITES", "MIN_SPACING_KM", "grid"]

#: Refuse grids larger than this many candidate rows*columns (memory, and surely a slip).
MAX_SITES = 20_000_000
#: Finest spacing accepted (1 m): below it sites differ by less than the borders' accuracy.
MIN_SPACING_KM = 0.001
_E2 = GEOD.es
_A = GEOD.a


def _lon_window(geom: shapely.Geometry) -> tuple[float, float]:
    """The shortest longitude interval (start, width) holding every part: the circle minus the
    widest gap between parts, so Russia (cut at 180 deg) spans 19E..169W, not the globe.
    """
    parts = shapely.get_parts(geom)
    bounds = shapely.bounds(parts)
    spans = sorted((float(b[0]), float(b[2])) for b in bounds)
    merged: list[list[float]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    if merged[0][1] - merged[0][0] >= 360.0 - 1e-9:
        return -180.0, 360.0
    # the gap after each interval, the last one wrapping round to the first
    gaps = [merged[i + 1][0] - merged[i][1] for i in range(len(merged) - 1)]
    gaps.append(merged[0][0] + 360.0 - merged[-1][1])
    widest = int(np.argmax(gaps))
    start = merged[(widest + 1) % len(merged)][0]
    width = 360.0 - gaps[widest]
    if width >= 360.0 - 1e-9:
        return -180.0, 360.0
    return start, width


def _as_area(
    area: Any, resolution: str, worldview: str, sea: bool
) -> tuple[BaseGeometry | None, float, float, float, float, str]:
    """(geometry or None, lon_start, lon_width, lat_min, lat_max, description)."""
    geom: BaseGeometry
    if is_state(area):
        geom = state_territory(area, "area", resolution=resolution, worldview=worldview, sea=sea)
        code = World.load(resolution, worldview).lookup(area)
        desc = f"territory of {code} ({resolution}, {worldview}, sea={sea})"
    elif isinstance(getattr(area, "geometry", None), shapely.Geometry):
        geom = area.geometry
        desc = f"territory of {getattr(area, 'code', '?')}"
    elif isinstance(area, BaseGeometry):
        geom = area
        desc = "geometry"
    else:
        lon_min, lat_min, lon_max, lat_max = as_box(area, "area")
        width = lon_max - lon_min if lon_max >= lon_min else lon_max + 360.0 - lon_min
        return None, lon_min, width, lat_min, lat_max, f"box {area!r}"
    if geom.is_empty or not geom.is_valid:
        raise InvalidInputError(
            f"area must be a non-empty valid geometry, got "
            f"{'an empty one' if geom.is_empty else shapely.is_valid_reason(geom)}"
        )
    lon_min, lat_min, lon_max, lat_max = geom.bounds
    if lon_min < -180 or lon_max > 180 or lat_min < -90 or lat_max > 90:
        raise InvalidInputError(
            f"area must lie in lon [-180, 180], lat [-90, 90] (EPSG:4326), got bounds {geom.bounds}"
        )
    start, width = _lon_window(geom)
    return geom, start, width, lat_min, lat_max, desc


def _row_latitudes(lat_min: float, lat_max: float, spacing_m: float) -> NDArray[np.float64]:
    length = float(GEOD.inv(0.0, lat_min, 0.0, lat_max)[2]) if lat_max > lat_min else 0.0
    n = int(math.floor(length / spacing_m + 1e-9)) + 1
    if n > MAX_SITES:  # before allocating anything
        raise InvalidInputError(
            f"spacing_km={spacing_m / 1000:g} over this area makes {n:,} rows of sites (more "
            f"than {MAX_SITES:,} sites); use a larger spacing or a smaller area"
        )
    offset = (length - (n - 1) * spacing_m) / 2  # centre the rows on the span
    dist = offset + spacing_m * np.arange(n)
    if lat_max >= 90.0:  # GeographicLib would turn round at the pole: go south from it
        back = np.full(n, 180.0)
        lat = np.asarray(GEOD.fwd(np.zeros(n), np.full(n, 90.0), back, length - dist)[1], float)
    else:
        lat = np.asarray(GEOD.fwd(np.zeros(n), np.full(n, lat_min), np.zeros(n), dist)[1], float)
    return np.clip(lat, lat_min, lat_max)


def _sites(
    lon_start: float, lon_width: float, lat_min: float, lat_max: float, spacing_m: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lats = _row_latitudes(lat_min, lat_max, spacing_m)
    phi = np.radians(lats)
    # radius of the parallel (m): N(phi) cos(phi) on WGS84
    rho = _A * np.cos(phi) / np.sqrt(1.0 - _E2 * np.sin(phi) ** 2)
    rho = np.where(np.abs(lats) >= 90.0, 0.0, np.maximum(rho, 0.0))
    full = lon_width >= 360.0 - 1e-9
    arc = rho * math.radians(lon_width)
    if full:
        counts = np.maximum(np.floor(arc / spacing_m + 1e-9), 1).astype(np.int64)
    else:
        counts = (np.floor(arc / spacing_m + 1e-9) + 1).astype(np.int64)
    total = int(counts.sum())
    if total > MAX_SITES:
        raise InvalidInputError(
            f"spacing_km={spacing_m / 1000:g} over this area makes {total:,} sites (more than "
            f"{MAX_SITES:,}); use a larger spacing or a smaller area"
        )
    row = np.repeat(np.arange(lats.size), counts)
    k = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        if full:
            dlon = 360.0 / counts[row]
            lon = lon_start + dlon / 2 + k * dlon
        else:
            offset = (arc[row] - (counts[row] - 1) * spacing_m) / 2
            step_deg = np.degrees(spacing_m / rho[row])
            lon = np.where(
                rho[row] > 0,
                lon_start + np.degrees(offset / rho[row]) + k * step_deg,
                lon_start + lon_width / 2,
            )
    lon = (lon + 180.0) % 360.0 - 180.0
    return lon, lats[row]


def grid(
    area: Any,
    spacing_km: float,
    *,
    resolution: str = "50m",
    worldview: str = "de_facto",
    sea: bool = False,
) -> gpd.GeoDataFrame:
    """Candidate sites about ``spacing_km`` apart on the ground over an area.

    Parameters
    ----------
    area : tuple, shapely geometry, Territory, or state name/code
        A box ``(lon_min, lat_min, lon_max, lat_max)`` in degrees (``lon_min > lon_max``
        crosses 180 deg), any valid EPSG:4326 geometry (parts cut at 180 deg are fine), a
        :class:`~deployguard.geography.world.Territory`, or a state for
        :meth:`World.territory` (with ``resolution``, ``worldview`` and ``sea``).
    spacing_km : float
        Ground distance between neighbouring rows and between neighbours along a row (> 0).
    resolution, worldview, sea
        Only used when ``area`` names a state.

    Returns
    -------
    geopandas.GeoDataFrame
        ``site_id`` (0, 1, ... in row order, south to north and west to east), ``lon``,
        ``lat`` and point ``geometry`` in EPSG:4326; ``attrs`` records the spacing and area.
        :func:`deployguard.sweep` takes it as it is.

    Examples
    --------
    >>> sites = grid("Luxembourg", 10)
    >>> len(sites), sites.attrs["spacing_km"]
    (26, 10.0)
    >>> len(grid((-180.0, 89.99, 180.0, 90.0), 5))  # a row round the pole is one site
    1
    """
    s_km = as_nonnegative_km(spacing_km, "spacing_km")
    if s_km < MIN_SPACING_KM:
        raise InvalidInputError(
            f"spacing_km must be at least {MIN_SPACING_KM} km (1 m), got {spacing_km!r}")
    geom, lon_start, lon_width, lat_min, lat_max, desc = _as_area(area, resolution, worldview, sea)
    lon, lat = _sites(lon_start, lon_width, lat_min, lat_max, s_km * 1000.0)
    if geom is not None:
        geom = prepared(geom)  # may be a cached territory other threads query too
        keep = shapely.intersects_xy(geom, lon, lat)
        seam = np.abs(lon) == 180.0
        if seam.any():  # the same meridian is spelt +180 or -180
            keep |= seam & shapely.intersects_xy(geom, -lon, lat)
        lon, lat = lon[keep], lat[keep]
    out = gpd.GeoDataFrame(
        {"site_id": np.arange(lon.size, dtype=np.int64), "lon": lon, "lat": lat},
        geometry=shapely.points(lon, lat),
        crs="EPSG:4326",
    )
    out.attrs.update(spacing_km=s_km, area=desc)
    return out
