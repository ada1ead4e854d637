"""Which places a range-overlap map labels: reached capitals and large cities.

The places come from the places layer, :func:`deployguard.geography.places.places_in_reach`
(GeoNames ``cities15000``, CC BY 4.0: a map that shows them carries :data:`PLACES_CREDIT`).
A place counts for a state when the state is its sovereign under the map's worldview
(Nuuk for Denmark, Sevastopol for Russia under ``de_facto``).

Examples
--------
>>> [p.name for p in places_to_label(20.511, 54.7065, 500, {"POL", "LTU"})][:2]
['Warsaw', 'Vilnius']
"""

from __future__ import annotations

from dataclasses import dataclass

from deployguard.geography.places import PLACES_CREDIT, places_in_reach

__all__ = ["PLACES_CREDIT", "Place", "places_to_label"]


@dataclass(frozen=True)
class Place:
    """A place to label (WGS84 degrees)."""

    name: str
    country: str
    lon: float
    lat: float
    capital: bool
    population: int


def places_to_label(lon: float, lat: float, range_km: float, states: set[str], *,
                    min_population: int = 1_000_000, worldview: str = "de_facto",
                    resolution: str = "50m", limit: int = 40) -> list[Place]:
    """Capitals of ``states`` and their places of ``min_population`` or more within range.

    Capitals first, then by population; at most ``limit`` (the label placer drops what does
    not fit).
    """
    if not states:
        return []
    out: dict[int, Place] = {}
    for caps in (True, False):
        found = places_in_reach(lon, lat, range_km, 0 if caps else min_population,
                                worldview=worldview, capitals_only=caps, resolution=resolution)
        found = found[found["sovereign"].isin(sorted(states))]
        rows = zip(found["geonameid"].tolist(), found["name"].tolist(),
                   found["sovereign"].tolist(), found["lon"].tolist(), found["lat"].tolist(),
                   found["capital"].tolist(), found["population"].tolist(), strict=True)
        for gid, name, country, x, y, capital, population in rows:
            out.setdefault(int(gid), Place(str(name), str(country), float(x), float(y),
                                           bool(capital), int(population)))
    ranked = sorted(out.values(), key=lambda p: (not p.capital, -p.population))
    return ranked[:limit]
