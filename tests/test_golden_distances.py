"""Golden cases: published or independently computed figures, each with its source and tolerance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import shapely

import deployguard as dg

GOLDEN = pd.read_csv(Path(__file__).with_name("golden_distances.csv"), comment="#")


@pytest.mark.parametrize("row", list(GOLDEN.itertuples(index=False)), ids=list(GOLDEN["name"]))
def test_point_to_point_distance_matches_published_figure(row):
    # distance to a single point target goes through the same kernel as territories
    got = float(dg.distance_km(row.lon1, row.lat1, shapely.Point(row.lon2, row.lat2)))
    assert abs(got - row.km) * 1000 <= row.tolerance_m, f"{row.name}: {got:.3f} km ({row.source})"


def test_diomedes_are_about_four_km_apart():
    """Published: ~3.8 km (2.4 mi) between the islands (facts.md 6.1); 1:10m coastlines."""
    w = dg.World.load("10m")
    big = next(p for p in w.territory("RUS").geoms if p.contains(shapely.Point(-169.05, 65.78)))
    little = next(
        p for p in w.territory("USA").geoms if p.contains(shapely.Point(-168.93, 65.755))
    )
    assert 3.3 <= float(dg.geometry_distance_km(big, little)) <= 4.5


def test_bering_strait_mainland_gap_is_about_82_km():
    """Cape Dezhnev to Cape Prince of Wales, narrowest: 82 km (facts.md 6.1, 'other sources
    ~85-92 km'). Mainland Chukotka to mainland Alaska, islands excluded, at 1:10m."""
    w = dg.World.load("10m")
    chukotka = next(p for p in w.territory("RUS").geoms if p.contains(shapely.Point(-173, 65.5)))
    alaska = next(p for p in w.territory("USA").geoms if p.contains(shapely.Point(-160, 65)))
    assert 78 <= float(dg.geometry_distance_km(chukotka, alaska)) <= 92


TERRITORIES = pd.read_csv(Path(__file__).with_name("golden_territories.csv"), comment="#")


def _territory(row):
    return dg.World.load(row.resolution).territory(row.territory, sea=bool(row.sea))


@pytest.mark.parametrize("row", list(TERRITORIES.itertuples(index=False)),
                         ids=list(TERRITORIES["name"]))
def test_territory_distance__forward_with_distance_km(row):
    got = float(dg.distance_km(row.lon, row.lat, _territory(row)))
    assert abs(got - row.km) * 1000 <= row.tolerance_m, f"{row.name}: {got:.4f} km"


@pytest.mark.parametrize("row", list(TERRITORIES.itertuples(index=False)),
                         ids=list(TERRITORIES["name"]))
def test_territory_distance__backward_with_within_range(row):
    terr = _territory(row)
    tol_km = row.tolerance_m / 1000
    assert bool(dg.within_range(row.lon, row.lat, terr, row.km + tol_km)), row.name
    assert not bool(dg.within_range(row.lon, row.lat, terr, row.km - tol_km)), row.name
