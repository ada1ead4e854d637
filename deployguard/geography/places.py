"""Who lives within reach: populated places within a geodesic range of a point.

The places are GeoNames' ``cities15000`` extract (every place of more than 15,000 people, and
every capital), bundled as ``geodata/places.csv`` and built by ``geodata/build_places.py``.
**The data are CC BY 4.0**, unlike the rest of the bundled data: maps and reports that show
places or their populations must credit :data:`PLACES_CREDIT` ("Places: GeoNames (CC BY 4.0)").

Distances are geodesics on WGS84 (GeographicLib via ``pyproj.Geod``). A place's ``country``
follows the chosen worldview wherever the worldview matters, in the disputed areas: there it is
the area's holder (Sevastopol is in ``RUS`` under ``de_facto`` and in ``UKR`` under ``un``).
Elsewhere it is GeoNames' country, which puts border towns on the right side where the map's
generalised borders do not (Narva lies in Russia's polygon at both scales; it is ``EST``). The
map's unit is given beside it (``map_unit``) and GeoNames' own code as ``geonames_country``.

**Adding up population.** GeoNames lists city sections (districts, boroughs, arrondissements)
as places of their own *and* counts their people in their city's figure, and the source carries
no feature codes to tell them apart. Within 50 km of Berlin the sum of ``population`` is about
7.7 M, of which about 3.6 M are Berlin's districts counted a second time. We measured distance
rules for dropping such sections and none is defensible (every rule we tried removed more
people of independent towns than of sections), so no figure here pretends to be "the
population within range". :func:`reach_summary` gives what is true: the capitals reached, the
counts of places by size, the largest places, and the sum of the listed places' populations
under a label that says what it counts (:data:`POPULATION_LABEL`).

Examples
--------
>>> berlin = places_in_reach(13.3777, 52.5163, 30, min_population=500_000)
>>> berlin.name.tolist(), berlin.country.tolist(), berlin.capital.tolist()
(['Berlin'], ['DEU'], [True])
>>> s = reach_summary(20.511, 54.7065, 500)  # Kaliningrad, 500 km: Berlin is 529 km away
>>> [name for name, _ in s.capitals]
['Warsaw', 'Vilnius', 'Riga', 'Minsk']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from deployguard._validate import as_lonlat_arrays, as_nonnegative_km
from deployguard.errors import DataError, InvalidInputError
from deployguard.geography.place_index import (
    disputed_holder,
    geodesic_km,
    place_countries,
    places_table,
    places_within,
)
from deployguard.geography.world import World
from deployguard.geography.worldviews import Worldview

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PLACES_CREDIT",
    "POPULATION_LABEL",
    "ReachSummary",
    "places_in_reach",
    "reach_summary",
    "summarise_reach",
]

#: The attribution CC BY 4.0 asks for wherever places or their populations are shown.
PLACES_CREDIT = "Places: GeoNames (CC BY 4.0)"
#: What :attr:`ReachSummary.population_listed` counts, in words a report can print.
POPULATION_LABEL = (
    "sum of the GeoNames populations of the listed places within range (places over 15,000 "
    "people, and capitals); city sections are listed besides their city, so some people are "
    "counted twice, and nobody outside a listed place is counted"
)
COLUMNS = ("name", "country", "sovereign", "population", "capital", "lon", "lat",
           "distance_km", "geonameid", "geonames_country", "map_unit", "country_from")
_places = places_table  # the loaded table (benchmarks/bench_places.py reads it)


def _as_population(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise InvalidInputError(f"min_population must be a whole number >= 0, got {value!r}")
    return int(value)


def _as_min_range(value: Any, range_km: float) -> float:
    km = as_nonnegative_km(value, "min_range_km")
    if km > range_km:
        raise InvalidInputError(
            f"min_range_km ({km:g}) must not exceed range_km ({range_km:g}); use "
            "min_range_km=0 for no minimum range"
        )
    return km


def _as_point(lon: Any, lat: Any) -> tuple[float, float]:
    lon_a, lat_a = as_lonlat_arrays(lon, lat)
    if lon_a.size != 1:
        raise InvalidInputError(
            f"lon and lat must be one point (two numbers), got {lon_a.size} points"
        )
    # keep the caller's digits where no wrapping is needed, so that a place exactly at the
    # range is measured exactly as the caller would measure it
    given = float(np.asarray(lon, dtype=float).ravel()[0])
    lon0 = given if -180.0 <= given <= 180.0 else float(lon_a.ravel()[0])
    return lon0, float(lat_a.ravel()[0])


def _countries(world: World, lon: NDArray[np.float64], lat: NDArray[np.float64],
               geonames: NDArray[np.object_]) -> dict[str, NDArray[np.object_]]:
    # Which state a place is in depends on the worldview only inside the disputed areas (Crimea,
    # Kosovo, Northern Cyprus, Somaliland and any user area): there the holder under the
    # worldview decides. Elsewhere GeoNames' own country is kept: the map's generalised borders
    # put about 50 border towns on the wrong side (Narva in Russia's polygon at both scales,
    # Gibraltar in Spain's, Goma in Rwanda's), which GeoNames gets right. The map's unit is
    # reported beside it (``map_unit``, land only) so that a user can see any disagreement.
    map_unit = world.state_at(lon, lat, sea=False, sovereign=False)
    holder = disputed_holder(world, lon, lat)
    in_area = holder != ""
    country = np.where(in_area, holder, geonames).astype(object)
    units = dict(zip(world.states["iso_a3"], world.states["sovereign_a3"], strict=True))
    # codes GeoNames has and the map draws inside their sovereign (GLP, REU, SJM, ...) take the
    # sovereign of the unit the point lies in; for the few off the drawn coast, of the unit
    # whose territorial sea holds them
    orphan = np.array([c not in units for c in country.tolist()], dtype=bool) & (map_unit == "")
    if orphan.any():
        try:
            map_unit[orphan] = world.state_at(lon[orphan], lat[orphan], sea=True, sovereign=False)
        except DataError:  # no territorial-sea file at this resolution
            pass
    sovereign = np.array(
        [units.get(c) or units.get(m) or c for c, m in zip(country.tolist(), map_unit.tolist(),
                                                            strict=True)], dtype=object)
    country_from = np.where(in_area, "disputed area", "geonames").astype(object)
    return {"country": country, "sovereign": sovereign, "map_unit": map_unit.astype(object),
            "country_from": country_from}


def places_in_reach(
    lon: float,
    lat: float,
    range_km: float,
    min_population: int = 0,
    *,
    worldview: str | Worldview = "de_facto",
    capitals_only: bool = False,
    resolution: str = "50m",
    min_range_km: float = 0.0,
) -> pd.DataFrame:
    """The populated places within ``range_km`` of the point ``(lon, lat)``, nearest first.

    Parameters
    ----------
    lon, lat : float
        The point, WGS84 degrees (a deployment's site).
    range_km : float
        Geodesic range on WGS84, km; a place exactly at the range counts as within it.
    min_population : int
        Keep places with at least this GeoNames population (0 keeps all, capitals included).
    worldview : {"de_facto", "un", "russia"} or Worldview
        Who holds the disputed areas; decides each place's ``country``.
    capitals_only : bool
        Keep capitals only (GeoNames' capital of each country and dependency).
    resolution : {"50m", "10m"}
        Scale of the disputed areas and of ``map_unit``.
    min_range_km : float
        A weapon's minimum range, km: places nearer than it are left out (a place exactly at
        it counts), as :func:`deployguard.within_range` does.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, country, sovereign, population, capital, lon, lat, distance_km,
        geonameid, geonames_country, map_unit, country_from``, sorted by ``distance_km``
        (then by population, largest first). ``country`` is the holder under the worldview for
        a place in a disputed area (``country_from = "disputed area"``), else GeoNames'
        country (``"geonames"``; ``GUM`` for Hagåtña); ``sovereign`` its sovereign (``USA``);
        ``map_unit`` the map's unit holding the point on land ("" off the drawn coastline;
        for a GeoNames code the map does not draw, such as ``MTQ``, the unit whose
        territorial sea holds it).
        Empty (with these columns) when nothing is in range.

    Raises
    ------
    InvalidInputError
        For bad coordinates, a negative or non-numeric range, a minimum range above the
        range, a bad ``min_population``.

    Notes
    -----
    Places come from GeoNames ``cities15000`` (CC BY 4.0; credit :data:`PLACES_CREDIT`).
    Do not add up ``population`` as "the people within range": see the module notes and
    :func:`reach_summary`. Candidates are found by a rigorous chord bound on an ECEF k-d tree,
    then every distance is computed by ``pyproj.Geod.inv``; no loop runs per place.

    Examples
    --------
    >>> t = places_in_reach(37.6175, 55.752, 700, min_population=1_000_000)
    >>> t.name.tolist()
    ['Moscow', 'Nizhniy Novgorod', 'Voronezh', 'Saint Petersburg', 'Kharkiv', 'Minsk']
    >>> places_in_reach(33.5254, 44.6167, 5, worldview="un").country.tolist()[:1]
    ['UKR']
    >>> len(places_in_reach(-150.0, -60.0, 500))  # Southern Ocean
    0
    """
    import pandas as pd

    lon0, lat0 = _as_point(lon, lat)
    range_km = as_nonnegative_km(range_km, "range_km")
    min_pop = _as_population(min_population)
    world = World.load(resolution, worldview)  # validates resolution and worldview
    min_km = _as_min_range(min_range_km, range_km)
    table = places_table()
    cand, dist_km = places_within(lon0, lat0, range_km, min_km, distances=True)
    keep = table.population[cand] >= min_pop
    if capitals_only:
        keep &= table.capital[cand]
    cand, dist_km = cand[keep], dist_km[keep]
    order = np.lexsort((-table.population[cand], dist_km))
    cand, dist_km = cand[order], dist_km[order]
    where = _countries(world, table.lon[cand], table.lat[cand], table.geonames_country[cand])
    frame = pd.DataFrame({
        "name": table.name[cand], "country": where["country"], "sovereign": where["sovereign"],
        "population": table.population[cand], "capital": table.capital[cand],
        "lon": table.lon[cand], "lat": table.lat[cand], "distance_km": dist_km,
        "geonameid": table.geonameid[cand], "geonames_country": table.geonames_country[cand],
        "map_unit": where["map_unit"], "country_from": where["country_from"],
    }, columns=list(COLUMNS))
    frame.attrs.update(range_km=range_km, min_range_km=min_km, worldview=world.worldview,
                       resolution=resolution, credit=PLACES_CREDIT, point=(lon0, lat0))
    return frame


@dataclass(frozen=True)
class ReachSummary:
    """What a reach covers, in figures that are true as labelled.

    Attributes
    ----------
    range_km : float
    worldview : str
    capitals : tuple of (str, str)
        ``(name, country)`` of each capital within range, nearest first (capitals of
        dependencies count: Hagåtña, Nuuk).
    n_places, n_places_100k, n_places_1m : int
        Listed places within range: all, of at least 100,000 and of at least 1,000,000 people.
        City sections are places of their own in GeoNames, so these count some sections too.
    largest : tuple of (str, str, int)
        ``(name, country, population)`` of the ten most populous places within range.
    population_listed : int
        Sum of the listed places' populations, as :attr:`population_label` says.
    population_label : str
        :data:`POPULATION_LABEL`: what the sum counts and what it does not.
    countries : tuple of str
        The units holding at least one place within range (under the worldview).
    credit : str
        :data:`PLACES_CREDIT`, to print with any of these figures.
    min_range_km : float
        The minimum range: places nearer than it are not counted (0 for none).
    """

    range_km: float
    worldview: str
    capitals: tuple[tuple[str, str], ...]
    n_places: int
    n_places_100k: int
    n_places_1m: int
    largest: tuple[tuple[str, str, int], ...]
    population_listed: int
    population_label: str
    countries: tuple[str, ...]
    credit: str = PLACES_CREDIT
    min_range_km: float = 0.0

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> ReachSummary:
        """Summarise a table returned by :func:`places_in_reach` (with its ``attrs``)."""
        missing = set(COLUMNS) - set(table.columns)
        if missing:
            raise InvalidInputError(
                f"table must come from places_in_reach (missing columns {sorted(missing)})"
            )
        pop = table["population"].to_numpy()
        caps = table[table["capital"].to_numpy(dtype=bool)]
        big = table.sort_values(["population", "distance_km"], ascending=[False, True]).head(10)
        return cls(
            range_km=float(table.attrs.get("range_km", float("nan"))),
            worldview=str(table.attrs.get("worldview", "")),
            capitals=tuple(zip(caps["name"].tolist(), caps["country"].tolist(), strict=True)),
            n_places=len(table),
            n_places_100k=int((pop >= 100_000).sum()),
            n_places_1m=int((pop >= 1_000_000).sum()),
            largest=tuple(zip(big["name"].tolist(), big["country"].tolist(),
                              [int(p) for p in big["population"]], strict=True)),
            population_listed=int(pop.sum()),
            population_label=POPULATION_LABEL,
            countries=tuple(sorted(set(table["country"].tolist()))),
            min_range_km=float(table.attrs.get("min_range_km", 0.0)),
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form for a finding's evidence.

        Examples
        --------
        >>> reach_summary(13.3777, 52.5163, 10).as_dict()["capitals"]
        [['Berlin', 'DEU']]
        """
        return {
            "range_km": self.range_km, "min_range_km": self.min_range_km,
            "worldview": self.worldview,
            "capitals": [list(c) for c in self.capitals], "n_places": self.n_places,
            "n_places_100k": self.n_places_100k, "n_places_1m": self.n_places_1m,
            "largest": [list(p) for p in self.largest],
            "population_listed": self.population_listed,
            "population_label": self.population_label, "countries": list(self.countries),
            "credit": self.credit,
        }

    def sentence(self) -> str:
        """One line for a report or a map caption.

        Examples
        --------
        >>> print(reach_summary(13.3777, 52.5163, 10).sentence())  # doctest: +ELLIPSIS
        Within 10 km: 1 capital (Berlin); 36 listed places, 9 of 100,000+ and 1 of ...
        """
        caps = ", ".join(name for name, _ in self.capitals)
        head = (f"{len(self.capitals)} capital{'s' if len(self.capitals) != 1 else ''}"
                + (f" ({caps})" if caps else ""))
        where = (f"Between {self.min_range_km:,.0f} and {self.range_km:,.0f} km"
                 if self.min_range_km > 0 else f"Within {self.range_km:,.0f} km")
        return (f"{where}: {head}; {self.n_places:,} listed places, "
                f"{self.n_places_100k:,} of 100,000+ and {self.n_places_1m:,} of 1,000,000+ "
                f"people; listed places' populations sum to {self.population_listed:,} "
                f"(GeoNames lists city sections besides their city, so some people are "
                f"counted twice). {self.credit}.")


def reach_summary(
    lon: float,
    lat: float,
    range_km: float,
    min_population: int = 0,
    *,
    worldview: str | Worldview = "de_facto",
    resolution: str = "50m",
    min_range_km: float = 0.0,
) -> ReachSummary:
    """Capitals reached, places by size and the labelled population sum for one reach.

    The helper the checker's evidence and the maps' captions use; arguments as for
    :func:`places_in_reach`. Equal to ``ReachSummary.from_table(places_in_reach(...))``, but
    computes a geodesic only where a chord bound cannot decide (see
    :mod:`deployguard.geography.place_index`) and builds no table, so it costs about a
    millisecond.

    Examples
    --------
    >>> s = reach_summary(8.3253, 50.0497, 2500)  # Wiesbaden, Tomahawk high estimate
    >>> ("Moscow", "RUS") in s.capitals, s.credit
    (True, 'Places: GeoNames (CC BY 4.0)')
    >>> reach_summary(20.511, 54.7065, 500, min_range_km=50).n_places < s.n_places
    True
    """
    lon0, lat0 = _as_point(lon, lat)
    range_km = as_nonnegative_km(range_km, "range_km")
    min_pop = _as_population(min_population)
    world = World.load(resolution, worldview)
    return summarise_reach(world, lon0, lat0, range_km, _as_min_range(min_range_km, range_km),
                           min_pop)


def summarise_reach(world: World, lon: float, lat: float, range_km: float,
                    min_range_km: float = 0.0, min_population: int = 0) -> ReachSummary:
    """:func:`reach_summary` for a loaded ``world`` and checked arguments (the checker's
    evidence calls this; the countries follow ``world``'s worldview).
    """
    t = places_table()
    idx, km = places_within(lon, lat, range_km, min_range_km)
    if min_population:
        keep = t.population[idx] >= min_population
        idx, km = idx[keep], km[keep]
    pop = t.population[idx]
    codes, code_of = place_countries(world)
    country = code_of[idx]
    cap = t.capital[idx]
    # the order of the capitals and the largest places needs their distances
    big = pop >= np.partition(pop, -10)[-10] if pop.size > 10 else np.ones(pop.size, bool)
    need = (cap | big) & np.isnan(km)
    km[need] = geodesic_km(lon, lat, idx[need])
    caps = np.flatnonzero(cap)
    caps = caps[np.lexsort((-pop[caps], km[caps]))]
    top = np.flatnonzero(big)
    top = top[np.lexsort((km[top], -pop[top]))][:10]
    name = t.name
    return ReachSummary(
        range_km=float(range_km), worldview=world.worldview,
        capitals=tuple((str(name[idx[j]]), str(codes[country[j]])) for j in caps),
        n_places=int(idx.size), n_places_100k=int((pop >= 100_000).sum()),
        n_places_1m=int((pop >= 1_000_000).sum()),
        largest=tuple((str(name[idx[j]]), str(codes[country[j]]), int(pop[j])) for j in top),
        population_listed=int(pop.sum()), population_label=POPULATION_LABEL,
        countries=tuple(str(c) for c in codes[np.unique(country)]),
        min_range_km=float(min_range_km),
    )
