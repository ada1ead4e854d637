"""The places table and the geodesic search behind :mod:`deployguard.geography.places`.

Loads ``geodata/places.csv`` once into arrays with an ECEF k-d tree, and finds the places
whose WGS84 geodesic distance from a point lies in ``[min_range_km, range_km]`` without
computing a geodesic for most of them, by two rigorous bounds on the chord ``c`` (the straight
line through the Earth) of a geodesic of length ``s``:

- ``c <= s``: a straight line is the shortest path, so every place with ``s <= range`` has
  ``c <= range`` (the k-d tree query), and a place with ``c > min_range`` has ``s > min_range``;
- ``c >= (2/k) sin(k s / 2)`` (Schur's comparison theorem: a curve whose curvature never
  exceeds ``k`` is at least as straight as a circular arc of curvature ``k``). A geodesic's
  curvature in space is the surface's normal curvature along it, at most the largest
  principal curvature of WGS84, ``k = 1 / (a (1 - e^2))`` (the meridian at the equator). So a
  place with ``c <= (2/k) sin(k range / 2)`` has ``s <= range``.

Only the places between the bounds (a band of about ``range^3 k^2 / 24``: 0.1 km at 500 km,
16 km at 2,500 km) get a ``pyproj.Geod.inv`` call; ``tests/test_places.py`` checks the result
against a brute-force ``Geod.inv`` over every place.

Examples
--------
>>> idx, km = places_within(13.3777, 52.5163, 30.0, distances=True)
>>> bool((km <= 30.0).all()), len(idx) == len(km)
(True, True)
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from deployguard._validate import as_lonlat_arrays
from deployguard.data.files import data_file, read_territorial_sea
from deployguard.errors import DataError, InvalidInputError
from deployguard.geodesy.ellipsoid import A_M, E2, GEOD, HALF_MERIDIAN_KM, ecef_m

if TYPE_CHECKING:
    from deployguard.geography.world import World

__all__ = ["PlaceTable", "place_countries", "places_table", "places_within"]

# ECEF chords in km are never longer than the geodesic between the same two surface points,
# so "chord <= range" keeps every place in range; the slack absorbs rounding in the chord.
CHORD_SLACK_KM = 1e-6
#: Largest principal curvature of WGS84 (1/km): the meridian's at the equator.
_KAPPA = 1.0 / (A_M * (1.0 - E2) / 1000.0)
# Schur's bound holds for arcs up to pi/k (19,903 km); the longest geodesic (20,004 km) is
# longer, and its chord is at least (2/k) sin(k * 20,004 / 2): an inner bound below that
# cannot be met by such a geodesic.
_FAR_CHORD_KM = 2.0 / _KAPPA * np.sin(_KAPPA * HALF_MERIDIAN_KM / 2.0)
# below this range the k-d tree's candidate list is cheaper than every chord (measured)
_TREE_BELOW_KM = 1000.0


@dataclass(frozen=True)
class PlaceTable:
    """``places.csv`` as arrays (one entry per place) and its ECEF k-d tree (km)."""

    geonameid: NDArray[np.int64]
    name: NDArray[np.object_]
    geonames_country: NDArray[np.object_]
    population: NDArray[np.int64]
    capital: NDArray[np.bool_]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    xyz_km: NDArray[np.float64] = field(repr=False)
    norm2_km2: NDArray[np.float64] = field(repr=False)
    tree: cKDTree = field(repr=False)


@functools.cache
def places_table() -> PlaceTable:
    """The bundled places, read and validated once."""
    import pandas as pd

    text = data_file("places.csv").read_text(encoding="utf-8")
    try:
        frame = pd.read_csv(io.StringIO(text), comment=None, keep_default_na=False,
                            skiprows=[i for i, line in enumerate(text.splitlines())
                                      if line.startswith("#")],
                            dtype={"geonameid": "int64", "name": "str", "country_a3": "str",
                                   "population": "int64", "capital": "str", "lon": "float64",
                                   "lat": "float64", "admin1": "str"})
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"bundled table 'places.csv' is malformed: {exc}") from exc
    if not set(frame["capital"]) <= {"true", "false"}:
        raise DataError("places.csv: capital must be 'true' or 'false'")
    lon, lat = frame["lon"].to_numpy(), frame["lat"].to_numpy()
    try:
        as_lonlat_arrays(lon, lat)  # validation only: keep the stored digits exactly
    except InvalidInputError as exc:
        raise DataError(f"places.csv: bad coordinates: {exc}") from exc
    if (np.abs(lon) > 180).any():
        raise DataError("places.csv: lon must lie in [-180, 180]")
    xyz = ecef_m(lon, lat) / 1000.0
    return PlaceTable(
        geonameid=frame["geonameid"].to_numpy(),
        name=frame["name"].to_numpy(dtype=object),
        geonames_country=frame["country_a3"].to_numpy(dtype=object),
        population=frame["population"].to_numpy(),
        capital=(frame["capital"] == "true").to_numpy(),
        lon=lon,
        lat=lat,
        xyz_km=xyz,
        norm2_km2=np.einsum("ij,ij->i", xyz, xyz),
        tree=cKDTree(xyz),
    )


def disputed_holder(world: World, lon: NDArray[np.float64], lat: NDArray[np.float64]
                    ) -> NDArray[np.object_]:
    """The holder, under the world's worldview, of the disputed area holding each point ("")."""
    areas = world.worldview_object.areas_at(world.resolution)
    try:
        belts = read_territorial_sea(world.resolution)
    except DataError:  # no territorial-sea file at this resolution: the areas' land only
        belts = None
    holder = np.full(lon.shape, "", dtype=object)
    # areas apply in order, a later (user) area overriding an earlier one, as in World
    for area_id, who, geom in zip(areas["id"], areas["holder"], areas.geometry, strict=True):
        inside = shapely.intersects_xy(geom, lon, lat)
        if belts is not None:  # a coastal place whose point lies just off the drawn coast
            for belt in belts.geometry[belts["unit"] == area_id]:
                inside |= shapely.intersects_xy(belt, lon, lat)
        holder[inside] = who
    return holder


@functools.lru_cache(maxsize=16)
def place_countries(world: World) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """Every place's ``country`` under ``world``'s worldview: the holder of the disputed area
    it lies in, else GeoNames' country (the rule of ``places_in_reach``). Cached per world.

    Returns ``(codes, code_of_place)``: the distinct codes, sorted, and each place's index
    into them (so that a summary counts countries without touching strings).
    """
    t = places_table()
    holder = disputed_holder(world, t.lon, t.lat)
    country = np.where(holder != "", holder, t.geonames_country).astype(str)
    codes, inverse = np.unique(country, return_inverse=True)
    return codes.astype(object), inverse.astype(np.intp)


def places_within(
    lon: float, lat: float, range_km: float, min_range_km: float = 0.0, *,
    distances: bool = False,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Indices of the places with ``min_range_km <= geodesic <= range_km`` from the point.

    Returns ``(index, km)``: ``km`` holds each place's geodesic distance where it was needed
    to decide (NaN where a chord bound decided), or every distance with ``distances=True``.
    Arguments are not validated (the public functions do that).
    """
    t = places_table()
    centre = ecef_m(lon, lat) / 1000.0
    if range_km < _TREE_BELOW_KM:
        cand = np.asarray(t.tree.query_ball_point(centre, range_km + CHORD_SLACK_KM),
                          dtype=np.intp)
        chord = np.linalg.norm(t.xyz_km[cand] - centre, axis=1)
    else:  # a large share of the world: one pass over every chord beats the tree's lists
        # |x - c|^2 = |x|^2 + |c|^2 - 2 x.c: the rounding (~1e-8 km^2) is far below the slack
        # at these chords (>= 1,000 km near the range, >= the minimum range's band)
        sq = t.norm2_km2 + float(centre @ centre) - 2.0 * (t.xyz_km @ centre)
        every = np.sqrt(np.maximum(sq, 0.0))
        cand = np.flatnonzero(every <= range_km + CHORD_SLACK_KM)
        chord = every[cand]
    inner = 2.0 / _KAPPA * np.sin(min(_KAPPA * range_km / 2.0, np.pi / 2.0)) - CHORD_SLACK_KM
    sure = chord <= inner if inner < _FAR_CHORD_KM else np.zeros(cand.size, dtype=bool)
    if min_range_km > 0:
        sure &= chord > min_range_km + CHORD_SLACK_KM
    km = np.full(cand.size, np.nan)
    need = np.ones(cand.size, dtype=bool) if distances else ~sure
    km[need] = geodesic_km(lon, lat, cand[need])
    keep = sure | ((km <= range_km) & (km >= min_range_km))
    return cand[keep], km[keep]


def geodesic_km(lon: float, lat: float, index: NDArray[np.intp]) -> NDArray[np.float64]:
    """Geodesic distances (km, WGS84) from the point to the places ``index``."""
    t = places_table()
    if not index.size:
        return np.zeros(0)
    _, _, m = GEOD.inv(np.full(index.size, lon), np.full(index.size, lat), t.lon[index],
                       t.lat[index])
    return np.asarray(m, dtype=float).reshape(-1) / 1000.0
