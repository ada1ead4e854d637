"""Which places a range-overlap map labels: reached capitals and large cities.

The places come from the places layer, :func:`deployguard.geography.places.places_in_reach`
(GeoNames, CC BY 4.0).  An install without that layer labels no places (the map says
nothing it cannot source).

Examples
--------
>>> p = Place("Vilnius", "LTU", 25.28, 54.69, True, 542366)
>>> p.capital, p.country
(True, 'LTU')
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["PLACES_CREDIT", "Place", "places_to_label"]

PLACES_CREDIT = "Places: GeoNames (https://www.geonames.org/), CC BY 4.0, modified."


@dataclass(frozen=True)
class Place:
    """A place to label (WGS84 degrees)."""

    name: str
    country: str
    lon: float
    lat: float
    capital: bool
    population: int


def _layer() -> Any:
    try:
        return importlib.import_module("deployguard.geography.places")
    except ModuleNotFoundError:
        return None


def _records(found: Any) -> Iterable[dict[str, Any]]:
    if hasattr(found, "to_dict"):  # a DataFrame
        return list(found.to_dict("records"))
    return [r if isinstance(r, dict) else vars(r) for r in found]


def places_to_label(lon: float, lat: float, range_km: float, states: set[str], *,
                    min_population: int = 1_000_000, limit: int = 40) -> list[Place]:
    """Capitals of ``states`` and their cities of ``min_population`` or more within range.

    Capitals first, then by population; at most ``limit`` (the label placer drops what does
    not fit).  Empty when the places layer is not installed.
    """
    layer = _layer()
    if layer is None or not states:
        return []
    out: dict[tuple[str, str], Place] = {}
    for caps in (True, False):
        found = layer.places_in_reach(lon, lat, range_km,
                                      min_population=0 if caps else min_population,
                                      capitals_only=caps)
        for r in _records(found):
            country = str(r.get("country_a3") or r.get("country") or "")
            if country not in states:
                continue
            p = Place(str(r["name"]), country, float(r["lon"]), float(r["lat"]),
                      bool(r.get("capital", caps)), int(r.get("population") or 0))
            out.setdefault((p.name, p.country), p)
    ranked = sorted(out.values(), key=lambda p: (not p.capital, -p.population))
    return ranked[:limit]
