"""States and their territories under a worldview.

A :class:`World` is the Natural Earth 4.1.0 admin-0 map at one resolution ("50m" default, or
"10m") after a :class:`~deployguard.geography.worldviews.Worldview` has reassigned the
disputed areas.
Territories are valid shapely (Multi)Polygons in EPSG:4326, cut at the antimeridian, with edges
straight in lon/lat (the GeoJSON/shapely convention; at 1:50m a straight edge departs from the
geodesic by up to a few hundred metres).

Examples
--------
>>> world = World.load("50m", worldview="un")
>>> world.state_at([34.1, 13.4], [45.0, 52.5]).tolist()
['UKR', 'DEU']
>>> world.territory("Denmark").contains(shapely.Point(-42.0, 72.0))  # Greenland
True
"""

from __future__ import annotations

import functools
import numbers
import warnings
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from deployguard._names import NameIndex
from deployguard._types import Coordinates
from deployguard.data.files import RESOLUTIONS, read_countries, read_csv, read_territorial_sea
from deployguard.errors import (
    DataError,
    InvalidInputError,
    ModellingAssumptionWarning,
    UnknownStateError,
)
from deployguard.geography.locate import UnitLocator, state_at, states_touching
from deployguard.geography.worldviews import Worldview

__all__ = ["Territory", "World"]


def _polygonal(geom: BaseGeometry) -> MultiPolygon:
    """Return the polygonal part of ``geom`` as a valid MultiPolygon (possibly empty)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    polys: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            polys.append(part)
        elif isinstance(part, MultiPolygon | shapely.GeometryCollection):
            polys.extend(_polygonal(part).geoms)
    return MultiPolygon([p for p in polys if not p.is_empty])


@dataclass(frozen=True)
class Territory:
    """A territory with the assumptions it was built under.

    Attributes
    ----------
    code : str
        Alpha-3 code asked for.
    geometry : shapely.MultiPolygon
        Valid, EPSG:4326, cut at 180 deg, straight lon/lat edges.
    worldview, resolution : str
        The world it came from.
    sea, with_dependencies : bool
        Whether the territorial sea and the dependencies are included.
    units : tuple of str
        Natural Earth units (and disputed areas) whose land or sea it contains.

    Examples
    --------
    >>> t = World.load().territory_record("DNK")
    >>> t.worldview, "GRL" in t.units
    ('de_facto', True)
    """

    code: str
    geometry: MultiPolygon
    worldview: str
    resolution: str
    sea: bool
    with_dependencies: bool
    units: tuple[str, ...]


class World:
    """The borders map at one resolution under one worldview. Create with :meth:`World.load`.

    Attributes
    ----------
    resolution : str
        "50m" or "10m".
    worldview : str
        Name of the worldview (``world.worldview_object`` holds the object).
    states : geopandas.GeoDataFrame
        One row per Natural Earth unit (sovereign states, dependencies and special areas) with
        the land it holds under the worldview; ``states.attrs`` records worldview and resolution.
        A unit whose whole land went to another holder (Kosovo under ``un``) has an empty geometry.

    Examples
    --------
    >>> world = World.load()
    >>> world.lookup("Russian Federation"), world.lookup(840), world.lookup("uk")
    ('RUS', 'USA', 'GBR')
    """

    def __init__(self, resolution: str, worldview: Worldview) -> None:
        self.resolution = resolution
        self.worldview_object = worldview
        self.worldview = worldview.name
        countries = read_countries(resolution)
        self._areas = worldview.areas_at(resolution)
        self.states = self._apply_worldview(countries.copy(), self._areas)
        self.states.attrs.update(worldview=self.worldview, resolution=resolution)
        self._row = {code: i for i, code in enumerate(self.states["iso_a3"])}
        self._names = self._build_name_index()
        self._territories: dict[tuple[str, bool, bool], Territory] = {}
        self._locator: UnitLocator | None = None

    def __repr__(self) -> str:
        return f"World(resolution={self.resolution!r}, worldview={self.worldview!r})"

    @classmethod
    def load(cls, resolution: str = "50m", worldview: str | Worldview = "de_facto") -> World:
        """Return the (cached) world at ``resolution`` under ``worldview``.

        Parameters
        ----------
        resolution : {"50m", "10m"}
            Natural Earth scale. 1:10m is about 4x slower to load and query.
        worldview : {"de_facto", "un", "russia"} or Worldview
            Who holds the disputed areas (see :mod:`deployguard.geography.worldviews`); a user-built
            :meth:`Worldview.from_geojson` object is also accepted (cached per object).

        Examples
        --------
        >>> World.load("50m", "russia") is World.load("50m", "russia")
        True
        """
        if resolution not in RESOLUTIONS:
            raise InvalidInputError(
                f"resolution must be one of {', '.join(map(repr, RESOLUTIONS))}, got {resolution!r}"
            )
        if not isinstance(worldview, Worldview):
            worldview = Worldview.builtin(worldview)
        return _load(resolution, worldview)

    @staticmethod
    def _apply_worldview(states: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        # Areas apply in order, so a later (user) area overrides an earlier (built-in) one.
        geoms = list(states.geometry)
        row = {code: i for i, code in enumerate(states["iso_a3"])}
        for area_id, holder, area in zip(areas["id"], areas["holder"], areas.geometry, strict=True):
            if holder not in row:
                raise DataError(f"disputed area {area_id!r}: unknown holder {holder!r}")
            for i in np.flatnonzero(shapely.intersects(geoms, area)):
                geoms[i] = _polygonal(shapely.difference(geoms[i], area))
            geoms[row[holder]] = _polygonal(shapely.union(geoms[row[holder]], area))
        states = states.set_geometry(gpd.GeoSeries(geoms, crs="EPSG:4326", index=states.index))
        return states

    # ----------------------------------------------------------------- names and codes
    def _build_name_index(self) -> NameIndex[str]:
        index: NameIndex[str] = NameIndex("state", UnknownStateError, show_values=True)
        aliases = read_csv("aliases.csv")
        # weaker names first so that codes and aliases win a clash
        for col in ("official_name", "ne_name", "name"):
            for code, value in zip(self.states["iso_a3"], self.states[col], strict=True):
                if isinstance(value, str) and value:
                    index.add(value, str(code), replace=True, primary=col == "name")
        for alias, code in zip(aliases["alias"], aliases["iso_a3"], strict=True):
            index.add(str(alias), str(code), replace=True)
        for code in self.states["iso_a3"]:
            index.add(str(code), str(code), replace=True)
        return index

    def lookup(self, state: Any) -> str:
        """Return the alpha-3 code of ``state``.

        Accepts alpha-3 codes, ISO numeric codes (``643`` or ``"643"``), ISO and Natural Earth
        names and common aliases ("USA", "UK", "Britain", "Türkiye"), ignoring case, accents and
        punctuation. Codes we invented for units without an ISO code (``XKX`` Kosovo, ...) are
        listed in ``geodata/README.md``.

        Raises
        ------
        UnknownStateError
            If nothing matches; the message lists the closest known names.
        InvalidInputError
            If ``state`` is not a string or an integer.

        Examples
        --------
        >>> World.load().lookup("türkiye"), World.load().lookup("643")
        ('TUR', 'RUS')
        """
        if isinstance(state, bool) or not isinstance(state, str | numbers.Integral):
            raise InvalidInputError(
                f"state must be an alpha-3 code, ISO numeric code or name, got {state!r}"
            )
        key = str(state).strip()
        if key.isdigit():
            hits = self.states.loc[self.states["iso_n3"] == int(key), "iso_a3"]
            if len(hits):
                return str(hits.iloc[0])
            raise UnknownStateError(f"no state has ISO numeric code {state!r}")
        return self._names.get(key)

    def name(self, state: Any) -> str:
        """Return the display name of ``state``.

        Examples
        --------
        >>> World.load().name("GRL")
        'Greenland'
        """
        return str(self.states.at[self._row[self.lookup(state)], "name"])

    def sovereign(self, state: Any) -> str:
        """Return the alpha-3 code of the sovereign of ``state`` (itself for a sovereign state).

        Examples
        --------
        >>> World.load().sovereign("Guam")
        'USA'
        """
        return str(self.states.at[self._row[self.lookup(state)], "sovereign_a3"])

    def dependencies(self, state: Any) -> frozenset[str]:
        """Return the codes of the units whose sovereign is ``state`` (excluding itself).

        Examples
        --------
        >>> sorted(World.load().dependencies("DNK"))
        ['FRO', 'GRL']
        """
        code = self.lookup(state)
        s = self.states
        return frozenset(s.loc[(s["sovereign_a3"] == code) & (s["iso_a3"] != code), "iso_a3"])

    # ----------------------------------------------------------------- territories
    def _units(self, code: str, with_dependencies: bool) -> list[str]:
        return [code, *sorted(self.dependencies(code))] if with_dependencies else [code]

    def _sea_belts(self, units: list[str]) -> list[shapely.Geometry]:
        belts = read_territorial_sea(self.resolution)  # raises DataError while not built
        # Belts are keyed by unit code or disputed-area id. An area that is a whole unit (N.
        # Cyprus) has the unit's code as id, so its belt follows the holder like Crimea's.
        pairs = list(zip(self._areas["id"], self._areas["holder"], strict=True))
        final_holder = dict(pairs)  # later areas override earlier ones
        held = set(units) | {a for a, h in final_holder.items() if h in units}
        held -= {a for a, h in final_holder.items() if h not in units}
        user = self._areas[~self._areas["has_sea_belt"].astype(bool)]
        if len(user):
            warnings.warn(
                f"World.territory(sea=True) under worldview {self.worldview!r}: user-supplied "
                f"disputed areas {sorted(user['id'])} have no precomputed territorial sea, so "
                "their sea is not reassigned (it stays with the state Natural Earth draws). "
                "Treat results near those coasts with care.",
                ModellingAssumptionWarning,
                stacklevel=3,
            )
        return list(belts.geometry[belts["unit"].isin(held)])

    def territory_record(
        self, state: Any, sea: bool = False, with_dependencies: bool = True
    ) -> Territory:
        """Like :meth:`territory`, but return a :class:`Territory` that records its assumptions.

        Examples
        --------
        >>> World.load("50m", "un").territory_record("UKR").worldview
        'un'
        """
        code = self.lookup(state)
        key = (code, bool(sea), bool(with_dependencies))
        if key not in self._territories:
            units = self._units(code, with_dependencies)
            parts = list(self.states.geometry.iloc[[self._row[u] for u in units]])
            if sea:
                parts += self._sea_belts(units)
            geom = _polygonal(shapely.unary_union(parts))
            self._territories[key] = Territory(
                code,
                geom,
                self.worldview,
                self.resolution,
                bool(sea),
                bool(with_dependencies),
                tuple(units),
            )
        return self._territories[key]

    def territory(
        self, state: Any, sea: bool = False, with_dependencies: bool = True
    ) -> MultiPolygon:
        """Return the territory of ``state`` as one valid (Multi)Polygon in EPSG:4326 (cached).

        Parameters
        ----------
        state : str or int
            Anything :meth:`lookup` accepts.
        sea : bool
            Add the 12-nmi territorial sea (``geodata/territorial_sea_{resolution}.parquet``);
            the sea of each disputed area goes with its holder under the worldview.
        with_dependencies : bool
            Include the units whose sovereign is ``state`` (Greenland for Denmark; Guam, Puerto
            Rico and the other territories for the USA). Alaska and Hawaii are part of the USA.

        Raises
        ------
        DataError
            ``sea=True`` while the territorial-sea file is not bundled.

        Notes
        -----
        Edges are straight in lon/lat. Geometries are cut at +-180 deg, so Russia is a
        MultiPolygon with parts on both sides. A unit the worldview gave away entirely (Kosovo
        under ``un``) has an empty territory.

        Examples
        --------
        >>> guam = shapely.Point(144.8, 13.45)
        >>> World.load().territory("USA").contains(guam)
        True
        >>> World.load().territory("USA", with_dependencies=False).contains(guam)
        False
        """
        return self.territory_record(state, sea, with_dependencies).geometry

    # ----------------------------------------------------------------- point queries
    def locator(self) -> UnitLocator:
        """The STR-trees over this world's units and territorial-sea belts (built once).

        The belts are used as they are stored (one per Natural Earth unit or disputed area):
        a belt is asked about only for points on no land, so there is no need to union it
        with its unit's land first (that union took ~15 s at 1:10m). A disputed area's belt
        goes to the area's holder under the worldview, as :meth:`territory` does.
        """
        if self._locator is None:
            self._locator = UnitLocator(
                list(self.states.geometry), self.states["iso_a3"].tolist(),
                self.states["sovereign_a3"].tolist(), self._belts_by_holder)
        return self._locator

    def _belts_by_holder(self) -> tuple[list[BaseGeometry], NDArray[np.intp]]:
        belts = read_territorial_sea(self.resolution)
        areas = self._areas
        user = set(areas.loc[~areas["has_sea_belt"].astype(bool), "id"])
        holder = {a: h for a, h in zip(areas["id"], areas["holder"], strict=True)
                  if a not in user}
        keep, rows = [], []
        for unit, geom in zip(belts["unit"], belts.geometry, strict=True):
            code = holder.get(unit, unit)
            if code in self._row and geom is not None and not geom.is_empty:
                keep.append(geom)
                rows.append(self._row[code])
        return keep, np.asarray(rows, dtype=np.intp)

    def state_at(
        self, lon: Coordinates, lat: Coordinates, sea: bool = False, sovereign: bool = True
    ) -> NDArray[np.object_]:
        """Which state holds each point, vectorised.

        See :func:`deployguard.geography.locate.state_at`.

        Examples
        --------
        >>> World.load().state_at([179.5, 144.8, 0.0], [66.0, 13.45, 0.0]).tolist()
        ['RUS', 'USA', '']
        """
        return state_at(self, lon, lat, sea=sea, sovereign=sovereign)

    def states_touching(
        self, geometry: BaseGeometry, sea: bool = False
    ) -> tuple[tuple[str, ...], bool]:
        """The sovereigns an area or route touches, and whether part of it lies on none.

        See :func:`deployguard.geography.locate.states_touching`.

        Examples
        --------
        >>> World.load().states_touching(shapely.LineString([(14.0, 52.3), (21.0, 52.2)]))
        (('DEU', 'POL'), False)
        """
        return states_touching(self, geometry, sea=sea)


@functools.cache
def _load(resolution: str, worldview: Worldview) -> World:
    return World(resolution, worldview)
