"""Which projection suits a map, and how to describe it in a footer.

A map about one site uses the azimuthal equidistant projection centred on it (distances from
the site are true, so a range ring is a circle); a map of Europe or another mid-latitude
region (20 to 65 deg, in one hemisphere, under 60 deg of latitude tall) uses a Lambert
conformal conic with standard parallels at one sixth and five sixths of its latitude span
(the usual rule of thumb for conics); the Arctic and the Antarctic use polar
stereographic; anything else Lambert azimuthal equal-area centred on the area of interest.
Any CRS pyproj understands may be passed instead.

Nothing here draws; :mod:`deployguard.viz.mapview` projects geometries.

Examples
--------
>>> choose_projection("auto", (20.0, 52.0), lat_span=(38.0, 66.0))
'lcc'
>>> describe(projection_crs("aeqd", (20.5, 54.7)))
'azimuthal equidistant centred on 20.5°E 54.7°N (distances from the centre are true)'
"""

from __future__ import annotations

import warnings
from typing import Any

import pyproj

from deployguard.errors import InvalidInputError

__all__ = [
    "PROJECTIONS", "choose_projection", "describe", "proj_params", "projection_crs", "user_crs",
]

PROJECTIONS = ("auto", "laea", "aeqd", "lcc", "north_polar", "south_polar", "plate_carree")
_ALIASES = {"arctic": "north_polar", "antarctic": "south_polar", "lonlat": "plate_carree",
            "conic": "lcc", "azimuthal": "aeqd"}
_ELLPS = "+ellps=WGS84 +units=m +no_defs"


def user_crs(projection: Any) -> pyproj.CRS | None:
    """The CRS a user passed (a pyproj CRS, an EPSG code, a PROJ string), or None for a name.

    Raises
    ------
    InvalidInputError
        For a string that is neither one of :data:`PROJECTIONS` nor a CRS pyproj knows.
    """
    if isinstance(projection, pyproj.CRS):
        return projection
    if isinstance(projection, str) and _ALIASES.get(projection, projection) in PROJECTIONS:
        return None
    try:
        return pyproj.CRS.from_user_input(projection)
    except (pyproj.exceptions.CRSError, TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"projection must be one of {PROJECTIONS} or a CRS pyproj understands "
            f"(e.g. 'EPSG:3035' or a pyproj.CRS), got {projection!r}"
        ) from exc


def choose_projection(
    name: str, center: tuple[float, float], *, lat_span: tuple[float, float],
    lon_span: float = 0.0, holds_north: bool = False, holds_south: bool = False,
) -> str:
    """Resolve ``"auto"`` (and aliases) to one of :data:`PROJECTIONS`.

    Parameters
    ----------
    name : str
        A name of :data:`PROJECTIONS` or an alias ("arctic", "conic", "azimuthal", ...).
    center : (lon, lat)
        Centre of the area of interest.
    lat_span : (float, float)
        Southernmost and northernmost latitude of the area.
    lon_span : float
        Degrees of longitude the area spans around the centre (a conic cannot show more than
        about half the globe's longitudes; a mid-latitude area around the globe goes polar).
    holds_north, holds_south : bool
        Whether the area holds a pole.

    Examples
    --------
    >>> choose_projection("auto", (0.0, 80.0), lat_span=(70.0, 90.0))
    'north_polar'
    >>> choose_projection("auto", (10.0, 5.0), lat_span=(-10.0, 20.0))
    'laea'
    """
    resolved = _ALIASES.get(name, name)
    if resolved not in PROJECTIONS:
        raise InvalidInputError(f"projection must be one of {PROJECTIONS}, got {name!r}")
    if resolved != "auto":
        return resolved
    lat0 = center[1]
    around = lon_span > 160.0
    if holds_north or lat0 > 65 or (around and lat0 > 35):
        return "north_polar"
    if holds_south or lat0 < -65 or (around and lat0 < -35):
        return "south_polar"
    one_hemisphere = lat_span[0] * lat_span[1] > 0
    if one_hemisphere and abs(lat0) >= 20 and lat_span[1] - lat_span[0] < 60 and not around:
        return "lcc"
    return "laea"


def projection_crs(
    name: str, center: tuple[float, float], lat_span: tuple[float, float] | None = None
) -> pyproj.CRS | None:
    """The pyproj CRS of a named projection (None for plate carree).

    ``lat_span`` sets the standard parallels of the conic (one sixth in from each end).
    """
    lon0, lat0 = center
    if name == "laea":
        return pyproj.CRS(f"+proj=laea +lat_0={lat0} +lon_0={lon0} {_ELLPS}")
    if name == "aeqd":
        return pyproj.CRS(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} {_ELLPS}")
    if name == "lcc":
        lo, hi = lat_span if lat_span is not None else (lat0 - 10.0, lat0 + 10.0)
        step = (hi - lo) / 6.0
        lat1, lat2 = round(lo + step, 1), round(hi - step, 1)
        if abs(lat2 - lat1) < 1.0:  # a thin band: one standard parallel (a tangent cone)
            lat1 = lat2 = round(lat0, 1)
        return pyproj.CRS(
            f"+proj=lcc +lat_1={lat1} +lat_2={lat2} +lat_0={lat0} +lon_0={lon0} {_ELLPS}"
        )
    if name == "north_polar":  # lon0 points down from the pole, so the area of interest sits low
        return pyproj.CRS(f"+proj=stere +lat_0=90 +lat_ts=70 +lon_0={lon0} {_ELLPS}")
    if name == "south_polar":
        return pyproj.CRS(f"+proj=stere +lat_0=-90 +lat_ts=-71 +lon_0={lon0} {_ELLPS}")
    return None


def _deg(value: float, pos: str, neg: str) -> str:
    return f"{abs(value):.1f}°{pos if value >= 0 else neg}"


def proj_params(crs: pyproj.CRS) -> dict[str, Any]:
    """PROJ parameters of a CRS ("proj", "lat_0", "lon_0", ...) as far as PROJ strings say."""
    with warnings.catch_warnings():  # reading parameters, not round-tripping the CRS
        warnings.simplefilter("ignore", UserWarning)
        try:
            return dict(crs.to_dict())
        except pyproj.exceptions.CRSError:  # pragma: no cover - a CRS without a PROJ form
            return {}


def _params(crs: pyproj.CRS) -> dict[str, float]:
    return {k: float(v) for k, v in proj_params(crs).items() if isinstance(v, int | float)}


def describe(crs: pyproj.CRS | None) -> str:
    """A short description of a map projection for a map footer.

    Examples
    --------
    >>> describe(None)
    'plate carrée (longitude and latitude as x and y)'
    >>> describe(projection_crs("lcc", (20.0, 52.0), (38.0, 66.0)))
    'Lambert conformal conic, standard parallels 42.7°N and 61.3°N, central meridian 20.0°E'
    """
    if crs is None:
        return "plate carrée (longitude and latitude as x and y)"
    p = _params(crs)
    proj = proj_params(crs).get("proj") if crs.is_projected else None
    lon0, lat0 = p.get("lon_0", 0.0), p.get("lat_0", 0.0)
    centre = f"{_deg(lon0, 'E', 'W')} {_deg(lat0, 'N', 'S')}"
    if proj == "aeqd":
        return f"azimuthal equidistant centred on {centre} (distances from the centre are true)"
    if proj == "laea":
        return f"Lambert azimuthal equal-area centred on {centre}"
    if proj == "lcc":
        lat1, lat2 = p.get("lat_1", lat0), p.get("lat_2", p.get("lat_1", lat0))
        par = (f"standard parallels {_deg(lat1, 'N', 'S')} and {_deg(lat2, 'N', 'S')}"
               if lat1 != lat2 else f"standard parallel {_deg(lat1, 'N', 'S')}")
        return f"Lambert conformal conic, {par}, central meridian {_deg(lon0, 'E', 'W')}"
    if proj == "stere" and abs(lat0) == 90:
        side = "north" if lat0 > 0 else "south"
        return (f"{side} polar stereographic (true scale at "
                f"{_deg(p.get('lat_ts', lat0), 'N', 'S')}), {_deg(lon0, 'E', 'W')} down")
    return crs.name
